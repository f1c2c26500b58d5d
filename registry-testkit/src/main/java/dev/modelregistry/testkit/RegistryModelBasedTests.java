package dev.modelregistry.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelregistry.Bump;
import dev.modelregistry.DatasetRef;
import dev.modelregistry.Evaluation;
import dev.modelregistry.Lifecycle;
import dev.modelregistry.ModelName;
import dev.modelregistry.ModelRegistry;
import dev.modelregistry.ModelSummary;
import dev.modelregistry.ModelVersion;
import dev.modelregistry.Principal;
import dev.modelregistry.PromotionRequest;
import dev.modelregistry.PromotionResult;
import dev.modelregistry.Registration;
import dev.modelregistry.RegistryException;
import dev.modelregistry.RequestId;
import dev.modelregistry.SemVer;
import dev.modelregistry.Stage;
import dev.modelregistry.StageChange;
import dev.modelregistry.VerificationReport;
import dev.modelregistry.AccessPolicy;
import dev.modelregistry.Comparison;
import dev.modelregistry.GatePolicy;
import dev.modelregistry.Gates;
import dev.modelregistry.testkit.ReferenceRegistry.AccessMode;
import dev.modelregistry.testkit.ReferenceRegistry.GateMode;
import dev.modelregistry.testkit.ReferenceRegistry.Ver;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.state.Action;
import net.jqwik.api.state.ActionChain;
import net.jqwik.api.state.ActionChainArbitrary;
import net.jqwik.api.state.Transformer;

/**
 * Model-based test of a backend: long random sequences of every write (register with explicit
 * versions, bumps and tags, with and without an artifact; record evaluations; promote, gated and
 * ungated, directly or as a request; approve, reject, withdraw; archive; roll back, to the previous
 * or a named holder; change the gate and access policies; and attempts by principals who lack the
 * role) run against the backend and against {@link ReferenceRegistry}, an independent statement of
 * the rules. Every call's outcome (value or exception type) must agree, and after every call so must
 * everything a reader sees: each stage's current version and members, each version's stage, tags,
 * open requests and the roles they wait for, the model summary and the length of every log. At the
 * end of each sequence the hash chains must verify, every log (the registry's own included) must have
 * exactly the expected number of entries, and a registry opened afresh over the same storage must
 * read the same state. A failing sequence shrinks to a minimal one: every action is valid in every
 * state because its arguments are indexes resolved against the model when it runs.
 *
 * <p>A backend's test extends this class and implements {@link #openBackend}, like
 * {@link RegistryConformanceTests}. Each run performs at least {@link #operations()} operations in
 * {@value #TRIES} sequences: 10,000 by default, or {@code -Dregistry.mbt.operations=N} (the
 * {@code reliability-long} profile asks for 1,000,000).
 */
public abstract class RegistryModelBasedTests {
    /** How many sequences one run generates; the length of each follows from {@link #operations()}. */
    protected static final int TRIES = 50;

    static final List<String> MODELS = List.of("alpha", "beta");
    static final Principal ADMIN = Principal.of("root", "admin");
    static final Principal DATA_SCIENTIST = Principal.of("dana", "data-scientist");
    static final Principal RELEASE_MANAGER = Principal.of("remy", "release-manager");
    static final Principal APPROVER = Principal.of("ada", "approver");
    static final Principal SECOND_APPROVER = Principal.of("abe", "approver");
    static final Principal VIEWER = Principal.of("vic", "viewer");
    static final List<Principal> PRINCIPALS = List.of(ADMIN, DATA_SCIENTIST, RELEASE_MANAGER, APPROVER, SECOND_APPROVER, VIEWER);
    /** Explicit versions, including build metadata (same identity), a leading v and pre-releases; and the bumps. */
    static final List<String> VERSION_CHOICES = List.of("0.1.0", "1.0.0", "1.0.1", "1.1.0", "1.1.0-beta", "2.0.0-rc.1",
            "2.0.0", "1.0.0+b7", "v3.0.0", "MAJOR", "MINOR", "PATCH", "AUTO", "AUTO");
    /** Tags; the last three may not be tags at all (a reserved word, a stage, a version). */
    static final List<String> TAGS = List.of("gold", "blue", "latest", "production", "1.2.3");
    static final DatasetRef HOLDOUT = DatasetRef.deltaVersion("s3://data/holdout", 3);
    static final String MISSING_VERSION = "9.9.9";
    static final long MISSING_REQUEST = 999_999;

