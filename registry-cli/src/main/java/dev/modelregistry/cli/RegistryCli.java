package dev.modelregistry.cli;

import dev.modelregistry.AccessDeniedException;
import dev.modelregistry.AlreadyExistsException;
import dev.modelregistry.GateRejectedException;
import dev.modelregistry.IntegrityException;
import dev.modelregistry.ModelName;
import dev.modelregistry.ModelRegistry;
import dev.modelregistry.NotFoundException;
import dev.modelregistry.StateConflictException;
import dev.modelregistry.Principal;
import dev.modelregistry.ValidationException;
import dev.modelregistry.Action;
import dev.modelregistry.GateOutcome;
import dev.modelregistry.GateResult;
import dev.modelregistry.internal.util.MessageText;
import java.io.PrintWriter;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * The {@code registry} command line: a thin layer over the public {@link ModelRegistry} API that
 * parses arguments, opens the registry a location names (a folder holding a SQLite registry, or
 * {@code s3://bucket/prefix}), calls the API as the acting principal and formats what comes back.
 * Every rule (naming, versions, gates, access control, the audit chain) stays in the library.
 *
 * <p>Exit codes are stable, for scripts: {@link #OK}, {@link #REFUSED}, {@link #USAGE},
 * {@link #NOT_FOUND}, {@link #INTEGRITY} and {@link #FAILURE}. Errors are one line on standard error.
 */
@Command(name = "registry", mixinStandardHelpOptions = true, versionProvider = RegistryCli.Version.class,
        description = "Inspect and operate a model registry: a folder (SQLite) or s3://bucket/prefix.",
        subcommands = {
                ReadCommands.Models.class, ReadCommands.Versions.class, ReadCommands.Show.class,
                ReadCommands.History.class, RegisterCommand.class,
                LifecycleCommands.Promote.class, LifecycleCommands.Approve.class, LifecycleCommands.Reject.class,
                LifecycleCommands.Withdraw.class, LifecycleCommands.Rollback.class, LifecycleCommands.Archive.class,
                ReadCommands.Requests.class, CompareCommands.Compare.class, CompareCommands.Diff.class,
                LineageCommands.Lineage.class, LineageCommands.Impact.class, AuditCommands.Audit.class,
                PolicyCommands.Policy.class, AutoComplete.GenerateCompletion.class},
        footerHeading = "%nExit codes: 0 ok, 1 refused by a gate or access control, 2 usage or invalid input,"
                + " 3 not found, 4 integrity failure, 5 storage or other failure.%n%nExample:%n",
        footer = {"  export MODEL_REGISTRY=/var/lib/models MODEL_REGISTRY_PRINCIPAL=on-call MODEL_REGISTRY_ROLES=release-manager",
                "  registry versions fraud-detector",
                "  registry rollback fraud-detector --reason \"p99 latency 4x after 2.0.0\""})
public final class RegistryCli implements Callable<Integer> {
    /** The command did what was asked. */
    public static final int OK = 0;
    /** A gate or the access policy refused the action (the refusal is in the audit trail). */
    public static final int REFUSED = 1;
    /** The command line or an input file was invalid; nothing was changed. */
    public static final int USAGE = 2;
    /** The model, version, request, registry or file named does not exist. */
    public static final int NOT_FOUND = 3;
    /** A hash chain or an artifact digest does not verify. */
    public static final int INTEGRITY = 4;
    /** The storage could not be read or written, or something unexpected failed. */
    public static final int FAILURE = 5;

    static final String ENV_REGISTRY = "MODEL_REGISTRY";
    static final String ENV_PRINCIPAL = "MODEL_REGISTRY_PRINCIPAL";
    static final String ENV_ROLES = "MODEL_REGISTRY_ROLES";
    static final String ENV_S3_ENDPOINT = "MODEL_REGISTRY_S3_ENDPOINT";

    private final Map<String, String> environment;
    private final Clock clock;
    private final boolean interactive;

    @Spec
    CommandSpec spec;

    @Option(names = {"-r", "--registry"}, scope = ScopeType.INHERIT, paramLabel = "LOCATION",
            description = "A registry folder (SQLite) or s3://bucket/prefix; default: $" + ENV_REGISTRY + ".")
    String location;

    @Option(names = "--as", scope = ScopeType.INHERIT, paramLabel = "PRINCIPAL",
            description = "Who acts; default: $" + ENV_PRINCIPAL + ", else the OS user.")
    String principalName;

    @Option(names = "--role", scope = ScopeType.INHERIT, paramLabel = "ROLE", split = ",",
            description = "A role of the acting principal (repeatable or comma-separated); default: $" + ENV_ROLES + ", unless --as is given.")
    List<String> roles;

    @Option(names = "--s3-endpoint", scope = ScopeType.INHERIT, paramLabel = "URL",
            description = "An S3-compatible endpoint (MinIO, S3Mock); default: $" + ENV_S3_ENDPOINT + ", $AWS_ENDPOINT_URL_S3, $AWS_ENDPOINT_URL.")
    String s3Endpoint;

    @Option(names = "--s3-region", scope = ScopeType.INHERIT, paramLabel = "REGION",
            description = "The S3 region; default: $AWS_REGION, $AWS_DEFAULT_REGION, else the SDK's default chain.")
    String s3Region;

    @Option(names = "--s3-path-style", scope = ScopeType.INHERIT, negatable = true,
            description = "Path-style S3 addressing; default: on when an endpoint is given.")
    Boolean s3PathStyle;

    @Option(names = "--debug", scope = ScopeType.INHERIT, description = "Print the stack trace of a failure.")
    boolean debug;

    RegistryCli(Map<String, String> environment, Clock clock, boolean interactive) {
        this.environment = Map.copyOf(environment);
        this.clock = Objects.requireNonNull(clock, "clock");
        this.interactive = interactive;
    }

    public static void main(String[] args) {
        int exit = commandLine(System.getenv(), Clock.systemUTC(), System.console() != null).execute(args);
        System.exit(exit);
    }

    /**
     * The command line, with the environment variables, clock and terminal it runs against given
     * explicitly (tests run it in-process with their own).
     */
    static CommandLine commandLine(Map<String, String> environment, Clock clock, boolean interactive) {
        RegistryCli root = new RegistryCli(environment, clock, interactive);
        // '@' is part of every reference (model@selector): an argument such as "@production" or
        // "@/etc/passwd" is a value, never a file of arguments for picocli to read in its place.
        CommandLine cmd = new CommandLine(root).setCaseInsensitiveEnumValuesAllowed(true).setExpandAtFiles(false);
        cmd.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            PrintWriter err = commandLine.getErr();
            err.println("error: " + Text.safe(message(e)));
            if (root.debug) {
                e.printStackTrace(err);
            }
            err.flush();
            return exitCode(e);
        });
        // A path picocli cannot make (a NUL character) is named with the reason, not with a JDK exception's class name.
        cmd.registerConverter(Path.class, text -> {
            try {
                return Path.of(text);
            } catch (InvalidPathException e) {
                throw new CommandLine.TypeConversionException("invalid path " + MessageText.quote(text) + ": " + e.getReason());
            }
        });
        cmd.setParameterExceptionHandler((e, args) -> {
            PrintWriter err = e.getCommandLine().getErr();
            err.println("error: " + Text.safe(parameterMessage(e)) + " (see '"
                    + e.getCommandLine().getCommandSpec().qualifiedName() + " --help')");
            err.flush();
            return USAGE;
        });
        return cmd;
    }

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return USAGE;
    }

    /** The stable exit code of a failure. */
    static int exitCode(Throwable e) {
        if (e instanceof AccessDeniedException || e instanceof GateRejectedException || e instanceof StateConflictException) {
            return REFUSED;
        }
        if (e instanceof ValidationException || e instanceof AlreadyExistsException || e instanceof UsageException) {
            return USAGE;
        }
        if (e instanceof NotFoundException) {
            return NOT_FOUND;
        }
        if (e instanceof IntegrityException) {
            return INTEGRITY;
        }
        return FAILURE;
    }

    /**
     * What is wrong with a command line. Picocli sets an argument that starts with '-' and is no option
     * aside, and then reports the parameter it leaves missing; the argument itself is the mistake.
     */
    static String parameterMessage(CommandLine.ParameterException e) {
        List<String> unmatched = e.getCommandLine().getUnmatchedArguments();
        if (e instanceof CommandLine.MissingParameterException && !unmatched.isEmpty()) {
            return "Unknown option" + (unmatched.size() == 1 ? "" : "s") + ": "
                    + unmatched.stream().map(a -> "'" + a + "'").collect(java.util.stream.Collectors.joining(", "))
                    + " (" + e.getMessage() + "; a value that starts with '-' goes after '--')";
        }
        return e.getMessage();
    }

    /** One line: a gate refusal names the failed gates and why; other messages lose their line breaks. */
    static String message(Throwable e) {
        if (e instanceof GateRejectedException g && g.report() != null) {
            String first = g.getMessage().lines().findFirst().orElse("");
            List<String> failed = new ArrayList<>();
            for (GateResult r : g.report().withOutcome(GateOutcome.FAILED)) {
                failed.add(r.gate() + (r.reasons().isEmpty() ? "" : " (" + String.join("; ", r.reasons()) + ")"));
            }
            return Text.oneLine(first + (failed.isEmpty() ? "" : " failed gates: " + String.join(", ", failed)));
        }
        String text = e.getMessage() == null || e.getMessage().isBlank() ? e.getClass().getSimpleName() : e.getMessage();
        if (!(e instanceof dev.modelregistry.RegistryException) && !(e instanceof UsageException)) {
            text = e.getClass().getSimpleName() + ": " + text;
        }
        return Text.oneLine(text);
    }

    // ---------------------------------------------------------------- what commands share

    /** Opens the registry the location names; only commands that write may create a new one. */
    ModelRegistry open(boolean mayCreate) {
        String where = location != null ? location : environment.get(ENV_REGISTRY);
        if (where == null || where.isBlank()) {
            throw new UsageException("No registry given: pass --registry DIR or --registry s3://bucket/prefix, or set $" + ENV_REGISTRY);
        }
        return Location.parse(where).open(this, mayCreate);
    }

    /** The acting principal, from {@code --as}/{@code --role} or the environment; the core validates the names. */
    Principal principal() {
        if (principalName != null && principalName.isBlank()) {
            // An empty --as is a mistake, not a request to act as the OS user.
            throw new UsageException("Invalid principal " + MessageText.quote(principalName) + " for --as: must not be blank");
        }
        String name = principalName != null ? principalName : environment.get(ENV_PRINCIPAL);
        if (name == null || name.isBlank()) {
            name = System.getProperty("user.name", "");
        }
        LinkedHashSet<String> roleSet = new LinkedHashSet<>();
        if (roles != null) {
            for (String r : roles) {
                if (r.isBlank()) {
                    throw new UsageException("Invalid role " + MessageText.quote(r) + " for --role: must not be blank");
                }
                roleSet.add(r.strip());
            }
        } else if (principalName == null && environment.get(ENV_ROLES) != null) {
            // The environment's roles belong to the environment's principal: "--as intern" must not
            // borrow the roles of whoever exported them.
            for (String r : environment.get(ENV_ROLES).split(",")) {
                if (!r.isBlank()) {
                    roleSet.add(r.strip());
                }
            }
        }
        return new Principal(name, roleSet);
    }

    /**
     * Reads are not principal-scoped inside the embedded API, so a host checks {@code READ} itself,
     * with the registry's own access policy (see the root README).
     */
    static void requireRead(ModelRegistry registry, Principal principal, ModelName model) {
        if (!registry.accessPolicy().allows(principal, Action.READ, model, null)) {
            String target = model == null ? "the registry" : model.value();
            throw new AccessDeniedException(principal.name() + " (roles " + principal.roles() + ") may not READ " + target,
                    principal.name(), Action.READ, target);
        }
    }

    Map<String, String> environment() {
        return environment;
    }

    Clock clock() {
        return clock;
    }

    boolean interactive() {
        return interactive;
    }

    /** A command line that is wrong in a way picocli cannot see (a missing registry, conflicting inputs). */
    static final class UsageException extends RuntimeException {
        UsageException(String message) {
            super(message);
        }
    }

    /** The version from the jar's manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = RegistryCli.class.getPackage().getImplementationVersion();
            return new String[] {"registry-cli " + (v == null ? "(development build)" : v)};
        }
    }
}
