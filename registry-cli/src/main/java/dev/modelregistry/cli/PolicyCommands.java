package dev.modelregistry.cli;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.modelregistry.IllegalTransitionException;
import dev.modelregistry.ModelRegistry;
import dev.modelregistry.RegistryException;
import dev.modelregistry.ValidationException;
import dev.modelregistry.AccessPolicy;
import dev.modelregistry.Grant;
import dev.modelregistry.GatePolicy;
import dev.modelregistry.internal.util.MessageText;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** policy show|set: the gate policy (and the access policy) in force, and replacing them from a file. */
final class PolicyCommands {
    private PolicyCommands() {
    }

    @Command(name = "policy", mixinStandardHelpOptions = true,
            description = "Show or replace the gate policy (transition -> gates) or the access policy (role -> grants).",
            subcommands = {Show.class, Set.class},
            footerHeading = "%nExample:%n", footer = {"  registry policy show", "  registry --as admin --role admin policy set policy.json -m \"Q3 review\""})
    static final class Policy implements java.util.concurrent.Callable<Integer> {
        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            spec.commandLine().usage(spec.commandLine().getErr());
            return RegistryCli.USAGE;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Print the gate policy and the access policy in force.",
            footerHeading = "%nExample:%n", footer = "  registry policy show --json")
    static final class Show extends RegistryCommand {
        @Option(names = "--json", description = "Print JSON: {\"gates\": …, \"access\": …}, each in the form 'policy set' reads.")
        boolean json;

        @Override
        int run(ModelRegistry registry) {
            RegistryCli.requireRead(registry, principal(), null);
            GatePolicy gates = registry.gatePolicy();
            AccessPolicy access = registry.accessPolicy();
            if (json) {
                ObjectNode node = Json.object();
                node.set("gates", Json.parse(gates.toJson()));
                node.set("access", Json.tree(access));
                Json.print(out(), node);
                return RegistryCli.OK;
            }
            PrintWriter out = out();
            out.println("Gate policy");
            out.println(Json.parse(gates.toJson()).toPrettyString());
            out.println();
            out.println("Access policy");
            if (access.allowAllPrincipals()) {
                out.println("  every principal may do everything (no access policy set)");
            } else {
                List<List<String>> rows = new ArrayList<>();
                access.roles().forEach((role, grants) -> rows.add(List.of(role,
                        grants.stream().map(PolicyCommands::grant).collect(Collectors.joining(", ")))));
                out.print(Text.table(List.of("ROLE", "MAY"), rows));
            }
            return RegistryCli.OK;
        }
    }

    @Command(name = "set", mixinStandardHelpOptions = true,
            description = {"Replace the gate policy (or, with --access, the access policy) with the one in FILE. The file is"
                    + " validated completely first; an error names its JSON path and nothing is stored."},
            footerHeading = "%nExample:%n", footer = {"  registry --as admin --role admin policy set gates.json -m \"add fairness gate\"",
                    "  registry --as admin --role admin policy set --access access.json -m \"on-call may roll back\""})
    static final class Set extends RegistryCommand {
        @Parameters(index = "0", paramLabel = "FILE")
        Path file;

        @Option(names = "--access", description = "FILE is an access policy: {\"roles\": {ROLE: [{\"action\": …, \"modelPattern\": …, \"stages\": […]}]}}.")
        boolean access;

        @Option(names = {"-m", "--reason"}, paramLabel = "TEXT", description = "Why; recorded in the audit trail.")
        String reason = "";

        private GatePolicy gatePolicy;
        private AccessPolicy accessPolicy;

        @Override
        boolean createsRegistry() {
            return true;
        }

        @Override
        void prepare() throws IOException {
            String json = InputFile.readJson(access ? "Access policy" : "Policy", file);
            if (access) {
                accessPolicy = accessPolicy(file.toString(), json);
            } else {
                try {
                    gatePolicy = GatePolicy.fromJson(json);
                } catch (ValidationException e) {
                    throw new ValidationException("Invalid gate policy in " + file + ": " + e.getMessage(), e);
                }
            }
        }