    private final List<Run> opened = new ArrayList<>();
    private final AtomicLong operationsRun = new AtomicLong();
    private final AtomicLong sequencesRun = new AtomicLong();

    /** Opens a fresh, empty backend that keeps whatever files it needs under {@code dir}. */
    protected abstract Backend openBackend(Path dir) throws Exception;

    /** How many operations one run performs at least: {@code -Dregistry.mbt.operations}, else {@link #defaultOperations()}. */
    protected final int operations() {
        return Integer.getInteger("registry.mbt.operations", defaultOperations());
    }

    /** At least 10,000 operations per backend in every run. */
    protected int defaultOperations() {
        return 10_000;
    }

    /**
     * After how many operations the whole readable state is compared (every outcome is compared
     * always, and the state at the end of every sequence). 1 by default; a backend whose every read
     * of a model it has not seen yet is a network round trip may compare less often.
     */
    protected int compareStateEvery() {
        return 1;
    }

    @Property(tries = TRIES)
    void everyOperationAgreesWithTheReferenceModel(@ForAll("sequences") ActionChain<Run> chain) {
        try {
            Run end = chain.withInvariant("the registry reads as the model says", Run::compareState).run();
            end.checkEnd();
            // Every sequence runs to its full length, so a run performs TRIES x length >= operations().
            assertThat(chain.transformations()).as("operations in the sequence").hasSize(sequenceLength());
        } finally {
            closeOpened();
        }
    }

    @AfterProperty
    void reportOperations() {
        System.out.printf("%s: %,d operations in %,d sequences (including shrinking, if any) checked against the reference model%n",
                getClass().getSimpleName(), operationsRun.get(), sequencesRun.get());
    }

    private int sequenceLength() {
        return (operations() + TRIES - 1) / TRIES;
    }

    @Provide
    Arbitrary<ActionChain<Run>> sequences() {
        int length = sequenceLength();
        ActionChainArbitrary<Run> chains = ActionChain.startWith(this::newRun);
        return chains
                .withAction(6, register())
                .withAction(3, recordEvaluation())
                .withAction(8, promote())
                .withAction(4, decide("approve"))
                .withAction(1, decide("reject"))
                .withAction(1, decide("withdraw"))
                .withAction(2, archive())
                .withAction(3, rollback())
                .withAction(1, setGatePolicy())
                .withAction(1, setAccessPolicy())
                .withMaxTransformations(length);
    }

    private Run newRun() {
        try {
            Path dir = Files.createTempDirectory("registry-mbt");
            Run run = new Run(openBackend(dir), dir, operationsRun, compareStateEvery());
            opened.add(run);
            sequencesRun.incrementAndGet();
            return run;
        } catch (Exception e) {
            throw new IllegalStateException("Cannot open the backend under test", e);
        }
    }

    private void closeOpened() {
        for (Run run : opened) {
            run.close();
        }
        opened.clear();
    }

    // ------------------------------------------------------------------ actions

    private static Arbitrary<String> models() {
        return Arbitraries.of(MODELS);
    }

    private static Arbitrary<Principal> principals() {
        return Arbitraries.of(PRINCIPALS);
    }

    /** -1 names something that does not exist; other values pick among what does (modulo its count). */
    private static Arbitrary<Integer> picks() {
        return Arbitraries.integers().between(-1, 7);
    }

    private static Action.Independent<Run> register() {
        return () -> Combinators.combine(principals(), models(), Arbitraries.of(VERSION_CHOICES),
                        Arbitraries.of(TAGS).injectNull(0.6), Arbitraries.of(true, false))
                .as((by, model, version, tag, artifact) -> Transformer.mutate(
                        "register " + model + " " + version + (tag == null ? "" : " tag " + tag) + (artifact ? " with artifact" : "") + " by " + by.name(),
                        run -> run.register(by, model, version, tag, artifact)));
    }

