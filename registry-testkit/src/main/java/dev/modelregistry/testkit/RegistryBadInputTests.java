package dev.modelregistry.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.modelregistry.ArtifactRef;
import dev.modelregistry.DatasetRef;
import dev.modelregistry.Evaluation;
import dev.modelregistry.IllegalTransitionException;
import dev.modelregistry.IntegrityException;
import dev.modelregistry.InvalidNameException;
import dev.modelregistry.InvalidVersionException;
import dev.modelregistry.Lifecycle;
import dev.modelregistry.MetadataTooLargeException;
import dev.modelregistry.ModelName;
import dev.modelregistry.ModelRegistry;
import dev.modelregistry.NotFoundException;
import dev.modelregistry.Principal;
import dev.modelregistry.Registration;
import dev.modelregistry.RequestId;
import dev.modelregistry.SemVer;
import dev.modelregistry.Sha256;
import dev.modelregistry.Stage;
import dev.modelregistry.StorageException;
import dev.modelregistry.ValidationException;
import dev.modelregistry.VersionRange;
import dev.modelregistry.AccessPolicy;
import dev.modelregistry.Action;
import dev.modelregistry.Grant;
import dev.modelregistry.LogEntry;
import dev.modelregistry.GatePolicy;
import dev.modelregistry.Gates;
import dev.modelregistry.PolicyException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bad-input corpus, run against a backend: well over 150 hostile or malformed inputs across the
 * public API and the gate policy loader — invalid and oversized versions, names with path
 * traversal, control and confusable Unicode characters, SQL metacharacters, enormous and deeply
 * nested metadata, cyclic values, NaN and infinite metrics, truncated, corrupted and failing artifact
 * streams, malformed policy documents and references. Each must be refused with its typed exception
 * whose message names the problem, within a generous time bound (a hang guard, not a speed test),
 * and must change nothing: the change token, every log and the verification of every hash chain
 * read the same before and after.
 *
 * <p>A backend's test extends this class and implements {@link #openBackend}; it may add inputs only
 * it can meet (a database file that is not a registry, a log object that is not JSON) by overriding
 * {@link #backendInputs}.
 */
public abstract class RegistryBadInputTests {
    protected static final Principal ADMIN = Principal.of("root", "admin");
    protected static final String MODEL = "fraud-detector";
    private static final Duration HANG_GUARD = Duration.ofSeconds(30);
    private static final DatasetRef HOLDOUT = DatasetRef.deltaVersion("s3://data/holdout", 3);

    @TempDir
    protected Path tempDir;
    protected Backend backend;
    protected ModelRegistry registry;
    private final List<ModelRegistry> opened = new ArrayList<>();

    /** Opens a fresh, empty backend that keeps whatever files it needs under {@code dir}. */
    protected abstract Backend openBackend(Path dir) throws Exception;

    /**
     * True when the backend's change token moves only on a change. A backend whose token may also
     * move speculatively (S3 moves it when it checks the bucket) returns false; the logs and the
     * verification still have to read the same.
     */
    protected boolean changeTokenMovesOnlyOnChange() {
        return true;
    }

    /** Inputs only this backend can meet; they run with the same checks. */
    protected List<BadInput> backendInputs() {
        return List.of();
    }

    @BeforeEach
    void openSeededRegistry() throws Exception {
        backend = openBackend(tempDir);
        registry = newRegistry();
        registry.register(ADMIN, Registration.of(MODEL).version("1.0.0").tag("first")
                .artifact("model.bin", "application/octet-stream", "weights".getBytes(StandardCharsets.UTF_8)).build());
        registry.register(ADMIN, Registration.of(MODEL).version("1.1.0").build());
        registry.promote(ADMIN, MODEL, SemVer.parse("1.0.0"), Stage.STAGING, "ready");
        registry.promote(ADMIN, MODEL, SemVer.parse("1.0.0"), Stage.PRODUCTION, "ship");
        registry.setGatePolicy(ADMIN, GatePolicy.builder().transition(Stage.STAGING, Stage.PRODUCTION, Gates.manualApproval(1, "approver")).build(), "review");
    }

    /** Another registry over the same backend, closed after the test. */
    protected ModelRegistry newRegistry() {
        ModelRegistry r = backend.registryBuilder().clock(ManualClock.startingAtEpochOf2024()).lifecycle(Lifecycle.defaults()).build();
        opened.add(r);
        return r;
    }

    @AfterEach
    void close() throws Exception {
        for (ModelRegistry r : opened) {
            r.close();
        }
        backend.close();
    }

    @TestFactory
    @DisplayName("every bad input is refused with a typed exception naming the problem, and changes nothing")
    Stream<DynamicTest> badInputsAreRefusedAndChangeNothing() {
        List<BadInput> corpus = new ArrayList<>(corpus());
        corpus.addAll(backendInputs());
        assertThat(corpus.size()).as("inputs in the corpus").isGreaterThanOrEqualTo(150 + backendInputs().size());
        return corpus.stream().map(input -> DynamicTest.dynamicTest(input.description(), () -> check(input)));
    }

    private void check(BadInput input) {
        String before = snapshot();
        long token = registry.changeToken();
        Throwable thrown = assertTimeoutPreemptively(HANG_GUARD, () -> catchThrowable(() -> input.attempt().run(registry)),
                "input took longer than the hang guard: " + input.description());
        assertThat(thrown).as("what %s threw", input.description()).isInstanceOf(input.expected());
        assertThat(thrown.getMessage()).as("the message of %s", input.description()).isNotBlank().contains(input.mentions());
        if (changeTokenMovesOnlyOnChange()) {
            assertThat(registry.changeToken()).as("change token after %s", input.description()).isEqualTo(token);
        }
        assertThat(snapshot()).as("the registry after %s", input.description()).isEqualTo(before);
    }

    /** Every log (length and last hash), read by a registry opened afresh, and the verification of every chain. */
    private String snapshot() {
        ModelRegistry fresh = newRegistry();
        StringBuilder out = new StringBuilder();
        for (ModelName m : fresh.models()) {
            List<LogEntry> log = fresh.log(m.value());
            out.append(m).append(": ").append(log.size()).append(" entries ending ").append(log.get(log.size() - 1).hash()).append('\n');
        }
        var report = fresh.verify();
        out.append("verify: intact=").append(report.intact()).append(", entries=").append(report.entriesChecked());
        return out.toString();
    }

    // ------------------------------------------------------------------ the corpus

    /** Names no model, tag or label may have: traversal, separators, control and confusable characters, SQL. */
    static final List<String> HOSTILE_NAMES = List.of(
            "", " ", "../etc/passwd", "..", "a/../b", "a/b", "a\\b", "/absolute", "C:\\models", ".hidden", "-leading-dash",
            "a..b", "a b", "a\tb", "a\nb", "a\u0000b", "a\rb", "a\u007fb", "a\u202eb", "\u0430lpha", "alpha\u200b", "\uff46\uff55\uff4c\uff4c",
            "x".repeat(129), "a;DROP TABLE events;--", "a' OR '1'='1", "a\"b", "%2e%2e%2f", "a%00b", "\ud83d\ude00", "a*", "a?", "a:b",
            "a|b", "a<b>", "${jndi:ldap://x/a}", "a\u0301", "\ufeffbom");

    static final List<String> BAD_VERSIONS = List.of(
            "", " ", "1", "1.2", "1.2.3.4", "01.2.3", "1.02.3", "1.2.03", "-1.2.3", "1.2.3-", "1.2.3+", "1.2.3-01", "1.2.3-a..b",
            "1.2.3+a..b", "99999999999999999999.0.0", "2147483648.0.0", "1.2.3-" + "a".repeat(300), "v", "vv1.2.3", " 1.2.3",
            "1.2.3 ", "\u0661.2.3", "\uff11.\uff12.\uff13", "1.2.3\n", "1.2.3\u0000", "1.2.3-\u03b1", "NaN.0.0", "1.2.x", "^1.2.3",
            "latest", "1.2.3; DROP TABLE events", "1.2.3' OR '1'='1");

    private List<BadInput> corpus() {
        List<BadInput> out = new ArrayList<>();
        for (String name : HOSTILE_NAMES) {
            String shown = printable(name);
            out.add(BadInput.of("register under model name " + shown, InvalidNameException.class, "Invalid model name",
                    r -> r.register(ADMIN, Registration.of(name).version("1.0.0").build())));
            out.add(BadInput.of("resolve the current Production of model name " + shown, InvalidNameException.class, "Invalid model name",
                    r -> r.findCurrent(name, Stage.PRODUCTION)));
            out.add(BadInput.of("tag " + shown, InvalidNameException.class, "Invalid tag",
                    r -> r.register(ADMIN, Registration.of(MODEL).version("2.0.0").tag(name).build())));
        }
        for (String tag : List.of("latest", "LATEST", "production", "none", "1.2.3", "v1.2.3", "x")) {
            out.add(BadInput.of("tag " + tag + ", which reads as something else", InvalidNameException.class, tag,
                    r -> r.register(ADMIN, Registration.of(MODEL).version("2.0.0").tag(tag).build())));
        }
        for (String label : List.of("../x", "a b", "a\u0000")) {
            out.add(BadInput.of("label key " + printable(label), InvalidNameException.class, "label",
                    r -> r.register(ADMIN, Registration.of(MODEL).version("2.0.0").label(label, "v").build())));
        }
        for (String version : BAD_VERSIONS) {
            String shown = printable(version.length() > 40 ? version.substring(0, 40) + "..." : version);
            out.add(BadInput.of("register version " + shown, InvalidVersionException.class, "version",
                    r -> r.register(ADMIN, Registration.of(MODEL).version(version).build())));
            out.add(BadInput.of("find version " + shown, InvalidVersionException.class, "version",
                    r -> r.findVersion(MODEL, SemVer.parse(version))));
        }
        out.addAll(metadata());
        out.addAll(artifacts());
        out.addAll(policies());
        out.addAll(references());
        return out;
    }

    private static List<BadInput> metadata() {
        List<BadInput> out = new ArrayList<>();
        out.add(BadInput.of("hyperparameters nested 10,000 levels deep", MetadataTooLargeException.class, "deeper than", r -> {
            Object nested = "leaf";
            for (int i = 0; i < 10_000; i++) {
                nested = List.of(nested);
            }
            r.register(ADMIN, Registration.of(MODEL).version("2.0.0").hyperparameter("deep", nested).build());
        }));
        out.add(BadInput.of("a hyperparameter map that contains itself", MetadataTooLargeException.class, "contains itself", r -> {
            Map<String, Object> cyclic = new HashMap<>();
            cyclic.put("self", cyclic);
            r.register(ADMIN, Registration.of(MODEL).version("2.0.0").hyperparameter("loop", cyclic).build());
        }));
        out.add(BadInput.of("a 300 KiB hyperparameter", MetadataTooLargeException.class, "hyperparameters",
                r -> r.register(ADMIN, Registration.of(MODEL).version("2.0.0").hyperparameter("blob", "x".repeat(300 * 1024)).build())));
        out.add(BadInput.of("a NaN hyperparameter", ValidationException.class, "NaN",
                r -> r.register(ADMIN, Registration.of(MODEL).version("2.0.0").hyperparameter("lr", Double.NaN).build())));
        out.add(BadInput.of("an infinite number deep inside a hyperparameter", ValidationException.class, "finite",
                r -> r.register(ADMIN, Registration.of(MODEL).version("2.0.0").hyperparameter("schedule", List.of(Map.of("lr", Double.POSITIVE_INFINITY))).build())));
        out.add(BadInput.of("a hyperparameter JSON tree nested 10,000 levels deep", MetadataTooLargeException.class, "deeper than", r -> {
            com.fasterxml.jackson.databind.node.ArrayNode root = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.arrayNode();
            com.fasterxml.jackson.databind.node.ArrayNode at = root;
            for (int i = 0; i < 10_000; i++) {
                at = at.addArray();
            }
            r.register(ADMIN, Registration.of(MODEL).version("2.0.0").hyperparameter("deep-tree", root).build());
        }));
        out.add(BadInput.of("a description of 70,000 characters", MetadataTooLargeException.class, "description",
                r -> r.register(ADMIN, Registration.of(MODEL).version("2.0.0").description("d".repeat(70_000)).build())));
        out.add(BadInput.of("65 tags", MetadataTooLargeException.class, "tags", r -> {
            Registration.Builder b = Registration.of(MODEL).version("2.0.0");
            for (int i = 0; i < 65; i++) {
                b.tag("t" + i);
            }
            r.register(ADMIN, b.build());
        }));
        out.add(BadInput.of("257 labels", MetadataTooLargeException.class, "labels", r -> {
            Registration.Builder b = Registration.of(MODEL).version("2.0.0");
            for (int i = 0; i < 257; i++) {
                b.label("l" + i, "v");
            }
            r.register(ADMIN, b.build());
        }));
        out.add(BadInput.of("a label value of 2,000 characters", MetadataTooLargeException.class, "label",
                r -> r.register(ADMIN, Registration.of(MODEL).version("2.0.0").label("team", "v".repeat(2000)).build())));
        out.add(BadInput.of("10,001 metrics", MetadataTooLargeException.class, "metrics", r -> {
            Map<String, Double> metrics = new LinkedHashMap<>();
            for (int i = 0; i <= 10_000; i++) {
                metrics.put("m" + i, 0.5);
            }
            r.register(ADMIN, Registration.of(MODEL).version("2.0.0").metrics(metrics).build());
        }));
        for (double bad : new double[] {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY}) {
            out.add(BadInput.of("metric " + bad, ValidationException.class, "auc",
                    r -> r.register(ADMIN, Registration.of(MODEL).version("2.0.0").metric("auc", bad).build())));
            out.add(BadInput.of("evaluation metric " + bad, ValidationException.class, "auc",
                    r -> r.recordEvaluation(ADMIN, MODEL, SemVer.parse("1.0.0"), Evaluation.of(HOLDOUT, Map.of("auc", bad)), "eval")));
            out.add(BadInput.of("evaluation slice metric " + bad, ValidationException.class, "tpr",
                    r -> r.recordEvaluation(ADMIN, MODEL, SemVer.parse("1.0.0"),
                            new Evaluation(HOLDOUT, Map.of(), Map.of("gender:f", Map.of("tpr", bad)), Map.of()), "eval")));
        }
        out.add(BadInput.of("a metric name of 200 characters", ValidationException.class, "metric",
                r -> r.register(ADMIN, Registration.of(MODEL).version("2.0.0").metric("m".repeat(200), 0.5).build())));
        out.add(BadInput.of("a framework name of 200 characters", MetadataTooLargeException.class, "framework",
                r -> r.register(ADMIN, Registration.of(MODEL).version("2.0.0").framework("f".repeat(200), "1").build())));
        out.add(BadInput.of("a reason of 5,000 characters", MetadataTooLargeException.class, "reason",
                r -> r.promote(ADMIN, MODEL, SemVer.parse("1.1.0"), Stage.STAGING, "r".repeat(5000))));
        out.add(BadInput.of("a reason with a NUL character", ValidationException.class, "reason",
                r -> r.promote(ADMIN, MODEL, SemVer.parse("1.1.0"), Stage.STAGING, "ok\u0000; DROP TABLE events")));
        out.add(BadInput.of("an evaluation on a dataset without a version", ValidationException.class, "exact version",
                r -> r.recordEvaluation(ADMIN, MODEL, SemVer.parse("1.0.0"), Evaluation.of(DatasetRef.unversioned("s3://data/live"), Map.of("auc", 0.9)), "eval")));
        out.add(BadInput.of("a null principal", ValidationException.class, "principal",
                r -> r.register(null, Registration.of(MODEL).version("2.0.0").build())));
        out.add(BadInput.of("a principal name with a newline", InvalidNameException.class, "principal",
                r -> r.register(Principal.of("eve\nadmin"), Registration.of(MODEL).version("2.0.0").build())));
        out.add(BadInput.of("a principal name of 10,000 characters", ValidationException.class, "principal",
                r -> r.register(Principal.of("p".repeat(10_000)), Registration.of(MODEL).version("2.0.0").build())));
        out.add(BadInput.of("a role with a path", InvalidNameException.class, "role",
                r -> r.register(Principal.of("eve", "../admin"), Registration.of(MODEL).version("2.0.0").build())));
        out.add(BadInput.of("a parent that is not registered", NotFoundException.class, "9.9.9",
                r -> r.register(ADMIN, Registration.of(MODEL).version("2.0.0").parent(MODEL, SemVer.parse("9.9.9"), "fine-tune").build())));
        out.add(BadInput.of("a version that is its own parent", ValidationException.class, "own parent",
                r -> r.register(ADMIN, Registration.of(MODEL).version("2.0.0").parent(MODEL, SemVer.parse("2.0.0"), "fine-tune").build())));
        out.add(BadInput.of("both an explicit version and a bump", ValidationException.class, "bump",
                r -> r.register(ADMIN, Registration.of(MODEL).version("2.0.0").bump(dev.modelregistry.Bump.MAJOR).build())));
        return out;
    }

    private static List<BadInput> artifacts() {
        byte[] bytes = "the real weights".getBytes(StandardCharsets.UTF_8);
        Sha256 digest = Sha256.digest(bytes);
        List<BadInput> out = new ArrayList<>();
        out.add(BadInput.of("an artifact whose bytes do not match the expected digest", IntegrityException.class, "model.bin",
                r -> r.register(ADMIN, Registration.of(MODEL).version("2.0.0")
                        .artifact("model.bin", "application/octet-stream", new ByteArrayInputStream("tampered weights".getBytes(StandardCharsets.UTF_8)), digest).build())));
        out.add(BadInput.of("a truncated artifact (half its bytes, the full digest)", IntegrityException.class, "model.bin",
                r -> r.register(ADMIN, Registration.of(MODEL).version("2.0.0")
                        .artifact("model.bin", "application/octet-stream", new ByteArrayInputStream(bytes, 0, bytes.length / 2), digest).build())));
        out.add(BadInput.of("an empty artifact stream with a digest of real content", IntegrityException.class, "model.bin",
                r -> r.register(ADMIN, Registration.of(MODEL).version("2.0.0")
                        .artifact("model.bin", "application/octet-stream", new ByteArrayInputStream(new byte[0]), digest).build())));
        out.add(BadInput.of("an artifact stream that fails half way", StorageException.class, "model.bin",
                r -> r.register(ADMIN, Registration.of(MODEL).version("2.0.0")
                        .artifact("model.bin", "application/octet-stream", failingAfter(4096), null).build())));
        out.add(BadInput.of("an artifact file that does not exist", NotFoundException.class, "/nonexistent/dir/model.bin",
                r -> r.register(ADMIN, Registration.of(MODEL).version("2.0.0")
                        .artifact("model.bin", "application/octet-stream", Path.of("/nonexistent/dir/model.bin")).build())));
        out.add(BadInput.of("an artifact reference to content that is not stored", NotFoundException.class, "model.bin",
                r -> r.register(ADMIN, Registration.of(MODEL).version("2.0.0")
                        .artifact(new ArtifactRef("model.bin", java.net.URI.create("mem:x"), Sha256.digest("never stored".getBytes(StandardCharsets.UTF_8)), 12, "application/octet-stream")).build())));
        out.add(BadInput.of("an artifact reference with a wrong size", IntegrityException.class, "model.bin", r -> {
            ArtifactRef stored = r.getVersion(MODEL, SemVer.parse("1.0.0")).artifact("model.bin");
            r.register(ADMIN, Registration.of(MODEL).version("2.0.0")
                    .artifact(new ArtifactRef("model.bin", stored.uri(), stored.sha256(), stored.size() + 1, stored.mediaType())).build());
        }));
        out.add(BadInput.of("an artifact name with a path", InvalidNameException.class, "artifact",
                r -> r.register(ADMIN, Registration.of(MODEL).version("2.0.0").artifact("../../etc/cron.d/x", "text/plain", bytes).build())));
        out.add(BadInput.of("two artifacts with one name", ValidationException.class, "model.bin",
                r -> r.register(ADMIN, Registration.of(MODEL).version("2.0.0").artifact("model.bin", "a/b", bytes).artifact("model.bin", "a/b", bytes).build())));
        out.add(BadInput.of("an artifact name that the version does not have", NotFoundException.class, "weights.bin",
                r -> r.openArtifact(MODEL, SemVer.parse("1.0.0"), "weights.bin").close()));
        return out;
    }

    private static InputStream failingAfter(int bytes) {
        return new InputStream() {
            private int served;

            @Override
            public int read() throws IOException {
                if (served++ >= bytes) {
                    throw new IOException("disk read error at byte " + bytes);
                }
                return 'x';
            }
        };
    }

    /** Malformed gate policy documents: each is refused by the loader before it could be set. */
    static final Map<String, String> BAD_POLICIES = badPolicies();

    private static Map<String, String> badPolicies() {
        Map<String, String> docs = new LinkedHashMap<>();
        String gate = "{\"type\":\"manual-approval\",\"approvals\":1,\"role\":\"approver\"}";
        docs.put("an empty document", "");
        docs.put("whitespace only", "   \n ");
        docs.put("an unterminated object", "{");
        docs.put("an array", "[]");
        docs.put("null", "null");
        docs.put("a string", "\"policy\"");
        docs.put("trailing garbage", "{\"version\":1,\"transitions\":{}}x");
        docs.put("an unknown document version", "{\"version\":2,\"transitions\":{}}");
        docs.put("a version that is a string", "{\"version\":\"1\",\"transitions\":{}}");
        docs.put("no arrow in a transition", "{\"version\":1,\"transitions\":{\"STAGING-PRODUCTION\":[" + gate + "]}}");
        docs.put("a transition to itself", "{\"version\":1,\"transitions\":{\"STAGING->STAGING\":[" + gate + "]}}");
        docs.put("a transition from a path", "{\"version\":1,\"transitions\":{\"../x->PRODUCTION\":[" + gate + "]}}");
        docs.put("two arrows", "{\"version\":1,\"transitions\":{\"A->B->C\":[" + gate + "]}}");
        docs.put("gates that are not a list", "{\"version\":1,\"transitions\":{\"STAGING->PRODUCTION\":" + gate + "}}");
        docs.put("an unknown gate type", "{\"version\":1,\"transitions\":{\"STAGING->PRODUCTION\":[{\"type\":\"trust-me\"}]}}");
        docs.put("a gate without a type", "{\"version\":1,\"transitions\":{\"STAGING->PRODUCTION\":[{\"approvals\":1}]}}");
        docs.put("an unknown operator", "{\"version\":1,\"transitions\":{\"STAGING->PRODUCTION\":[{\"type\":\"metric-threshold\",\"metric\":\"auc\",\"operator\":\"=>\",\"value\":0.8}]}}");
        docs.put("a NaN threshold", "{\"version\":1,\"transitions\":{\"STAGING->PRODUCTION\":[{\"type\":\"metric-threshold\",\"metric\":\"auc\",\"operator\":\">=\",\"value\":NaN}]}}");
        docs.put("an infinite threshold", "{\"version\":1,\"transitions\":{\"STAGING->PRODUCTION\":[{\"type\":\"metric-threshold\",\"metric\":\"auc\",\"operator\":\">=\",\"value\":1e400}]}}");
        docs.put("a threshold that is a string", "{\"version\":1,\"transitions\":{\"STAGING->PRODUCTION\":[{\"type\":\"metric-threshold\",\"metric\":\"auc\",\"operator\":\">=\",\"value\":\"high\"}]}}");
        docs.put("negative approvals", "{\"version\":1,\"transitions\":{\"STAGING->PRODUCTION\":[{\"type\":\"manual-approval\",\"approvals\":-1,\"role\":\"approver\"}]}}");
        docs.put("ten billion approvals", "{\"version\":1,\"transitions\":{\"STAGING->PRODUCTION\":[{\"type\":\"manual-approval\",\"approvals\":10000000000,\"role\":\"approver\"}]}}");
        docs.put("an approver role with a path", "{\"version\":1,\"transitions\":{\"STAGING->PRODUCTION\":[{\"type\":\"manual-approval\",\"approvals\":1,\"role\":\"../admin\"}]}}");
        docs.put("a negative tolerance", "{\"version\":1,\"transitions\":{\"STAGING->PRODUCTION\":[{\"type\":\"no-regression\",\"metric\":\"auc\",\"tolerance\":-0.5}]}}");
        docs.put("a negative artifact size", "{\"version\":1,\"transitions\":{\"STAGING->PRODUCTION\":[{\"type\":\"artifact-size\",\"maxBytes\":-1}]}}");
        docs.put("an evaluation set without a version", "{\"version\":1,\"transitions\":{\"STAGING->PRODUCTION\":[{\"type\":\"metric-threshold\",\"metric\":\"auc\",\"operator\":\">=\",\"value\":0.8,\"evaluationSet\":\"s3://live\"}]}}");
        docs.put("two gates with one name", "{\"version\":1,\"transitions\":{\"STAGING->PRODUCTION\":[" + gate + "," + gate + "]}}");
        docs.put("an unknown field", "{\"version\":1,\"transitions\":{\"STAGING->PRODUCTION\":[{\"type\":\"manual-approval\",\"approvals\":1,\"role\":\"approver\",\"bypass\":true}]}}");
        docs.put("an unknown top-level field", "{\"version\":1,\"transitions\":{},\"admin\":true}");
        docs.put("a duplicate key", "{\"version\":1,\"version\":1,\"transitions\":{}}");
        docs.put("a control character in a gate name", "{\"version\":1,\"transitions\":{\"STAGING->PRODUCTION\":[{\"type\":\"manual-approval\",\"name\":\"a\\u0000b\",\"approvals\":1,\"role\":\"approver\"}]}}");
        docs.put("arrays nested 100,000 deep", "[".repeat(100_000) + "]".repeat(100_000));
        docs.put("objects nested 50,000 deep", "{\"a\":".repeat(50_000) + "1" + "}".repeat(50_000));
        docs.put("a 20 MB string value", "{\"version\":1,\"transitions\":{\"" + "S".repeat(20_000_000) + "->PRODUCTION\":[]}}");
        docs.put("comments", "{/* admin */\"version\":1,\"transitions\":{}}");
        docs.put("a byte order mark", "\ufeff{\"version\":1,\"transitions\":{}}");
        return docs;
    }

    private static List<BadInput> policies() {
        List<BadInput> out = new ArrayList<>();
        BAD_POLICIES.forEach((what, json) -> out.add(BadInput.of("a gate policy document with " + what, PolicyException.class, "",
                r -> r.setGatePolicy(ADMIN, GatePolicy.fromJson(json), "policy file"))));
        out.add(BadInput.of("a gate policy that refers to an unregistered custom gate", ValidationException.class, "shadow-traffic",
                r -> r.setGatePolicy(ADMIN, GatePolicy.builder().transition(Stage.STAGING, Stage.PRODUCTION, Gates.custom("shadow-traffic")).build(), "x")));
        out.add(BadInput.of("an access policy role name with a path", ValidationException.class, "../admin",
                r -> r.setAccessPolicy(ADMIN, AccessPolicy.builder().role("../admin", Grant.of(Action.READ)).build(), "x")));
        out.add(BadInput.of("an access policy role name with a NUL", ValidationException.class, "role",
                r -> r.setAccessPolicy(ADMIN, AccessPolicy.builder().role("adm\u0000in", Grant.of(Action.READ)).build(), "x")));
        out.add(BadInput.of("an access grant with a regex for a model pattern", ValidationException.class, "pattern",
                r -> r.setAccessPolicy(ADMIN, AccessPolicy.builder().role("x", Grant.of(Action.READ, "(a+)+$")).build(), "x")));
        out.add(BadInput.of("an access grant without an action", ValidationException.class, "action",
                r -> r.setAccessPolicy(ADMIN, AccessPolicy.builder().role("x", new Grant(null, "*", null)).build(), "x")));
        return out;
    }

    /** References ({@code model@selector}) that are malformed, whatever the registry holds. */
    static final List<String> BAD_REFERENCES = List.of("", "fraud-detector", "@1.0.0", "fraud-detector@", "fraud-detector@@1",
            "fraud-detector@^^1", "fraud-detector@" + "1 || ".repeat(20_000) + "1", "../x@1.0.0", "fraud-detector@\u0000");

    /** Promotion request ids ({@code model#number}) that are malformed. */
    static final List<String> BAD_REQUEST_IDS = List.of("x", "fraud-detector#-1", "fraud-detector#abc", "#1",
            "fraud-detector#99999999999999999999", "../x#1");

    private static List<BadInput> references() {
        List<BadInput> out = new ArrayList<>();
        for (String ref : BAD_REFERENCES) {
            out.add(BadInput.of("the reference " + printable(ref.length() > 40 ? ref.substring(0, 40) + "..." : ref), ValidationException.class, "",
                    r -> r.resolve(ref)));
        }
        for (String id : BAD_REQUEST_IDS) {
            out.add(BadInput.of("the request id " + id, ValidationException.class, "", r -> r.approve(ADMIN, RequestId.parse(id), "ok")));
        }
        out.add(BadInput.of("a request id that names no request", NotFoundException.class, "#2",
                r -> r.approve(ADMIN, new RequestId(ModelName.of(MODEL), 2), "ok")));
        out.add(BadInput.of("a version range of 20,000 alternatives", ValidationException.class, "",
                r -> r.findHighest(MODEL, VersionRange.parse("1.0.0 || ".repeat(20_000) + "|"))));
        out.add(BadInput.of("an unknown stage", IllegalTransitionException.class, "CANARY",
                r -> r.promote(ADMIN, MODEL, SemVer.parse("1.1.0"), Stage.of("CANARY"), "x")));
        out.add(BadInput.of("a promotion into NONE", IllegalTransitionException.class, "NONE",
                r -> r.promote(ADMIN, MODEL, SemVer.parse("1.1.0"), Stage.NONE, "x")));
        out.add(BadInput.of("a null stage", IllegalTransitionException.class, "null",
                r -> r.promote(ADMIN, MODEL, SemVer.parse("1.1.0"), null, "x")));
        out.add(BadInput.of("a log read from sequence 0", ValidationException.class, "0", r -> r.log(MODEL, 0)));
        out.add(BadInput.of("a log read from sequence Long.MIN_VALUE", ValidationException.class, "", r -> r.log(MODEL, Long.MIN_VALUE)));
        out.add(BadInput.of("a negative slice tolerance", ValidationException.class, "tolerance",
                r -> r.compare(MODEL, SemVer.parse("1.0.0"), SemVer.parse("1.1.0"), HOLDOUT, -1)));
        out.add(BadInput.of("a NaN slice tolerance", ValidationException.class, "tolerance",
                r -> r.compare(MODEL, SemVer.parse("1.0.0"), SemVer.parse("1.1.0"), HOLDOUT, Double.NaN)));
        return out;
    }

    // ------------------------------------------------------------------ the values, for other corpora

    /*
     * The hostile values above are the one source of truth for every corpus that feeds them through
     * another surface (the command line's CliBadInputTest): read-only views, in corpus order.
     */

    /** Names no model, tag, stage or role may have: traversal, separators, control and confusable characters, SQL, 129 characters. */
    public static List<String> hostileNames() {
        return HOSTILE_NAMES;
    }

    /** Versions that are not valid or too large: leading zeros, four parts, 2^31, non-ASCII digits, whitespace, NUL, ranges, SQL. */
    public static List<String> badVersions() {
        return BAD_VERSIONS;
    }

    /** Malformed gate policy documents (what is wrong with it, the document), each refused by {@code GatePolicy.fromJson}. */
    public static Map<String, String> badGatePolicies() {
        return java.util.Collections.unmodifiableMap(BAD_POLICIES);
    }

    /** Malformed {@code model@selector} references. */
    public static List<String> badReferences() {
        return BAD_REFERENCES;
    }

    /** Malformed promotion request ids. */
    public static List<String> badRequestIds() {
        return BAD_REQUEST_IDS;
    }

    /** Control and invisible characters written as escapes, so test names stay readable. */
    public static String printable(String s) {
        StringBuilder out = new StringBuilder("\"");
        s.codePoints().forEach(c -> out.append(c < 0x20 || c == 0x7f || (c >= 0x200b && c <= 0x206f) || c == 0xfeff || c > 0x7e
                ? String.format("\\u%04x", c) : Character.toString(c)));
        return out.append('"').toString();
    }
}