        @Override
        int run(ModelRegistry registry) {
            if (access) {
                registry.setAccessPolicy(principal(), accessPolicy, reason);
                out().println("Access policy set: " + accessPolicy.roles().size() + " roles");
            } else {
                try {
                    registry.setGatePolicy(principal(), gatePolicy, reason);
                } catch (IllegalTransitionException e) {
                    // A policy the registry refuses (a stage its lifecycle lacks) is still an error in the file.
                    throw new IllegalTransitionException("Invalid gate policy in " + file + ": " + e.getMessage());
                } catch (ValidationException e) {
                    throw new ValidationException("Invalid gate policy in " + file + ": " + e.getMessage(), e);
                }
                out().println("Gate policy set: " + gatePolicy.transitions().size() + " transitions, "
                        + gatePolicy.transitions().values().stream().mapToInt(List::size).sum() + " gates");
            }
            return RegistryCli.OK;
        }
    }

    private static final ObjectMapper ACCESS = JsonMapper.builder()
            // A role given twice must not silently mean its last grants: {"viewer": [READ], "viewer": [everything]}.
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            // {"action": 3} is not an action: an enum's position must not stand for its name.
            .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    /**
     * The access policy in the JSON form the registry records it in ({@code policy show --json}
     * prints it): the library's own records, whose constructors validate every value.
     */
    static AccessPolicy accessPolicy(String source, String json) {
        try {
            AccessPolicy policy = ACCESS.readValue(json, AccessPolicy.class);
            if (policy == null) {
                throw new ValidationException("Invalid access policy in " + source + ": the document is null");
            }
            return policy;
        } catch (JsonParseException e) {
            throw new ValidationException("Malformed JSON in " + source + " at line " + e.getLocation().getLineNr()
                    + ", column " + e.getLocation().getColumnNr() + ": " + e.getOriginalMessage());
        } catch (JsonMappingException e) {
            Throwable cause = e instanceof ValueInstantiationException && e.getCause() != null ? e.getCause() : e;
            String problem = cause instanceof RegistryException ? cause.getMessage() : problem(e);
            throw new ValidationException("Invalid access policy in " + source + " at " + pointer(e) + ": " + Text.oneLine(problem));
        } catch (JsonProcessingException e) {
            throw new ValidationException("Malformed JSON in " + source + ": " + e.getOriginalMessage());
        }
    }

    /**
     * What is wrong with a value, in the document's terms rather than Jackson's: an unknown field and
     * the known ones, a value that is not one of an enum's names, a value of the wrong JSON type.
     */
    private static String problem(JsonMappingException e) {
        if (e instanceof UnrecognizedPropertyException u) {
            return "unknown field " + MessageText.quote(u.getPropertyName()) + "; known fields: "
                    + new java.util.TreeSet<>(u.getKnownPropertyIds().stream().map(String::valueOf).toList());
        }
        if (e instanceof InvalidFormatException f && f.getTargetType() != null && f.getTargetType().isEnum()) {
            return "invalid value " + (f.getValue() instanceof String v ? MessageText.quote(v) : String.valueOf(f.getValue()))
                    + "; expected one of " + java.util.Arrays.toString(f.getTargetType().getEnumConstants());
        }
        if (e instanceof MismatchedInputException m && m.getTargetType() != null
                && e.getOriginalMessage() != null && e.getOriginalMessage().startsWith("Cannot ")) {
            return "expected " + expected(m.getTargetType());
        }
        return e.getOriginalMessage();
    }

    private static String expected(Class<?> type) {
        if (type.isEnum()) {
            return "one of " + java.util.Arrays.toString(type.getEnumConstants());
        }
        if (java.util.Collection.class.isAssignableFrom(type) || type.isArray()) {
            return "an array";
        }
        if (type == boolean.class || type == Boolean.class) {
            return "true or false";
        }
        if (type == String.class) {
            return "a string";
        }
        return "an object";
    }

    /** The JSON pointer of the value a mapping error is about, e.g. {@code /roles/admin/0/action}. */
    private static String pointer(JsonMappingException e) {
        StringBuilder p = new StringBuilder();
        for (JsonMappingException.Reference r : e.getPath()) {
            p.append('/').append(r.getFieldName() != null ? r.getFieldName() : String.valueOf(r.getIndex()));
        }
        return p.length() == 0 ? "/" : p.toString();
    }

    private static String grant(Grant g) {
        return g.action() + ("*".equals(g.modelPattern()) ? "" : " on " + g.modelPattern())
                + (g.stages().isEmpty() ? "" : " into " + g.stages().stream().map(Object::toString).sorted().collect(Collectors.joining("|")));
    }
}