    private static Action.Independent<Run> recordEvaluation() {
        return () -> Combinators.combine(principals(), models(), picks(), Arbitraries.of(0.7, 0.9))
                .as((by, model, pick, auc) -> Transformer.mutate(
                        "evaluate " + model + " version#" + pick + " auc " + auc + " by " + by.name(),
                        run -> run.recordEvaluation(by, model, pick, auc)));
    }

    private static Action.Independent<Run> promote() {
        return () -> Combinators.combine(principals(), models(), picks(),
                        Arbitraries.of("STAGING", "STAGING", "PRODUCTION", "PRODUCTION", "PRODUCTION", "ARCHIVED", "NONE", "CANARY"))
                .as((by, model, pick, to) -> Transformer.mutate(
                        "promote " + model + " version#" + pick + " to " + to + " by " + by.name(),
                        run -> run.promote(by, model, pick, to)));
    }

    private static Action.Independent<Run> decide(String decision) {
        return () -> Combinators.combine(principals(), models(), picks())
                .as((by, model, pick) -> Transformer.mutate(
                        decision + " " + model + " request#" + pick + " by " + by.name(),
                        run -> run.decide(decision, by, model, pick)));
    }

    private static Action.Independent<Run> archive() {
        return () -> Combinators.combine(principals(), models(), picks())
                .as((by, model, pick) -> Transformer.mutate(
                        "archive " + model + " version#" + pick + " by " + by.name(),
                        run -> run.archive(by, model, pick)));
    }

    private static Action.Independent<Run> rollback() {
        return () -> Combinators.combine(principals(), models(), Arbitraries.of("PRODUCTION", "PRODUCTION", "STAGING"),
                        picks().injectNull(0.6))
                .as((by, model, stage, pick) -> Transformer.mutate(
                        "rollback " + model + " " + stage + (pick == null ? "" : " to version#" + pick) + " by " + by.name(),
                        run -> run.rollback(by, model, stage, pick)));
    }

    private static Action.Independent<Run> setGatePolicy() {
        return () -> Combinators.combine(principals(), Arbitraries.of(GateMode.class))
                .as((by, mode) -> Transformer.mutate("gate policy " + mode + " by " + by.name(), run -> run.setGatePolicy(by, mode)));
    }

    private static Action.Independent<Run> setAccessPolicy() {
        return () -> Combinators.combine(principals(), Arbitraries.of(AccessMode.class))
                .as((by, mode) -> Transformer.mutate("access policy " + mode + " by " + by.name(), run -> run.setAccessPolicy(by, mode)));
    }

    // ------------------------------------------------------------------ one sequence

    /** One sequence's backend, registry, clock and reference model. */
    static final class Run implements AutoCloseable {
        private final Backend backend;
        private final Path dir;
        private final AtomicLong operations;
        private final ManualClock clock = ManualClock.startingAtEpochOf2024();
        private final ModelRegistry registry;
        private final ReferenceRegistry model = new ReferenceRegistry();
        private final List<ModelRegistry> registries = new ArrayList<>();
        private final int compareEvery;
        private int artifactsWritten;
        private int sinceCompared;

        Run(Backend backend, Path dir, AtomicLong operations, int compareEvery) {
            this.backend = backend;
            this.dir = dir;
            this.operations = operations;
            this.compareEvery = compareEvery;
            this.registry = open();
        }

        private ModelRegistry open() {
            ModelRegistry r = backend.registryBuilder().clock(clock).lifecycle(Lifecycle.defaults()).build();
            registries.add(r);
            return r;
        }

