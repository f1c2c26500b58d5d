package dev.modelregistry.cli;

import static dev.modelregistry.cli.Fixtures.MODEL;
import static dev.modelregistry.cli.RegistryCli.FAILURE;
import static dev.modelregistry.cli.RegistryCli.NOT_FOUND;
import static dev.modelregistry.cli.RegistryCli.REFUSED;
import static dev.modelregistry.cli.RegistryCli.USAGE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.modelregistry.AuditQuery;
import dev.modelregistry.ModelName;
import dev.modelregistry.ModelRegistry;
import dev.modelregistry.Registration;
import dev.modelregistry.Sha256;
import dev.modelregistry.VerificationReport;
import dev.modelregistry.LogEntry;
import dev.modelregistry.internal.util.MessageText;
import dev.modelregistry.sqlite.SqliteRegistry;
import dev.modelregistry.testkit.RegistryBadInputTests;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command line's bad-input corpus: hostile and malformed command-line arguments, metadata and
 * policy files, options, principals and registry locations, each run in-process against a SQLite
 * registry in a temporary folder (the {@link Fixtures} registry). Every input must
 * <ul>
 *   <li>end with the exit code the command line documents: 2 usage or invalid input, 3 not found,
 *       1 refused by access control, 5 a storage that is not a registry database;</li>
 *   <li>print exactly one line on standard error, {@code error: ...}, naming the problem (the value,
 *       the file, the field or the JSON path), without a stack trace or an exception's class name,
 *       without a raw control, bidi or invisible character, and at most 2,000 characters long;</li>
 *   <li>print nothing on standard output;</li>
 *   <li>change nothing: the registry folder ({@code registry.db} and the artifact store) byte for
 *       byte, and a location that is not a registry byte for byte as it was. Equal bytes imply an
 *       equal registry; should they differ, the failure shows what a registry opened afresh reads
 *       (every log's length and last hash, the trail, the verification, the policies) and what
 *       {@code audit verify} says. After the whole corpus, a last test checks that a registry opened
 *       afresh reads exactly what it read before it, and that {@code audit verify} exits 0;</li>
 *   <li>finish within a 30 s hang guard ({@code assertTimeoutPreemptively}: a guard, not a speed test).</li>
 * </ul>
 *
 * <p>The hostile names, versions, references, request ids and gate policy documents are the
 * library's own ({@link RegistryBadInputTests}), fed through the command line: one source of truth.
 * Run it with {@code ./mvnw -B -ntp -pl registry-cli -am verify -Dtest=CliBadInputTest
 * -Dsurefire.failIfNoSpecifiedTests=false}.
 */
@DisplayName("The command line's bad-input corpus")
class CliBadInputTest {
    private static final Duration HANG_GUARD = Duration.ofSeconds(30);
    /** An error line is for a person to read: whatever the input, it stays short. */
    private static final int MAX_ERROR_LINE = 2_000;
    private static final String[] PIPELINE = {"--as", "pipeline", "--role", "data-scientist"};
    private static final String[] RELEASER = {"--as", "rm", "--role", "release-manager"};
    private static final String[] APPROVER = {"--as", "maria", "--role", "approver"};
    private static final String[] ADMIN = {"--as", "platform-admin", "--role", "admin"};

    @TempDir
    Path dir;
    private Path registryDir;
    private Path inputs;
    private Path artifact;
    private Cli cli;
    private final List<Input> corpus = new ArrayList<>();
    /** The registry folder before the corpus, every file's digest, and what a registry opened afresh read from it. */
    private String initialFolder;
    private String initialState;

    @BeforeEach
    void createRegistry() throws IOException {
        registryDir = dir.resolve("registry");
        try (ModelRegistry registry = SqliteRegistry.open(registryDir)) {
            Fixtures.populate(registry);
        }
        inputs = Files.createDirectories(dir.resolve("inputs"));
        artifact = Files.writeString(inputs.resolve("model.bin"), "weights v3");
        cli = new Cli(Map.of(RegistryCli.ENV_REGISTRY, registryDir.toString(), RegistryCli.ENV_PRINCIPAL, "carol",
                RegistryCli.ENV_ROLES, "viewer"));
    }

    @TestFactory
    @DisplayName("every bad input exits with its documented code, prints one line naming the problem, and changes nothing")
    Stream<DynamicTest> badInputsAreRefusedAndChangeNothing() {
        hostileNames();
        badVersions();
        badReferences();
        stages();
        requestIds();
        metadataFiles();
        gatePolicyFiles();
        accessPolicyFiles();
        options();
        principals();
        s3Locations();
        folderLocations();
        assertThat(corpus.size()).as("inputs in the corpus").isGreaterThanOrEqualTo(300);
        Set<String> names = new HashSet<>();
        corpus.forEach(i -> assertThat(names.add(i.description())).as("a unique name: %s", i.description()).isTrue());
        initialFolder = tree(registryDir);
        initialState = state();
        return Stream.concat(corpus.stream().map(input -> DynamicTest.dynamicTest(input.description(), () -> check(input))),
                Stream.of(DynamicTest.dynamicTest("after all " + corpus.size() + " inputs, the registry reads as before them and audit verify exits 0",
                        this::checkUnchangedByTheCorpus)));
    }

    // ------------------------------------------------------------------ running one input

    /**
     * One bad input: what it is (the test's name), the exit code it must end with, what the error
     * line must contain, and how to make the command line (run when the input runs, so that a 20 MB
     * file exists only for its own input).
     */
    private record Input(String description, int exit, List<String> mentions, Command command) {
    }

    /** Makes the files an input needs in its own folder and returns the command line. */
    @FunctionalInterface
    private interface Command {
        Run prepare(Path folder) throws Exception;
    }

    /**
     * The command line; a location that must be left byte for byte as it was ({@code watched}); and
     * what the error must name that is known only once the files exist (a path).
     */
    private record Run(String[] args, Path watched, List<String> mentions) {
        static Run of(String... args) {
            return new Run(args, null, List.of());
        }

        Run naming(Object... more) {
            List<String> all = new ArrayList<>(mentions);
            Arrays.stream(more).map(String::valueOf).forEach(all::add);
            return new Run(args, watched, all);
        }

        Run watching(Path location) {
            return new Run(args, location, mentions);
        }
    }

    private void add(String description, int exit, List<String> mentions, Command command) {
        corpus.add(new Input(description + " exits " + exit, exit, mentions, command));
    }

    private void add(String description, int exit, List<String> mentions, String... args) {
        add(description, exit, mentions, folder -> Run.of(args));
    }

    private void check(Input input) throws Exception {
        Path folder = Files.createTempDirectory(inputs, "input");
        try {
            check(input, input.command().prepare(folder));
        } finally {
            // The 20 MB files and 1 GiB holes of one input are gone before the next one runs.
            try (Stream<Path> files = Files.walk(folder)) {
                for (Path f : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(f);
                }
            }
        }
    }

    private void check(Input input, Run run) {
        String before = tree(registryDir);
        String watchedBefore = tree(run.watched());

        Cli.Result r = assertTimeoutPreemptively(HANG_GUARD, () -> cli.run(run.args()),
                () -> "took longer than the hang guard: " + input.description());

        String what = input.description() + "\n" + r;
        assertThat(r.exit()).as("exit code of %s", what).isEqualTo(input.exit());
        assertThat(r.out()).as("standard output of %s", what).isEmpty();
        String err = r.err();
        assertThat(err).as("standard error of %s", what).startsWith("error: ").endsWith("\n");
        assertThat(err.indexOf('\n')).as("one line on standard error: %s", what).isEqualTo(err.length() - 1);
        assertThat(err).as("no stack trace or exception dump: %s", what)
                .doesNotContain("Exception", "\tat ", "Caused by", "java.lang.");
        assertThat(err.length()).as("length of the error line of %s", what).isLessThanOrEqualTo(MAX_ERROR_LINE);
        String line = err.substring(0, err.length() - 1);
        assertThat(line.chars().filter(CliBadInputTest::hidden).mapToObj(c -> String.format("U+%04X", c)).toList())
                .as("control, bidi and invisible characters printed raw by %s", what).isEmpty();
        List<String> mentions = new ArrayList<>(input.mentions());
        mentions.addAll(run.mentions());
        assertThat(line).as("the error of %s names the problem", what).contains(mentions);

        String after = tree(registryDir);
        if (!after.equals(before)) {
            // Explain the change in the registry's terms: what a registry opened afresh reads now, and audit verify.
            assertThat(after).as("the registry folder, byte for byte, after %s\nwhat it reads now:\n%s\nwhat it read before the corpus:\n%s"
                    + "\naudit verify now: %s", what, state(), initialState, cli.run("audit", "verify")).isEqualTo(before);
        }
        assertThat(tree(run.watched())).as("the location %s after %s", run.watched(), what).isEqualTo(watchedBefore);
    }

    /** After the whole corpus: the registry reads, byte for byte and through a registry opened afresh, as before it. */
    private void checkUnchangedByTheCorpus() {
        assertThat(tree(registryDir)).as("the registry folder after the corpus").isEqualTo(initialFolder);
        assertThat(state()).as("what a registry opened afresh reads after the corpus").isEqualTo(initialState);
        Cli.Result verify = cli.run("audit", "verify");
        assertThat(verify.exit()).as("audit verify after the corpus: %s", verify).isZero();
        assertThat(verify.out()).startsWith("Intact: ");
    }

    private static boolean hidden(int c) {
        int type = Character.getType(c);
        return c < 0x20 || (c >= 0x7f && c < 0xa0) || type == Character.FORMAT || type == Character.LINE_SEPARATOR
                || type == Character.PARAGRAPH_SEPARATOR;
    }

    /**
     * What a registry opened afresh reads: every log's length and last hash, the whole trail (the
     * registry's own log included), the verification of every chain, and both policies.
     */
    private String state() {
        StringBuilder out = new StringBuilder();
        try (ModelRegistry registry = SqliteRegistry.open(registryDir)) {
            for (ModelName m : registry.models()) {
                List<LogEntry> log = registry.log(m.value());
                out.append(m).append(": ").append(log.size()).append(" entries ending ").append(log.get(log.size() - 1).hash()).append('\n');
            }
            List<LogEntry> trail = registry.audit(AuditQuery.all());
            out.append("trail: ").append(trail.size()).append(" entries ending ").append(trail.get(trail.size() - 1).hash()).append('\n');
            VerificationReport report = registry.verify();
            out.append("verify: intact=").append(report.intact()).append(", entries=").append(report.entriesChecked()).append('\n');
            out.append("gates: ").append(registry.gatePolicy().toJson()).append('\n');
            out.append("access: ").append(registry.accessPolicy()).append('\n');
        }
        return out.toString();
    }

    /** A file's or folder's content: each path, and each file's size and digest. */
    private static String tree(Path root) {
        if (root == null) {
            return "";
        }
        if (!Files.exists(root)) {
            return root + " absent\n";
        }
        StringBuilder out = new StringBuilder();
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted().toList()) {
                out.append(root.relativize(p));
                if (Files.isRegularFile(p)) {
                    out.append(' ').append(Files.size(p)).append(' ').append(Sha256.digest(Files.readAllBytes(p)));
                }
                out.append('\n');
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    // ------------------------------------------------------------------ naming values

    /** A value as the registry and the command line quote it in a message, without the quotes. */
    private static String esc(String value) {
        String q = MessageText.quote(value);
        return q.substring(1, q.length() - 1);
    }

    /** The start of {@link #esc}: enough to show the value is named, robust to how a long value is cut. */
    private static String escStart(String value) {
        String e = esc(value);
        return e.length() > 40 ? e.substring(0, 40) : e;
    }

    /** A value as a test name shows it: control and invisible characters escaped, long values cut. */
    private static String shown(String value) {
        return RegistryBadInputTests.printable(value.length() > 40 ? value.substring(0, 40) + "..." : value);
    }

    /** The command an argument list runs, for a test name: "promote", "lineage up", "audit verify --model". */
    private static String commandName(String[] args) {
        int i = 0;
        while (args[i].equals("--as") || args[i].equals("--role")) {
            i += 2;
        }
        StringBuilder name = new StringBuilder(args[i]);
        for (int j = i + 1; j < args.length && (j == i + 1 && args[i].matches("lineage|audit|policy") && !args[j].startsWith("-")
                || args[j].startsWith("--model=")); j++) {
            name.append(' ').append(args[j].startsWith("--model=") ? "--model" : args[j]);
        }
        return name.toString();
    }

    private static String[] concat(String[] first, String... rest) {
        String[] all = Arrays.copyOf(first, first.length + rest.length);
        System.arraycopy(rest, 0, all, first.length, rest.length);
        return all;
    }

    // ------------------------------------------------------------------ the corpus: arguments

    /** The library's hostile names as the model argument of every command that takes one. */
    private void hostileNames() {
        List<String> names = RegistryBadInputTests.hostileNames();
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i);
            // An empty name is named by what it is; any other by its escaped text.
            List<String> mentions = name.isEmpty() ? List.of("model name \"\"") : List.of(esc(name));
            String[][] commands = {
                    {"versions", name},
                    {"history", name},
                    {"show", name + "@1.5.0"},
                    concat(RELEASER, "promote", name + "@1.5.0", "staging"),
                    concat(RELEASER, "rollback", name, "-m", "bad input"),
                    concat(RELEASER, "archive", name + "@1.5.0"),
                    {"compare", name, "1.5.0", "2.0.0"},
                    {"diff", name, "1.5.0", "2.0.0"},
                    {"lineage", "up", "version:" + name + "@1.5.0"},
                    {"lineage", "down", "version:" + name + "@1.5.0"},
                    {"requests", name},
                    {"audit", "--model=" + name},
                    {"audit", "verify", "--model=" + name},
            };
            // Each name through two different commands, so every command meets a share of every kind of name.
            for (String[] args : List.of(commands[i % commands.length], commands[(i + 6) % commands.length])) {
                add(commandName(args) + " with the model name " + shown(name), USAGE, mentions, args);
            }
        }
    }

    /** The library's invalid and oversized versions wherever a command takes an exact version. */
    private void badVersions() {
        List<String> versions = RegistryBadInputTests.badVersions();
        for (int i = 0; i < versions.size(); i++) {
            String v = versions.get(i);
            // The library quotes a version as it was given; the command line prints it on one line with hidden characters escaped.
            String named = Text.safe("version \"" + v + "\"");
            List<String> mentions = List.of(named.substring(0, Math.min(40, named.length())));
            switch (i % 3) {
                case 0 -> add("rollback --to the version " + shown(v), USAGE, mentions, concat(RELEASER, "rollback", MODEL, "--to=" + v));
                case 1 -> add("audit --model-version " + shown(v), USAGE, mentions, "audit", "--model=" + MODEL, "--model-version=" + v);
                default -> add("register --version " + shown(v), USAGE, mentions,
                        folder -> Run.of(concat(PIPELINE, "register", "--model", MODEL, "--version=" + v, artifact.toString())));
            }
        }
    }

    /** Malformed references (the library's, and the command line's own), and references to nothing. */
    private void badReferences() {
        List<String> refs = new ArrayList<>(RegistryBadInputTests.badReferences());
        refs.addAll(List.of("@@", "@production", MODEL + "@@",
                MODEL + "@" + "9".repeat(5000), MODEL + "@latest\n", MODEL + "@\u202eproduction", "fraud\u2010detector@1.5.0"));
        for (int i = 0; i < refs.size(); i++) {
            String ref = refs.get(i);
            List<String> mentions = List.of(ref.isEmpty() ? "reference \"\"" : ref.startsWith("@") ? "model name \"\"" : escStart(ref));
            String[][] commands = {
                    {"show", ref},
                    concat(RELEASER, "promote", ref, "staging"),
                    concat(RELEASER, "archive", ref, "-m", "bad reference"),
                    {"lineage", "up", ref.indexOf('@') > 0 ? ref : "version:" + ref},
            };
            for (String[] args : List.of(commands[i % commands.length], commands[(i + 2) % commands.length])) {
                add(commandName(args) + " of the reference " + shown(ref), USAGE, mentions, args);
            }
        }
        // A selector that is no stage, version or range but a valid name can only be a tag: when no version
        // carries it, nothing matches (exit 3), as for any reference to nothing.
        for (String ref : List.of(MODEL + "@canary", MODEL + "@1.2.3.4", MODEL + "@99999999999999999999.0.0")) {
            add("show of the reference " + shown(ref) + ", a tag no version carries", NOT_FOUND, List.of(escStart(ref)), "show", ref);
            add("archive of the reference " + shown(ref) + ", a tag no version carries", NOT_FOUND, List.of(escStart(ref)),
                    concat(RELEASER, "archive", ref, "-m", "bad reference"));
        }
        // '@' begins every selector: an argument "@file" is a reference, never a file of arguments read in its place.
        add("show of the reference \"@FILE\" where FILE holds a valid reference", USAGE, List.of("@"), folder -> {
            Path args = Files.writeString(folder.resolve("args"), MODEL + "@1.5.0");
            return Run.of("show", "@" + args).naming(esc("@" + args));
        });
        add("show of a version that does not exist", NOT_FOUND, List.of(MODEL + "@9.9.9"), "show", MODEL + "@9.9.9");
        add("show of a version of a model that does not exist", NOT_FOUND, List.of("no-such-model"), "show", "no-such-model@1.0.0");
        add("show of a range nothing matches", NOT_FOUND, List.of(">=3.0.0"), "show", MODEL + "@>=3.0.0");
        add("promote of a version that does not exist", NOT_FOUND, List.of("9.9.9"), concat(RELEASER, "promote", MODEL + "@9.9.9", "production"));
        add("rollback --to a version that does not exist", NOT_FOUND, List.of("9.9.9"), concat(RELEASER, "rollback", MODEL, "--to", "9.9.9"));
        add("versions of a model that does not exist", NOT_FOUND, List.of("no-such-model"), "versions", "no-such-model");
        add("history of a model that does not exist", NOT_FOUND, List.of("no-such-model"), "history", "no-such-model");
        add("compare of a model that does not exist", NOT_FOUND, List.of("no-such-model"), "compare", "no-such-model", "1.0.0", "2.0.0");
        add("lineage up of a dataset no version used", NOT_FOUND, List.of("s3://data/never@v1"), "lineage", "up", "dataset:s3://data/never@v1");
        add("impact of a dataset no version used", NOT_FOUND, List.of("s3://data/never@v1"), "impact", "s3://data/never@v1");
        add("lineage up of a node of an unknown kind", USAGE, List.of("pipeline:x"), "lineage", "up", "pipeline:x");
        add("lineage up of a node with an empty id", USAGE, List.of("DATASET"), "lineage", "up", "dataset:");
        add("impact of an empty dataset", USAGE, List.of("dataset"), "impact", "");
        add("impact of a dataset with an empty version", USAGE, List.of("s3://x@"), "impact", "s3://x@");
        add("impact of a dataset URI that starts with '@'", USAGE, List.of("@v1"), "impact", "@v1");
        add("impact of a dataset URI with a NUL character", USAGE, List.of("\\u0000"), "impact", "s3://data/x\u0000@v1");
        add("compare on an evaluation set without a version", USAGE, List.of("s3://live"), "compare", MODEL, "1.5.0", "2.0.0", "--on", "s3://live");
        add("compare on an evaluation set neither version was evaluated on", USAGE, List.of("s3://data/other@v1"),
                "compare", MODEL, "1.5.0", "2.0.0", "--on", "s3://data/other@v1");
        add("compare of a model without a canonical evaluation set and no --on", USAGE, List.of("canonical evaluation set"),
                "compare", MODEL, "1.5.0", "2.0.0");
    }

    /** Unknown, reserved, hostile and confusable stage names wherever a command takes a stage. */
    private void stages() {
        Map<String, String> stages = new java.util.LinkedHashMap<>();
        stages.put("canary", "\"CANARY\"");
        stages.put("none", "NONE");
        for (String hostile : List.of("../x", "", "PRODUCTI\u041eN", "production\u0000", "${jndi:ldap://x/a}", "x".repeat(129), "PRODUCTION;DROP TABLE log_entries")) {
            stages.put(hostile, "stage name \"" + escStart(hostile));
        }
        stages.forEach((stage, mention) -> add("promote into the stage " + shown(stage), USAGE, List.of(mention),
                concat(RELEASER, "promote", MODEL + "@1.5.0", stage)));
        add("rollback of a stage that is not exclusive", USAGE, List.of("STAGING", "exclusive"), concat(RELEASER, "rollback", MODEL, "--stage", "staging"));
        add("rollback of an unknown stage", USAGE, List.of("CANARY"), concat(RELEASER, "rollback", MODEL, "--stage", "canary"));
        add("rollback of a stage with no earlier holder", REFUSED, List.of("fraud-distilled"), concat(RELEASER, "rollback", "fraud-distilled"));
        add("rollback --to the current holder", REFUSED, List.of("2.0.0"), concat(RELEASER, "rollback", MODEL, "--to", "2.0.0"));
        add("versions --stage of an unknown stage", USAGE, List.of("CANARY"), "versions", MODEL, "--stage", "canary");
        add("versions --stage with a NUL character", USAGE, List.of("\\u0000"), "versions", MODEL, "--stage", "a\u0000");
        add("impact --stage of an unknown stage", USAGE, List.of("CANARY"), "impact", "s3://data/transactions@git:3f2c1e0", "--stage", "canary");
        add("lineage down --stage of an unknown stage", USAGE, List.of("CANARY"),
                "lineage", "down", "dataset:s3://data/transactions@git:3f2c1e0", "--stage", "canary");
        add("lineage up --stage with a path", USAGE, List.of("../x"), "lineage", "up", MODEL + "@1.5.0", "--stage", "../x");
    }

    /** The library's malformed request ids, and ids that name no request, for approve, reject and withdraw. */
    private void requestIds() {
        List<String> ids = new ArrayList<>(RegistryBadInputTests.badRequestIds());
        ids.addAll(List.of("", MODEL + "#0", MODEL + "#1\u0000", MODEL + "#1 OR 1=1", MODEL + "#\u0661"));
        String[] verbs = {"approve", "reject", "withdraw"};
        for (int i = 0; i < ids.size(); i++) {
            String id = ids.get(i);
            String verb = verbs[i % verbs.length];
            add(verb + " of the request id " + shown(id), USAGE, List.of(id.isEmpty() ? "request id \"\"" : escStart(id)),
                    concat(verb.equals("withdraw") ? RELEASER : APPROVER, verb, id, "-m", "bad id"));
        }
        add("approve of a request id that names no request", NOT_FOUND, List.of(MODEL + "#999"), concat(APPROVER, "approve", MODEL + "#999"));
        add("reject of a request id whose entry is not a request", NOT_FOUND, List.of(MODEL + "#1"), concat(APPROVER, "reject", MODEL + "#1"));
        add("withdraw of a request of a model that does not exist", NOT_FOUND, List.of("no-such-model"), concat(RELEASER, "withdraw", "no-such-model#1"));
    }

    // ------------------------------------------------------------------ the corpus: files

    /** {@code register --metadata FILE ARTIFACT} as a data scientist, with FILE holding {@code json}. */
    private Command register(String json) {
        return folder -> register(Files.writeString(folder.resolve("meta.json"), json));
    }

    private Run register(Path metadata) {
        return Run.of(concat(PIPELINE, "register", "--metadata", metadata.toString(), artifact.toString()));
    }

    /** A metadata document for a new version 3.0.0 with {@code fields} added. */
    private static String meta(String fields) {
        return "{\"model\": \"fraud-detector\", \"version\": \"3.0.0\"" + (fields.isEmpty() ? "" : ", " + fields) + "}";
    }

    private void metadataFiles() {
        // Malformed JSON: the error names the file (and the line where the parser knows it).
        malformedMetadata("metadata that is YAML, not JSON", "model: fraud-detector\nversion: 3.0.0\n", "line 1");
        malformedMetadata("truncated metadata", "{\"model\": \"fraud-detector\", \"version\": \"3.0.0\"", "end-of-input");
        malformedMetadata("metadata with a trailing comma", meta("\"metrics\": {\"auc\": 0.9,}"), "line 1");
        malformedMetadata("metadata with trailing garbage", meta("") + " {}", "Malformed JSON");
        malformedMetadata("metadata with comments", "{/* admin */ \"model\": \"fraud-detector\"}", "Malformed JSON");
        malformedMetadata("metadata with a single-quoted string", "{'model': 'fraud-detector'}", "Malformed JSON");
        malformedMetadata("metadata with a NaN metric", meta("\"metrics\": {\"auc\": NaN}"), "NaN");
        malformedMetadata("metadata with an Infinity metric", meta("\"metrics\": {\"auc\": Infinity}"), "Infinity");
        malformedMetadata("metadata with a -Infinity hyperparameter", meta("\"hyperparameters\": {\"lr\": -Infinity}"), "Infinity");
        malformedMetadata("metadata with a duplicate key", "{\"model\": \"fraud-detector\", \"model\": \"other\", \"version\": \"3.0.0\"}",
                "Duplicate field 'model'");
        malformedMetadata("metadata with arrays nested 100,000 deep", meta("\"hyperparameters\": {\"deep\": " + "[".repeat(100_000) + "]".repeat(100_000) + "}"),
                "nesting depth");
        malformedMetadata("metadata with objects nested 50,000 deep", meta("\"hyperparameters\": {\"deep\": " + "{\"a\":".repeat(50_000) + "1" + "}".repeat(50_000) + "}"),
                "nesting depth");
        malformedMetadata("metadata with a raw control character in a string", meta("\"description\": \"a\u0001b\""), "Malformed JSON");
        malformedMetadata("metadata that is an empty file", "", "is empty");
        malformedMetadata("metadata that is whitespace only", " \n\t\n", "is empty");
        malformedMetadata("metadata that is null", "null", "must be a JSON object, was null");
        malformedMetadata("metadata that is an array", "[{\"model\": \"fraud-detector\"}]", "must be a JSON object, was array");
        malformedMetadata("metadata that is a string", "\"fraud-detector\"", "must be a JSON object, was string");
        malformedMetadata("metadata that is a number", "42", "must be a JSON object, was number");

        // Wrong types and unknown fields: the error names the field's path.
        invalidMetadata("a model that is a number", "{\"model\": 42, \"version\": \"3.0.0\"}", "model must be a string, was number 42");
        invalidMetadata("a version that is a number", "{\"model\": \"fraud-detector\", \"version\": 3}", "version must be a string");
        invalidMetadata("tags that are a string", meta("\"tags\": \"nightly\""), "tags must be an array");
        invalidMetadata("a tag that is an object", meta("\"tags\": [{}]"), "tags[] must be a string");
        invalidMetadata("metrics that are an array", meta("\"metrics\": [0.9]"), "metrics must be an object");
        invalidMetadata("a metric that is a string", meta("\"metrics\": {\"auc\": \"high\"}"), "metrics.auc must be a number");
        invalidMetadata("a metric that is null", meta("\"metrics\": {\"auc\": null}"), "metrics.auc must be a number, was null");
        invalidMetadata("a metric named with a bidi override", meta("\"metrics\": {\"a\\u202eb\": \"x\"}"), "metrics.\"a\\u202eb\"");
        invalidMetadata("hyperparameters that are a string", meta("\"hyperparameters\": \"lr=0.1\""), "hyperparameters must be an object");
        invalidMetadata("a signature that is an array", meta("\"signature\": []"), "signature must be an object");
        invalidMetadata("signature inputs that are an object", meta("\"signature\": {\"inputs\": {}}"), "signature.inputs must be an array");
        invalidMetadata("a signature field's hasDefault that is a string", meta("\"signature\": {\"inputs\": [{\"name\": \"a\", \"type\": \"int\", \"hasDefault\": \"yes\"}]}"),
                "signature.inputs[].hasDefault must be true or false");
        invalidMetadata("a dataset that is a number", meta("\"datasets\": [42]"), "datasets[] must be an object, was number 42");
        invalidMetadata("a training run start that is not an instant", meta("\"trainingRun\": {\"id\": \"r\", \"start\": \"yesterday\"}"),
                "trainingRun.start \"yesterday\"");
        invalidMetadata("a label value that is a number", meta("\"labels\": {\"team\": 7}"), "labels.team must be a string");
        invalidMetadata("model card owners that are a string", meta("\"modelCard\": {\"owners\": \"me\"}"), "modelCard.owners must be an array");
        invalidMetadata("a 1 MB string where an array belongs", meta("\"tags\": \"" + "x".repeat(1024 * 1024) + "\""),
                "tags must be an array, was string \"xxxx", "(1048576 chars)");
        invalidMetadata("an unknown top-level field", meta("\"metrix\": {}"), "Unknown field \"metrix\"");
        invalidMetadata("an unknown field named with a NUL character", meta("\"a\\u0000\": 1"), "Unknown field \"a\\u0000\"");
        invalidMetadata("an unknown field in code", meta("\"code\": {\"repo\": \"https://git.example.org/x\"}"), "code.repo is not a known field");
        invalidMetadata("an unknown field in the training run", meta("\"trainingRun\": {\"id\": \"r\", \"seed\": \"7\"}"), "trainingRun.seed is not a known field");
        invalidMetadata("an unknown field in a parent", meta("\"parents\": [{\"model\": \"fraud-detector\", \"version\": \"2.0.0\", \"reason\": \"x\"}]"),
                "parents[].reason is not a known field");
        invalidMetadata("an unknown field in a dataset", meta("\"datasets\": [{\"uri\": \"s3://d\", \"version\": \"v1\", \"hash\": \"x\"}]"),
                "datasets[].hash is not a known field");
        invalidMetadata("an unknown field in the signature", meta("\"signature\": {\"input\": []}"), "signature.input is not a known field");
        invalidMetadata("an unknown field in the model card", meta("\"modelCard\": {\"owner\": \"me\"}"), "modelCard.owner is not a known field");

        // Values the library refuses, with its message.
        invalidMetadata("a metric of 1e400", meta("\"metrics\": {\"auc\": 1e400}"), "auc", "finite");
        invalidMetadata("a hyperparameter of 1e400", meta("\"hyperparameters\": {\"lr\": 1e400}"), "lr", "finite");
        invalidMetadata("hyperparameters nested 40 deep", meta("\"hyperparameters\": {\"deep\": " + "[".repeat(40) + "]".repeat(40) + "}"), "deeper than");
        invalidMetadata("a description of 10 MB", meta("\"description\": \"" + "d".repeat(10 * 1024 * 1024) + "\""), "description", "65536");
        invalidMetadata("a description with a NUL character", meta("\"description\": \"ok\\u0000; DROP TABLE log_entries\""), "description", "U+0000");
        invalidMetadata("65 tags", meta("\"tags\": [" + String.join(", ", java.util.stream.IntStream.range(0, 65).mapToObj(i -> "\"t" + i + "\"").toList()) + "]"),
                "tags");
        invalidMetadata("the model name \"../etc/passwd\"", "{\"model\": \"../etc/passwd\", \"version\": \"3.0.0\"}", "model name \"../etc/passwd\"");
        invalidMetadata("the model name \"_registry\"", "{\"model\": \"_registry\", \"version\": \"3.0.0\"}", "\"_registry\"", "reserved");
        invalidMetadata("a tag with a bidi override", meta("\"tags\": [\"a\\u202eb\"]"), "tag \"a\\u202eb\"");
        invalidMetadata("a tag that reads as a stage", meta("\"tags\": [\"production\"]"), "production");
        invalidMetadata("a version that exists", "{\"model\": \"fraud-detector\", \"version\": \"2.0.0\"}", "already has version 2.0.0");
        invalidMetadata("an invalid version", "{\"model\": \"fraud-detector\", \"version\": \"v3\"}", "version \"v3\"");
        invalidMetadata("both a version and a bump", meta("\"bump\": \"minor\""), "Both a version (\"3.0.0\") and a bump (\"minor\")");
        invalidMetadata("an unknown bump", "{\"model\": \"fraud-detector\", \"bump\": \"huge\"}", "bump \"huge\"");
        invalidMetadata("a parent version that is not a version", meta("\"parents\": [{\"model\": \"fraud-detector\", \"version\": \"1.x\"}]"), "\"1.x\"");
        invalidMetadata("a version that is its own parent", meta("\"parents\": [{\"model\": \"fraud-detector\", \"version\": \"3.0.0\", \"relation\": \"x\"}]"),
                "own parent");
        invalidMetadata("a dataset without a URI", meta("\"datasets\": [\"@v1\"]"), "@v1");
        invalidMetadata("a reason of 5,000 characters", meta("\"reason\": \"" + "r".repeat(5000) + "\""), "reason", "4096");
        add("register with metadata whose model disagrees with --model", USAGE, List.of("\"fraud-detector\"", "\"other\""), folder -> {
            Path m = Files.writeString(folder.resolve("meta.json"), meta(""));
            return Run.of(concat(PIPELINE, "register", "--model", "other", "--metadata", m.toString(), artifact.toString()));
        });
        add("register with metadata naming a parent that is not registered", NOT_FOUND, List.of("fraud-detector@9.9.9"),
                register(meta("\"parents\": [{\"model\": \"fraud-detector\", \"version\": \"9.9.9\", \"relation\": \"fine-tune\"}]")));

        // Files that are not what they should be.
        add("register with a 20 MB metadata string", USAGE, List.of("20.0 MiB", "the limit is 16.0 MiB"), folder -> {
            Path m = Files.writeString(folder.resolve("meta.json"), meta("\"description\": \"" + "x".repeat(20 * 1024 * 1024) + "\""));
            return register(m).naming(m);
        });
        add("register with a 1 GiB (sparse) metadata file", USAGE, List.of("1.0 GiB", "the limit is 16.0 MiB"), folder -> {
            Path m = sparse(folder.resolve("meta.json"), 1L << 30);
            return register(m).naming(m);
        });
        add("register with metadata starting with a byte order mark", USAGE, List.of("byte order mark"), folder -> {
            Path m = Files.writeString(folder.resolve("meta.json"), "\ufeff" + meta(""));
            return register(m).naming(m);
        });
        add("register with metadata in UTF-16", USAGE, List.of("not UTF-8", "0xfe"), folder -> {
            Path m = Files.write(folder.resolve("meta.json"), meta("").getBytes(StandardCharsets.UTF_16));
            return register(m).naming(m);
        });
        add("register with metadata in Latin-1", USAGE, List.of("not UTF-8", "0xe9"), folder -> {
            Path m = Files.write(folder.resolve("meta.json"), meta("\"description\": \"caf\u00e9\"").getBytes(StandardCharsets.ISO_8859_1));
            return register(m).naming(m);
        });
        add("register with a metadata file of random bytes", USAGE, List.of("not UTF-8"), folder -> {
            byte[] bytes = new byte[4096];
            new java.util.Random(42).nextBytes(bytes);
            bytes[0] = (byte) 0xc3;
            bytes[1] = (byte) 0x28;
            Path m = Files.write(folder.resolve("meta.json"), bytes);
            return register(m).naming(m);
        });
        add("register with a folder as the metadata file", NOT_FOUND, List.of("not a regular file"), folder -> {
            Path m = Files.createDirectories(folder.resolve("meta.json"));
            return register(m).naming(m);
        });
        add("register with a metadata file that does not exist", NOT_FOUND, List.of("does not exist"), folder -> {
            Path m = folder.resolve("missing.json");
            return register(m).naming(m);
        });
        add("register with a metadata path holding a NUL character", USAGE, List.of("--metadata"),
                folder -> Run.of(concat(PIPELINE, "register", "--metadata", folder + "/meta\u0000.json", artifact.toString())));
        add("register with an artifact file that does not exist", NOT_FOUND, List.of("does not exist"), folder -> {
            Path missing = folder.resolve("model-missing.bin");
            return Run.of(concat(PIPELINE, "register", "--model", MODEL, "--version", "3.0.0", missing.toString())).naming(missing);
        });
        add("register with an artifact folder holding a folder", USAGE, List.of("contains the folder nested"), folder -> {
            Path build = Files.createDirectories(folder.resolve("build"));
            Files.writeString(build.resolve("model.bin"), "w");
            Files.createDirectories(build.resolve("nested"));
            return Run.of(concat(PIPELINE, "register", "--model", MODEL, "--version", "3.0.0", build.toString()));
        });
        add("register with two artifacts of one name", USAGE, List.of("model.bin"), folder -> {
            Path a = Files.writeString(Files.createDirectories(folder.resolve("a")).resolve("model.bin"), "a");
            Path b = Files.writeString(Files.createDirectories(folder.resolve("b")).resolve("model.bin"), "b");
            return Run.of(concat(PIPELINE, "register", "--model", MODEL, "--version", "3.0.0", a.toString(), b.toString()));
        });
        add("register without a model", USAGE, List.of("No model given"), concat(PIPELINE, "register", "--version", "3.0.0"));
        add("register --bump of an unknown bump", USAGE, List.of("bump \"sideways\""), concat(PIPELINE, "register", "--model", MODEL, "--bump", "sideways"));
        add("register --tag with a path", USAGE, List.of("tag \"../x\""), concat(PIPELINE, "register", "--model", MODEL, "--tag", "../x"));
        add("register --reason with a NUL character", USAGE, List.of("reason", "U+0000"),
                concat(PIPELINE, "register", "--model", MODEL, "--version", "3.0.0", "--reason", "ok\u0000"));
    }

    private void malformedMetadata(String what, String json, String... mentions) {
        add("register with " + what, USAGE, List.of(mentions), folder -> {
            Path m = Files.writeString(folder.resolve("meta.json"), json);
            return register(m).naming(m);
        });
    }

    private void invalidMetadata(String what, String json, String... mentions) {
        add("register with metadata holding " + what, USAGE, List.of(mentions), register(json));
    }

    /** A file of {@code size} bytes that takes no room on disk (a hole): a huge input that costs nothing to make. */
    private static Path sparse(Path file, long size) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.setLength(size);
        }
        return file;
    }

    /** The library's malformed gate policies, policy files that are not documents, and policies the registry refuses. */
    private void gatePolicyFiles() {
        RegistryBadInputTests.badGatePolicies().forEach((what, json) -> add("policy set with a gate policy document with " + what, USAGE,
                List.of(), policySet(false, json, what.equals("a byte order mark") ? "byte order mark"
                        : what.equals("a 20 MB string value") ? "the limit is 16.0 MiB"
                        : what.equals("an empty document") || what.equals("whitespace only") ? "is empty" : "Invalid gate policy")));
        add("policy set with a gate policy naming an unregistered custom gate", USAGE, List.of("shadow-traffic"),
                policySet(false, "{\"version\": 1, \"transitions\": {\"STAGING->PRODUCTION\": [{\"type\": \"custom\", \"name\": \"shadow-traffic\"}]}}"));
        add("policy set with a gate policy for a mistyped stage", USAGE, List.of("STAGING->PRODUCTON", "PRODUCTON"),
                policySet(false, "{\"version\": 1, \"transitions\": {\"STAGING->PRODUCTON\": [{\"type\": \"manual-approval\", \"approvals\": 1, \"role\": \"approver\"}]}}"));
        add("policy set with a gate policy for a stage the lifecycle lacks", USAGE, List.of("CANARY"),
                policySet(false, "{\"version\": 1, \"transitions\": {\"CANARY->PRODUCTION\": [{\"type\": \"manual-approval\", \"approvals\": 1, \"role\": \"approver\"}]}}"));
        add("policy set with an access policy given as a gate policy", USAGE, List.of("roles"),
                policySet(false, "{\"roles\": {\"viewer\": [{\"action\": \"READ\"}]}}", "Invalid gate policy"));
        add("policy set with a gate policy that is YAML", USAGE, List.of("Invalid gate policy"),
                policySet(false, "version: 1\ntransitions: {}\n"));
        add("policy set with a gate policy in Latin-1", USAGE, List.of("not UTF-8", "0xe9"), folder -> {
            Path f = Files.write(folder.resolve("policy.json"), "{\"version\": 1, \"transitions\": {}, \"n\u00e9\": 1}".getBytes(StandardCharsets.ISO_8859_1));
            return Run.of(concat(ADMIN, "policy", "set", f.toString())).naming(f);
        });
        add("policy set with a 1 GiB (sparse) gate policy", USAGE, List.of("1.0 GiB"), folder -> {
            Path f = sparse(folder.resolve("policy.json"), 1L << 30);
            return Run.of(concat(ADMIN, "policy", "set", f.toString())).naming(f);
        });
        add("policy set with a folder as the policy file", NOT_FOUND, List.of("not a regular file"), folder -> {
            Path f = Files.createDirectories(folder.resolve("policy.json"));
            return Run.of(concat(ADMIN, "policy", "set", f.toString())).naming(f);
        });
        add("policy set with a policy file that does not exist", NOT_FOUND, List.of("does not exist"), folder -> {
            Path f = folder.resolve("missing.json");
            return Run.of(concat(ADMIN, "policy", "set", f.toString())).naming(f);
        });
    }

    /** {@code policy set [--access] FILE} as an admin, FILE holding {@code json}; the error names FILE and {@code mentions}. */
    private Command policySet(boolean access, String json, String... mentions) {
        return folder -> {
            Path f = Files.writeString(folder.resolve(access ? "access.json" : "policy.json"), json);
            String[] args = access ? concat(ADMIN, "policy", "set", "--access", f.toString()) : concat(ADMIN, "policy", "set", f.toString());
            return Run.of(args).naming(f).naming((Object[]) mentions);
        };
    }

    private void accessPolicyFiles() {
        access("that is not JSON", "roles: {viewer: [READ]}", "Malformed JSON", "line 1");
        access("that is truncated", "{\"roles\": {\"viewer\": [{\"action\": \"READ\"}", "end-of-input");
        access("that is empty", "", "is empty");
        access("that is null", "null", "the document is null");
        access("that is an array", "[]", "Invalid access policy");
        access("whose roles are an array", "{\"roles\": []}", "at /roles: expected an object");
        access("whose grants are an object", "{\"roles\": {\"viewer\": {\"action\": \"READ\"}}}", "at /roles/viewer: expected an array");
        access("whose grants are null", "{\"roles\": {\"viewer\": null}}", "Role viewer", "null");
        access("with a null grant", "{\"roles\": {\"viewer\": [null]}}", "Role viewer", "a null grant");
        access("with an unknown action", "{\"roles\": {\"on-call\": [{\"action\": \"ROLL_BACK\"}]}}", "/roles/on-call/0/action", "ROLL_BACK");
        access("with an action that is a number", "{\"roles\": {\"on-call\": [{\"action\": 3}]}}", "/roles/on-call/0/action");
        access("with a grant without an action", "{\"roles\": {\"on-call\": [{}]}}", "/roles/on-call/0", "needs an action");
        access("with a role name with a path", "{\"roles\": {\"../admin\": [{\"action\": \"READ\"}]}}", "role name \"../admin\"");
        access("with a role name with a NUL character", "{\"roles\": {\"adm\\u0000in\": [{\"action\": \"READ\"}]}}", "role name \"adm\\u0000in\"");
        access("with a role name with a bidi override", "{\"roles\": {\"adm\\u202ein\": [{\"action\": \"READ\"}]}}", "role name \"adm\\u202ein\"");
        access("with a confusable role name", "{\"roles\": {\"\\u0430dmin\": [{\"action\": \"READ\"}]}}", "role name \"\\u0430dmin\"");
        access("with a role name of 129 characters", "{\"roles\": {\"" + "r".repeat(129) + "\": [{\"action\": \"READ\"}]}}", "role name \"rrrr");
        access("with a regex for a model pattern", "{\"roles\": {\"x\": [{\"action\": \"READ\", \"modelPattern\": \"(a+)+$\"}]}}", "model pattern \"(a+)+$\"");
        access("with a stage with a path", "{\"roles\": {\"x\": [{\"action\": \"PROMOTE\", \"stages\": [\"../x\"]}]}}", "/roles/x/0/stages/0", "\"../x\"");
        access("with stages that are a string", "{\"roles\": {\"x\": [{\"action\": \"PROMOTE\", \"stages\": \"PRODUCTION\"}]}}", "/roles/x/0/stages");
        access("with an unknown top-level field", "{\"roles\": {\"x\": [{\"action\": \"READ\"}]}, \"admin\": true}", "/admin");
        access("with an unknown grant field", "{\"roles\": {\"x\": [{\"action\": \"READ\", \"bypass\": true}]}}", "/roles/x/0/bypass");
        access("with a role given twice", "{\"roles\": {\"viewer\": [{\"action\": \"READ\"}], \"viewer\": [{\"action\": \"MANAGE_ACCESS\"}]}}",
                "Duplicate field 'viewer'");
        access("with allowAllPrincipals that is a word", "{\"roles\": {}, \"allowAllPrincipals\": \"yes\"}", "/allowAllPrincipals");
        access("with comments", "{/* everyone */ \"roles\": {}}", "Malformed JSON");
        access("with trailing garbage", "{\"roles\": {}} x", "Malformed JSON", "'x'");
        access("with arrays nested 100,000 deep", "[".repeat(100_000) + "]".repeat(100_000), "at /: expected an object");
        access("with grants nested 100,000 deep", "{\"roles\": {\"x\": " + "[".repeat(100_000) + "]".repeat(100_000) + "}}", "at /roles/x/0");
        access("that is a gate policy", "{\"version\": 1, \"transitions\": {}}", "/version");
        add("policy set --access with a byte order mark", USAGE, List.of("byte order mark"), policySet(true, "\ufeff{\"roles\": {}}"));
        add("policy set --access with a 20 MB string", USAGE, List.of("the limit is 16.0 MiB"),
                policySet(true, "{\"roles\": {\"" + "r".repeat(20 * 1024 * 1024) + "\": []}}"));
        add("policy set --access with a policy in Latin-1", USAGE, List.of("not UTF-8"), folder -> {
            Path f = Files.write(folder.resolve("access.json"), "{\"roles\": {\"caf\u00e9\": []}}".getBytes(StandardCharsets.ISO_8859_1));
            return Run.of(concat(ADMIN, "policy", "set", "--access", f.toString())).naming(f);
        });
        add("policy set --access with a folder as the policy file", NOT_FOUND, List.of("not a regular file"), folder -> {
            Path f = Files.createDirectories(folder.resolve("access.json"));
            return Run.of(concat(ADMIN, "policy", "set", "--access", f.toString())).naming(f);
        });
        add("policy set --access with a policy file that does not exist", NOT_FOUND, List.of("does not exist"), folder -> {
            Path f = folder.resolve("missing.json");
            return Run.of(concat(ADMIN, "policy", "set", "--access", f.toString())).naming(f);
        });
    }

    private void access(String what, String json, String... mentions) {
        add("policy set --access with an access policy " + what, USAGE, List.of(), policySet(true, json, mentions));
    }

    // ------------------------------------------------------------------ the corpus: options and locations

    private void options() {
        add("an unknown command", USAGE, List.of("bogus"), "bogus");
        add("an unknown lineage direction", USAGE, List.of("sideways"), "lineage", "sideways", MODEL + "@1.5.0");
        add("models with an unknown option", USAGE, List.of("--bogus"), "models", "--bogus");
        add("versions with a misspelt option", USAGE, List.of("--jsn"), "versions", MODEL, "--jsn");
        add("an unknown option with a bidi override", USAGE, List.of("--bogus\\u202e"), "--bogus\u202e", "models");
        add("an unknown option with an ANSI escape", USAGE, List.of("\\u001b[2J"), "models", "--\u001b[2J");
        add("promote with --force", USAGE, List.of("--force"), concat(RELEASER, "promote", "--force", MODEL + "@1.5.0", "production"));
        add("audit verify with --fix", USAGE, List.of("--fix"), "audit", "verify", "--fix");
        add("policy show with --yaml", USAGE, List.of("--yaml"), "policy", "show", "--yaml");
        add("register with --dry-run", USAGE, List.of("--dry-run"), concat(PIPELINE, "register", "--model", MODEL, "--dry-run"));
        add("show with an option of another command", USAGE, List.of("--format"), "show", MODEL + "@latest", "--format", "json");
        add("promote without a stage", USAGE, List.of("STAGE"), concat(RELEASER, "promote", MODEL + "@1.5.0"));
        add("versions without a model", USAGE, List.of("MODEL"), "versions");
        add("show without a reference", USAGE, List.of("MODEL@SELECTOR"), "show");
        add("show of a model without a selector", USAGE, List.of("model@selector"), "show", MODEL);
        add("compare without a candidate", USAGE, List.of("'B'"), "compare", MODEL, "1.5.0");
        add("diff without versions", USAGE, List.of("'A'"), "diff", MODEL);
        add("approve without a request", USAGE, List.of("REQUEST"), concat(APPROVER, "approve"));
        add("rollback without a model", USAGE, List.of("MODEL"), concat(RELEASER, "rollback"));
        add("policy set without a file", USAGE, List.of("FILE"), concat(ADMIN, "policy", "set"));
        add("lineage up without a node", USAGE, List.of("NODE"), "lineage", "up");
        add("impact without a dataset", USAGE, List.of("DATASET"), "impact");
        add("register --metadata without its value", USAGE, List.of("--metadata"), concat(PIPELINE, "register", "--metadata"));
        add("--registry without its value", USAGE, List.of("--registry"), "models", "--registry");
        add("versions with an extra argument", USAGE, List.of("fraud-distilled"), "versions", MODEL, "fraud-distilled");
        for (String time : List.of("yesterday", "2026-13-45", "2026-11-26T25:00:00Z", "2026-11-26 09:00", "", "9999999999999999w",
                "99999999999999999999s", "\u0661h", "-2h", "2h\u0000", "${jndi:ldap://x/a}")) {
            add("audit --since " + shown(time), USAGE, List.of("--since", time.isEmpty() ? "time \"\"" : escStart(time)), "audit", "--since=" + time);
        }
        add("audit --until garbage", USAGE, List.of("--until", "\"tomorrow\""), "audit", "--until", "tomorrow");
        add("audit export --since garbage", USAGE, List.of("--since", "\"last week\""), "audit", "export", "--since", "last week");
        add("audit --outcome of an unknown outcome", USAGE, List.of("maybe"), "audit", "--outcome", "maybe");
        add("audit --action of an unknown event type", USAGE, List.of("\"StageChange\"", "StageChanged"), "audit", "--action", "StageChange");
        add("audit --action with a NUL character", USAGE, List.of("\"StageChanged\\u0000\""), "audit", "--action", "StageChanged\u0000");
        add("audit --model-version with a version that is a range", USAGE, List.of("\"^1.2\""), "audit", "--model", MODEL, "--model-version", "^1.2");
        add("audit export --output to a folder", USAGE, List.of("is a folder"), folder -> Run.of("audit", "export", "--output", folder.toString())
                .naming(folder).watching(folder));
        add("audit export --output into a folder that does not exist", NOT_FOUND, List.of("does not exist"), folder -> {
            Path out = folder.resolve("missing").resolve("audit.jsonl");
            return Run.of("audit", "export", "--output", out.toString()).naming(out).watching(folder);
        });
        add("audit export --output with a NUL character", USAGE, List.of("--output"), folder -> Run.of("audit", "export", "--output", folder + "/a\u0000.jsonl")
                .watching(folder));
        add("compare --format of an unknown format", USAGE, List.of("pdf"), "compare", MODEL, "1.5.0", "2.0.0", "--format", "pdf");
        add("diff --format of an unknown format", USAGE, List.of("yaml"), "diff", MODEL, "1.5.0", "2.0.0", "--format", "yaml");
        add("lineage up --format of an unknown format", USAGE, List.of("svg"), "lineage", "up", MODEL + "@1.5.0", "--format", "svg");
        for (String depth : List.of("abc", "-1", "0", "99999999999", "1e3")) {
            add("lineage up --depth " + depth, USAGE, List.of(depth.equals("0") || depth.equals("-1") ? "was " + depth : "'" + depth + "'"),
                    "lineage", "up", MODEL + "@1.5.0", "--depth=" + depth);
        }
        for (String tolerance : List.of("NaN", "-1", "Infinity", "abc", "0x1p3000")) {
            add("compare --slice-tolerance " + tolerance, USAGE, List.of(tolerance.equals("abc") ? "'abc'" : "tolerance"),
                    "compare", MODEL, "1.5.0", "2.0.0", "--on", "s3://data/holdout@v3", "--slice-tolerance=" + tolerance);
        }
        add("requests --awaiting of a role with a path", USAGE, List.of("role \"../x\""), "requests", "--awaiting", "../x");
        add("rollback --reason of 5,000 characters", USAGE, List.of("reason", "4096"), concat(RELEASER, "rollback", MODEL, "-m", "r".repeat(5000)));
        add("promote --reason with a NUL character", USAGE, List.of("reason", "U+0000"),
                concat(RELEASER, "promote", MODEL + "@1.5.0", "staging", "-m", "ok\u0000; DROP TABLE log_entries"));
        add("no registry given", USAGE, List.of("--registry"), "--registry=", "models");
    }

    /** Principals and roles that are empty or hostile; a valid but unprivileged one may only read what it is allowed to. */
    private void principals() {
        add("an empty --as", USAGE, List.of("--as", "principal \"\""), "--as=", "versions", MODEL);
        add("a blank --as", USAGE, List.of("--as", "principal \"  \""), "--as", "  ", "versions", MODEL);
        add("an --as of two lines", USAGE, List.of("principal name \"eve\\u000aadmin\""), "--as", "eve\nadmin", "--role", "viewer", "versions", MODEL);
        add("an --as with a NUL character", USAGE, List.of("principal name \"eve\\u0000\""), "--as", "eve\u0000", "--role", "viewer", "versions", MODEL);
        add("an --as with an ANSI escape", USAGE, List.of("principal name \"eve\\u001b[2J\""), "--as", "eve\u001b[2J", "--role", "viewer", "versions", MODEL);
        add("an --as of 10,000 characters", USAGE, List.of("principal name", "10000"), "--as", "p".repeat(10_000), "--role", "viewer", "versions", MODEL);
        add("an --as with a bidi override and no role", REFUSED, List.of("eve\\u202eadmin", "may not READ"), "--as", "eve\u202eadmin", "versions", MODEL);
        add("an --as of ${jndi:...} and no role", REFUSED, List.of("${jndi:ldap://x/a}", "may not READ"), "--as", "${jndi:ldap://x/a}", "history", MODEL);
        add("an --as of SQL and no role", REFUSED, List.of("x' OR '1'='1", "may not READ"), "--as", "x' OR '1'='1", "show", MODEL + "@production");
        add("an --as whose role does not allow a registry-wide read", REFUSED, List.of("may not READ"), "--as", "eve", "--role", "approver-of-nothing",
                "audit");
        add("an empty --role", USAGE, List.of("--role", "role \"\""), "--role=", "versions", MODEL);
        add("a blank --role", USAGE, List.of("--role", "role \" \""), "--role", " ", "versions", MODEL);
        add("a --role with an empty entry", USAGE, List.of("--role", "role \"\""), "--role", "viewer,,admin", "versions", MODEL);
        for (String role : List.of("../admin", "admin\u0000", "${jndi:ldap://x/a}", "\u0430dmin", "adm\u202ein", "r".repeat(129), "admin;DROP TABLE log_entries")) {
            add("the --role " + shown(role), USAGE, List.of("role \"" + escStart(role)), "--as", "eve", "--role", role, "versions", MODEL);
        }
        add("a --role of a confusable admin for a write", USAGE, List.of("role \"\\u0430dmin\""),
                folder -> Run.of(concat(new String[] {"--as", "eve", "--role", "\u0430dmin"}, "policy", "set", "--access",
                        Files.writeString(folder.resolve("access.json"), "{\"roles\": {}, \"allowAllPrincipals\": true}").toString())));
    }

    /** S3 locations and endpoints that cannot be used: refused before any request is made. */
    private void s3Locations() {
        add("an s3:// location without a bucket", USAGE, List.of("\"s3://\""), "--registry", "s3://", "models");
        add("an s3:// location with an empty bucket", USAGE, List.of("\"s3:///models\""), "--registry", "s3:///models", "models");
        add("an s3:// location with an invalid bucket name", USAGE, List.of("Bad_Bucket"), "--registry", "s3://Bad_Bucket/p", "models");
        add("an s3:// location with a two-letter bucket", USAGE, List.of("\"ab\""), "--registry", "s3://ab/p", "models");
        add("an s3:// location with a NUL in the bucket", USAGE, List.of("\\u0000"), "--registry", "s3://mod\u0000els/p", "models");
        for (String endpoint : List.of("::not a uri", "http://", "ftp://minio:9000", "http://exa mple.com", "http://minio:9000/\u0000", "file:///etc/passwd",
                "${jndi:ldap://x/a}")) {
            add("--s3-endpoint " + shown(endpoint), USAGE, List.of(escStart(endpoint)),
                    "--registry", "s3://models/prod", "--s3-endpoint", endpoint, "models");
        }
        for (String region : List.of("a b", "EU_WEST_1", "eu-west-1\n", "../x")) {
            add("--s3-region " + shown(region), USAGE, List.of("region \"" + escStart(region)),
                    "--registry", "s3://models/prod", "--s3-endpoint", "http://127.0.0.1:9", "--s3-region", region, "models");
        }
    }

    /** Locations that are not a registry: refused, and left byte for byte as they were. */
    private void folderLocations() {
        byte[] text = "model,version\nfraud,1.0.0\n".getBytes(StandardCharsets.UTF_8);
        notARegistry("models", "a registry.db of plain text", FAILURE, text, "models");
        notARegistry("versions", "a registry.db of 64 KiB of zeros", FAILURE, new byte[64 * 1024], "versions", MODEL);
        notARegistry("audit verify", "a registry.db of plain text", FAILURE, text, "audit", "verify");
        notARegistry("register", "a registry.db of plain text", FAILURE, text, concat(PIPELINE, "register", "--model", MODEL, "--version", "3.0.0"));
        notARegistry("policy set", "a registry.db of plain text", FAILURE, text, (Object) null);
        notARegistry("models", "an empty registry.db", NOT_FOUND, new byte[0], "models");
        add("history on a registry truncated to its first 1,000 bytes", FAILURE, List.of("registry.db"), folder -> {
            Path location = Files.createDirectories(folder.resolve("registry"));
            Files.write(location.resolve(SqliteRegistry.DATABASE_FILE), Arrays.copyOf(realRegistry(folder), 1000));
            return Run.of("--registry", location.toString(), "history", "m").watching(location);
        });
        add("history on a registry with a corrupted header", FAILURE, List.of("registry.db"), folder -> {
            Path location = Files.createDirectories(folder.resolve("registry"));
            byte[] db = realRegistry(folder);
            Arrays.fill(db, 0, 16, (byte) 'X');
            Files.write(location.resolve(SqliteRegistry.DATABASE_FILE), db);
            return Run.of("--registry", location.toString(), "history", "m").watching(location);
        });
        add("models on a folder whose registry.db is a folder", USAGE, List.of("registry.db", "not a file"), folder -> {
            Path location = Files.createDirectories(folder.resolve("registry"));
            Files.createDirectories(location.resolve(SqliteRegistry.DATABASE_FILE));
            return Run.of("--registry", location.toString(), "models").watching(location);
        });
        add("register into a folder whose registry.db is a folder", USAGE, List.of("registry.db", "not a file"), folder -> {
            Path location = Files.createDirectories(folder.resolve("registry"));
            Files.createDirectories(location.resolve(SqliteRegistry.DATABASE_FILE));
            return Run.of(concat(new String[] {"--registry", location.toString()}, concat(PIPELINE, "register", "--model", MODEL, "--version", "3.0.0")))
                    .watching(location);
        });
        for (String[] command : List.of(new String[] {"models"}, concat(PIPELINE, "register", "--model", MODEL, "--version", "3.0.0"),
                concat(ADMIN, "audit", "verify"))) {
            String name = command[0].startsWith("--") ? command[PIPELINE.length] : String.join(" ", command);
            add(name + " on a location that is a file, not a folder", USAGE, List.of("it is a file, not a folder"), folder -> {
                Path file = Files.writeString(folder.resolve("notes.txt"), "not a registry");
                return Run.of(concat(new String[] {"--registry", file.toString()}, command)).naming(file).watching(folder);
            });
        }
        add("models on a folder without a registry", NOT_FOUND, List.of("No registry at"), folder -> {
            Path location = Files.createDirectories(folder.resolve("empty"));
            return Run.of("--registry", location.toString(), "models").naming(location).watching(folder);
        });
        add("history on the artifact folder of a registry", NOT_FOUND, List.of("No registry at"), folder -> {
            Path artifacts = registryDir.resolve(SqliteRegistry.ARTIFACTS_FOLDER);
            return Run.of("--registry", artifacts.toString(), "history", MODEL).naming(artifacts);
        });
        add("models on a location with a NUL character", USAGE, List.of("\\u0000"), "--registry", "reg\u0000istry", "models");
    }

    /**
     * {@code command} on a folder whose registry.db holds {@code content}: refused, naming the file,
     * and left byte for byte (a {@code null} command is {@code policy set} with a valid gate policy).
     */
    private void notARegistry(String name, String what, int exit, byte[] content, Object... command) {
        add(name + " on a folder with " + what, exit, List.of(SqliteRegistry.DATABASE_FILE), folder -> {
            Path location = Files.createDirectories(folder.resolve("registry"));
            Files.write(location.resolve(SqliteRegistry.DATABASE_FILE), content);
            String[] args = command.length == 1 && command[0] == null
                    ? concat(ADMIN, "policy", "set", Files.writeString(folder.resolve("policy.json"), "{\"version\": 1, \"transitions\": {}}").toString())
                    : Arrays.stream(command).map(String::valueOf).toArray(String[]::new);
            return Run.of(concat(new String[] {"--registry", location.toString()}, args)).watching(location);
        });
    }

    /** The bytes of a real registry with one version, made in a folder of its own. */
    private static byte[] realRegistry(Path folder) throws IOException {
        Path source = Files.createDirectories(folder.resolve("source"));
        try (ModelRegistry r = SqliteRegistry.open(source)) {
            r.register(Fixtures.ADMIN, Registration.of("m").version("1.0.0").build());
        }
        return Files.readAllBytes(source.resolve(SqliteRegistry.DATABASE_FILE));
    }
}