        /** Runs one call on both sides and demands the same outcome. */
        private void agree(String what, Supplier<String> real, Supplier<String> expected) {
            operations.incrementAndGet();
            clock.advance(Duration.ofSeconds(1));
            String wanted = expected.get();
            String actual;
            try {
                actual = real.get();
            } catch (RegistryException e) {
                actual = "threw " + e.getClass().getSimpleName();
            }
            assertThat(actual).as("outcome of " + what).isEqualTo(wanted);
            // jqwik prints how often each kind of outcome occurred: evidence that the sequences reach deep states.
            Statistics.collect(what, wanted.startsWith("threw") ? wanted : wanted.split(" ")[0]);
        }

        private Optional<ReferenceRegistry.Model> known(String m) {
            return model.model(m);
        }

        /** The version a pick names: one the model knows (by index), or one that does not exist. */
        private String version(String m, Integer pick) {
            List<Ver> versions = known(m).map(x -> x.registered).orElse(List.of());
            if (pick == null || pick < 0 || versions.isEmpty()) {
                return MISSING_VERSION;
            }
            Ver v = versions.get(pick % versions.size());
            return known(m).orElseThrow().show(v);
        }

        private long request(String m, int pick) {
            List<Long> ids = known(m).map(x -> List.copyOf(x.requests.keySet())).orElse(List.of());
            return pick < 0 || ids.isEmpty() ? MISSING_REQUEST : ids.get(pick % ids.size());
        }

        void register(Principal by, String m, String choice, String tag, boolean withArtifact) {
            String content = withArtifact ? "weights-" + (++artifactsWritten) : null;
            agree("register", () -> {
                Registration.Builder b = Registration.of(m);
                if (choice.equals("AUTO") || choice.equals("MAJOR") || choice.equals("MINOR") || choice.equals("PATCH")) {
                    b.bump(Bump.valueOf(choice));
                } else {
                    b.version(choice);
                }
                if (tag != null) {
                    b.tag(tag);
                }
                if (content != null) {
                    b.artifact("model.bin", "application/octet-stream", content.getBytes(StandardCharsets.UTF_8));
                }
                ModelVersion v = registry.register(by, b.build());
                String out = "registered " + v.version();
                if (content != null) {
                    try (InputStream in = registry.openArtifact(m, v.version(), "model.bin")) {
                        out += " artifact " + new String(in.readAllBytes(), StandardCharsets.UTF_8);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
                return out;
            }, () -> model.register(by.name(), by.roles(), m, choice, tag, content));
        }

        void recordEvaluation(Principal by, String m, int pick, double auc) {
            String v = version(m, pick);
            agree("evaluate", () -> {
                registry.recordEvaluation(by, m, SemVer.parse(v), Evaluation.of(HOLDOUT, Map.of("auc", auc)), "offline evaluation");
                return "recorded";
            }, () -> model.recordEvaluation(by.roles(), m, Ver.parse(v), auc));
        }

        void promote(Principal by, String m, int pick, String to) {
            String v = version(m, pick);
            agree("promote", () -> describe(registry.promote(by, m, SemVer.parse(v), Stage.of(to), "promotion")),
                    () -> model.promote(by.name(), by.roles(), m, Ver.parse(v), to));
        }

        void decide(String decision, Principal by, String m, int pick) {
            long id = request(m, pick);
            RequestId rid = new RequestId(ModelName.of(m), id);
            switch (decision) {
                case "approve" -> agree("approve", () -> describe(registry.approve(by, rid, "looks good")),
                        () -> model.approve(by.name(), by.roles(), m, id));
                case "reject" -> agree("reject", () -> describe(registry.reject(by, rid, "not yet")),
                        () -> model.reject(by.roles(), m, id));
                default -> agree("withdraw", () -> describe(registry.withdraw(by, rid, "changed my mind")),
                        () -> model.withdraw(by.name(), by.roles(), m, id));
            }
        }

        void archive(Principal by, String m, int pick) {
            String v = version(m, pick);
            agree("archive", () -> "moved " + describe(registry.archive(by, m, SemVer.parse(v), "retired")),
                    () -> model.archive(by.roles(), m, Ver.parse(v)));
        }

        void rollback(Principal by, String m, String stage, Integer pick) {
            String v = pick == null ? null : version(m, pick);
            agree("rollback", () -> "moved " + describe(v == null
                            ? registry.rollback(by, m, Stage.of(stage), "incident")
                            : registry.rollback(by, m, Stage.of(stage), SemVer.parse(v), "incident")),
                    () -> model.rollback(by.roles(), m, stage, v == null ? null : Ver.parse(v)));
        }

        void setGatePolicy(Principal by, GateMode mode) {
            agree("set gate policy", () -> {
                registry.setGatePolicy(by, gatePolicy(mode), "policy review");
                return "set";
            }, () -> model.setGatePolicy(by.roles(), mode));
        }

        void setAccessPolicy(Principal by, AccessMode mode) {
            agree("set access policy", () -> {
                registry.setAccessPolicy(by, mode == AccessMode.ALLOW_ALL ? AccessPolicy.allowAll() : AccessPolicy.standardRoles(), "access review");
                return "set";
            }, () -> model.setAccessPolicy(by.roles(), mode));
        }

        static GatePolicy gatePolicy(GateMode mode) {
            return switch (mode) {
                case NONE -> GatePolicy.empty();
                case MANUAL -> GatePolicy.builder()
                        .transition(Stage.STAGING, Stage.PRODUCTION, Gates.manualApproval(1, "approver")).build();
                case THRESHOLD_AND_MANUAL -> GatePolicy.builder()
                        .transition(Stage.STAGING, Stage.PRODUCTION,
                                Gates.metricThreshold("auc", Comparison.AT_LEAST, 0.8).on(HOLDOUT.id()),
                                Gates.manualApproval(1, "approver"))
                        .build();
            };
        }

        private static String describe(PromotionResult result) {
            return result.applied() ? "applied " + describe(result.change()) : "pending #" + result.request().id().sequence();
        }

        private static String describe(StageChange c) {
            return c.version() + " " + c.kind() + " " + c.from().name() + "->" + c.to().name() + " @" + c.sequence();
        }

        private static String describe(PromotionRequest r) {
            return "request #" + r.id().sequence() + " " + r.status();
        }

        // -------------------------------------------------------------- what readers see

        /** After every operation (or every {@code compareEvery}): what the registry reads must be what the model says. */
        void compareState() {
            if (++sinceCompared >= compareEvery) {
                sinceCompared = 0;
                assertThat(observed(registry)).isEqualTo(expected());
            }
        }

        private String observed(ModelRegistry r) {
            StringBuilder out = new StringBuilder();
            for (String m : MODELS) {
                Optional<ModelSummary> summary = r.findModel(m);
                if (summary.isEmpty()) {
                    out.append(m).append(": none\n");
                    continue;
                }
                ModelSummary s = summary.get();
                out.append(m).append(": log ").append(s.logLength()).append(", ").append(s.versionCount()).append(" versions, highest ")
                        .append(s.highestVersion()).append(", latest ").append(s.latestVersion()).append('\n');
                for (String stage : ReferenceRegistry.STAGES) {
                    out.append("  ").append(stage).append(": current ")
                            .append(r.findCurrent(m, Stage.of(stage)).map(v -> v.version().toString()).orElse("-"))
                            .append(", members ").append(r.versionsIn(m, Stage.of(stage)).stream().map(v -> v.version().toString()).toList())
                            .append('\n');
                }
                out.append("  NONE: current ").append(r.findCurrent(m, Stage.NONE).map(v -> v.version().toString()).orElse("-")).append('\n');
                out.append("  stages:");
                for (String v : knownVersions(m)) {
                    out.append(' ').append(v).append('=').append(r.stageOf(m, SemVer.parse(v)).name());
                }
                out.append("\n  tags:");
                for (String tag : List.of("gold", "blue")) {
                    out.append(' ').append(tag).append('=').append(r.findByTag(m, tag).map(v -> v.version().toString()).orElse("-"));
                }
                out.append("\n  open:");
                for (PromotionRequest q : r.openRequests(m)) {
                    out.append(" #").append(q.id().sequence()).append(' ').append(q.version()).append(' ').append(q.from().name())
                            .append("->").append(q.to().name()).append(" by ").append(q.requester()).append(" awaiting ").append(q.awaitingRoles());
                }
                out.append('\n');
            }
            return out.toString();
        }

        private List<String> knownVersions(String m) {
            return known(m).map(x -> x.registered.stream().map(x::show).toList()).orElse(List.of());
        }

        private String expected() {
            StringBuilder out = new StringBuilder();
            for (String m : MODELS) {
                Optional<ReferenceRegistry.Model> found = known(m);
                if (found.isEmpty()) {
                    out.append(m).append(": none\n");
                    continue;
                }
                ReferenceRegistry.Model x = found.get();
                out.append(m).append(": log ").append(x.log).append(", ").append(x.registered.size()).append(" versions, highest ")
                        .append(x.highest().map(x::show).orElse(null)).append(", latest ")
                        .append(x.show(x.registered.get(x.registered.size() - 1))).append('\n');
                for (String stage : ReferenceRegistry.STAGES) {
                    out.append("  ").append(stage).append(": current ").append(x.current(stage).map(x::show).orElse("-"))
                            .append(", members ").append(x.members.getOrDefault(stage, List.of()).stream().map(x::show).toList())
                            .append('\n');
                }
                out.append("  NONE: current -\n");
                out.append("  stages:");
                for (Ver v : x.registered) {
                    out.append(' ').append(x.show(v)).append('=').append(x.stage.get(v));
                }
                out.append("\n  tags:");
                for (String tag : List.of("gold", "blue")) {
                    out.append(' ').append(tag).append('=').append(Optional.ofNullable(x.tags.get(tag)).map(x::show).orElse("-"));
                }
                out.append("\n  open:");
                for (ReferenceRegistry.Request q : x.open()) {
                    out.append(" #").append(q.id).append(' ').append(x.show(q.version)).append(' ').append(q.from)
                            .append("->").append(q.to).append(" by ").append(q.requester).append(" awaiting ").append(model.awaiting(q));
                }
                out.append('\n');
            }
            return out.toString();
        }

        /**
         * At the end of a sequence: every hash chain verifies, every log has exactly the entries the
         * model expects (the registry's own included), and a registry opened afresh over the same
         * storage, as another process would, reads the same state.
         */
        void checkEnd() {
            assertThat(observed(registry)).isEqualTo(expected());
            VerificationReport report = registry.verify();
            assertThat(report.intact()).as("verify(): %s", report.firstProblem()).isTrue();
            StringBuilder expectedLogs = new StringBuilder();
            StringBuilder actualLogs = new StringBuilder();
            Stream.concat(Stream.of(ModelName.SYSTEM.value()), model.models().keySet().stream()).sorted().forEach(name ->
                    expectedLogs.append(name).append('=').append(name.equals(ModelName.SYSTEM.value())
                            ? model.systemLog() : model.models().get(name).log).append(' '));
            report.logs().stream().sorted(Comparator.comparing(l -> l.model().value()))
                    .forEach(l -> actualLogs.append(l.model().value()).append('=').append(l.entriesChecked()).append(' '));
            String wanted = expectedLogs.toString().replace(ModelName.SYSTEM.value() + "=0 ", "");
            assertThat(actualLogs.toString()).as("entries in every log").isEqualTo(wanted);
            assertThat(observed(open())).as("a registry opened afresh over the same storage").isEqualTo(expected());
        }

        @Override
        public void close() {
            RuntimeException failure = null;
            for (ModelRegistry r : registries) {
                try {
                    r.close();
                } catch (RuntimeException e) {
                    failure = e;
                }
            }
            try {
                backend.close();
                deleteRecursively(dir);
            } catch (Exception e) {
                throw new IllegalStateException("Cannot clean up " + dir, e);
            }
            if (failure != null) {
                throw failure;
            }
        }

        private static void deleteRecursively(Path dir) throws IOException {
            if (!Files.exists(dir)) {
                return;
            }
            try (Stream<Path> paths = Files.walk(dir)) {
                for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }

        @Override
        public String toString() {
            return "a registry with " + model.models().keySet() + " after the actions above";
        }
    }
}
