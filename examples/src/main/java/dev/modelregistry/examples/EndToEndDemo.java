package dev.modelregistry.examples;

import static dev.modelregistry.examples.Narration.check;

import dev.modelregistry.AccessDeniedException;
import dev.modelregistry.AuditQuery;
import dev.modelregistry.BreakingChangeException;
import dev.modelregistry.Bump;
import dev.modelregistry.Evaluation;
import dev.modelregistry.ModelCard;
import dev.modelregistry.ModelRegistry;
import dev.modelregistry.ModelRegistryBuilder;
import dev.modelregistry.ModelVersion;
import dev.modelregistry.Principal;
import dev.modelregistry.PromotionRequest;
import dev.modelregistry.PromotionResult;
import dev.modelregistry.SemVer;
import dev.modelregistry.Signature;
import dev.modelregistry.Stage;
import dev.modelregistry.StageChange;
import dev.modelregistry.VerificationReport;
import dev.modelregistry.AccessPolicy;
import dev.modelregistry.ComparisonReport;
import dev.modelregistry.LogEntry;
import dev.modelregistry.StageChanged;
import dev.modelregistry.VersionRegistered;
import dev.modelregistry.examples.fraud.FeatureSet;
import dev.modelregistry.examples.fraud.FraudPipeline;
import dev.modelregistry.examples.fraud.FraudScorer;
import dev.modelregistry.examples.fraud.FraudTrainer;
import dev.modelregistry.examples.fraud.FraudTrainer.TrainedModel;
import dev.modelregistry.examples.fraud.HoldoutEvaluator;
import dev.modelregistry.examples.fraud.TransactionGenerator.Snapshot;
import dev.modelregistry.GatePolicy;
import dev.modelregistry.GateReport;
import dev.modelregistry.GateResult;
import dev.modelregistry.LineageEdge;
import dev.modelregistry.LineageGraph;
import dev.modelregistry.LineageQuery;
import dev.modelregistry.LineageResult;
import dev.modelregistry.LineageSubgraph;
import dev.modelregistry.NodeId;
import dev.modelregistry.serving.Lease;
import dev.modelregistry.serving.ModelHandle;
import dev.modelregistry.serving.Serving;
import dev.modelregistry.serving.SwapListener;
import dev.modelregistry.sqlite.SqliteRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The registry's story end to end, on the public API and the embedded SQLite default:
 *
 * <ol>
 *   <li>a training pipeline trains a real Tribuo logistic regression on a generated transactions
 *       snapshot and registers {@code fraud-detector} 1.5.0 with its hyperparameters, features,
 *       Tribuo provenance, lineage and an evaluation on the locked holdout set, with slices;</li>
 *   <li>1.5.0 passes its gates into Staging, and with an approval into Production;</li>
 *   <li>2.0.0, retrained with another feature set, must be a MAJOR version; it is evaluated on the
 *       same holdout, compared with 1.5.0, approved and promoted;</li>
 *   <li>a serving handle that follows Production hot-swaps to 2.0.0 and scores transactions;</li>
 *   <li>a latency spike, a rollback, and the handle back on 1.5.0 within its poll interval;</li>
 *   <li>a data bug in one snapshot: every affected version, which are in Production, the path, and
 *       the picture as DOT and Mermaid;</li>
 *   <li>an unauthorised promotion denied; the audit trail printed and verified.</li>
 * </ol>
 *
 * <p>Every step checks that the registry behaved as described, and the program exits non-zero when
 * one did not, so it doubles as a smoke test.
 */
public final class EndToEndDemo {
    private static final String MODEL = FraudPipeline.MODEL;
    /** How often the serving handle looks for a stage move; a rollback reaches it within this. */
    static final Duration POLL_INTERVAL = Duration.ofMillis(200);
    /** Waiting longer than this for a swap means the handle is broken (it is not a speed expectation). */
    private static final Duration SWAP_TIMEOUT = Duration.ofSeconds(30);
    private static final double LATENCY_SLO_MS = 50;

    private final PrintStream out;
    private final Narration story;

    EndToEndDemo(PrintStream out) {
        this.out = out;
        this.story = new Narration(out);
    }

    /** Runs the demo on the embedded SQLite default, in a fresh directory (or the one given). */
    public static void main(String[] args) {
        try {
            Path directory = args.length > 0 ? Path.of(args[0]) : Files.createTempDirectory("model-registry-demo-");
            System.out.println("Registry directory: " + directory.toAbsolutePath()
                    + " (" + SqliteRegistry.DATABASE_FILE + ", " + SqliteRegistry.ARTIFACTS_FOLDER + "/, data/, lineage/)");
            try (ModelRegistry registry = governed(SqliteRegistry.builder(directory)).build()) {
                new EndToEndDemo(System.out).run(registry, directory);
            }
        } catch (Exception | AssertionError e) {
            System.out.flush();
            System.err.println();
            System.err.println("DEMO FAILED: " + e);
            e.printStackTrace();
            System.exit(1);
        }
        System.exit(0);
    }

    /** The governance the demo runs under: the standard roles and the fraud team's gate policy. */
    static ModelRegistryBuilder governed(ModelRegistryBuilder builder) throws IOException {
        return builder.accessPolicy(AccessPolicy.standardRoles()).gatePolicy(GatePolicy.fromJson(resource("/fraud-detector-policy.json")));
    }

    static String resource(String name) throws IOException {
        try (InputStream in = EndToEndDemo.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IOException("Missing resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    void run(ModelRegistry registry, Path directory) throws Exception {
        Principal pipeline = Principal.of("training-pipeline", "data-scientist");
        Principal reviewer = Principal.of("maria", "approver");
        Principal onCall = Principal.of("on-call", "release-manager");
        Principal platform = Principal.of("platform-admin", "admin");
        Principal intern = Principal.of("intern", "viewer");
        FraudPipeline data = new FraudPipeline(directory.resolve("data"));
        FraudTrainer trainer = FraudTrainer.standard();

        // ---------------------------------------------------------------- 1
        story.say("A training pipeline trains fraud-detector 1.5.0 with Tribuo and registers it");
        Snapshot september = data.snapshot("transactions-2023-09", 9, 4_000);
        Snapshot october = data.snapshot("transactions-2023-10", 10, 4_000);
        Snapshot holdout = data.snapshot("holdout", 99, 3_000);
        story.detail("generated data/*.csv, each identified by the generator's commit and its SHA-256:");
        story.detail("  training  %s", september);
        story.detail("  holdout   %s", holdout);

        TrainedModel first = trainer.train(FeatureSet.V1, List.of(september));
        check(FraudPipeline.provenanceRecords(first, september), "Tribuo's provenance records the training file's SHA-256");
        story.detail("trained a Tribuo logistic regression on %,d rows in %d ms: features [%s]", first.trainingRows(),
                Duration.between(first.start(), first.end()).toMillis(), FeatureSet.V1);
        story.detail("hyperparameters %s", first.hyperparameters());
        story.detail("Tribuo provenance: %,d bytes of JSON (artifact %s), recording the same SHA-256 as the DatasetRef",
                first.provenanceJson().length(), FraudPipeline.PROVENANCE_ARTIFACT);
        ModelVersion v15 = registry.register(pipeline, data.registration(first, List.of(september), holdout, card())
                .version("1.5.0").tag("fraud-detector-2023-10-27").reason("nightly retrain").build());
        registry.setCanonicalEvaluationSet(platform, MODEL, holdout.ref(), "the locked holdout set every gate and comparison uses");
        story.detail("platform-admin locks the holdout as fraud-detector's canonical evaluation set");
        Evaluation e15 = HoldoutEvaluator.evaluate(first.model(), FeatureSet.V1, holdout);
        registry.recordEvaluation(pipeline, MODEL, v15.version(), e15, "holdout evaluation");
        story.detail("registered %s by %s; %s %,d bytes, sha256 %s…", v15, v15.author(), FraudPipeline.MODEL_ARTIFACT,
                v15.artifact(FraudPipeline.MODEL_ARTIFACT).size(), v15.artifact(FraudPipeline.MODEL_ARTIFACT).sha256().hex().substring(0, 16));
        story.detail("holdout: %s", describe(e15));

        // ---------------------------------------------------------------- 2
        story.say("1.5.0 passes its gates into Staging, then, with an approval, into Production");
        PromotionResult staging = registry.promote(pipeline, MODEL, v15.version(), Stage.STAGING, "offline evaluation passed");
        check(staging.applied(), "1.5.0 entered Staging at once");
        gates(staging.report());
        PromotionRequest request = pending(registry.promote(pipeline, MODEL, v15.version(), Stage.PRODUCTION, "ready for release"));
        gates(request.report());
        story.detail("request %s awaits an approval by %s", request.id(), request.awaitingRoles());
        check(registry.approve(reviewer, request.id(), "reviewed the slices").applied(), "the approval applied the promotion");
        check(registry.getCurrent(MODEL, Stage.PRODUCTION).version().equals(v15.version()), "1.5.0 serves Production");
        story.detail("maria approved; Production is %s", registry.getCurrent(MODEL, Stage.PRODUCTION));

        ModelVersion v2;
        BlockingQueue<SemVer> swaps = new LinkedBlockingQueue<>();
        try (ModelHandle<FraudScorer> handle = ModelHandle.builder(registry, MODEL, Stage.PRODUCTION, FraudScorer::load)
                .artifact(FraudPipeline.MODEL_ARTIFACT)
                .validator((scorer, version) -> scorer.score(SAMPLES.get(0)))
                .pollInterval(POLL_INTERVAL).maxPollInterval(POLL_INTERVAL)
                .listener(new SwapListener<>() {
                    @Override
                    public void onSwap(Serving<FraudScorer> previous, Serving<FraudScorer> current) {
                        swaps.add(current.version().version());
                    }
                })
                .build()) {
            check(handle.current().version().version().equals(v15.version()), "the serving handle started on 1.5.0");
            story.detail("a serving handle follows Production (poll interval %d ms) and serves %s", POLL_INTERVAL.toMillis(),
                    handle.current().version());
            scoreSamples(handle);

            // ------------------------------------------------------------ 3
            story.say("A retrained 2.0.0 with a changed feature set: the registry insists on a MAJOR version");
            TrainedModel second = trainer.train(FeatureSet.V2, List.of(september, october));
            Signature.Change change = Signature.compare(FeatureSet.V1.signature(), FeatureSet.V2.signature());
            story.detail("trained on %,d rows (%s and %s): features [%s]", second.trainingRows(), september.ref().uri(), october.ref().uri(), FeatureSet.V2);
            story.detail("interface change: breaking %s; compatible %s", change.breaking(), change.compatible());
            try {
                registry.register(pipeline, data.registration(second, List.of(september, october), holdout, card()).bump(Bump.MINOR).build());
                throw new IllegalStateException("a MINOR bump over a removed input was accepted");
            } catch (BreakingChangeException refused) {
                story.detail("MINOR bump refused: %s", refused.getMessage());
            }
            v2 = registry.register(pipeline, data.registration(second, List.of(september, october), holdout, card())
                    .bump(Bump.AUTO).reason("new feature set").build());
            check(v2.version().equals(SemVer.parse("2.0.0")), "AUTO chose 2.0.0");
            Evaluation e2 = HoldoutEvaluator.evaluate(second.model(), FeatureSet.V2, holdout);
            registry.recordEvaluation(pipeline, MODEL, v2.version(), e2, "holdout evaluation");
            story.detail("AUTO chose %s; evaluated on the same holdout: %s", v2.version(), describe(e2));
            ComparisonReport comparison = registry.compare(MODEL, v15.version(), v2.version(), holdout.ref(), 0.005);
            check(comparison.evaluationSet().equals(holdout.ref()), "the comparison used the locked holdout");
            check(comparison.regressions().stream().noneMatch(r -> r.metric().equals("auc")), "2.0.0 does not regress on AUC");
            check(!comparison.worseSlices().isEmpty(), "the comparison names the slices where 2.0.0 is worse");
            story.block(comparison.toText());

            registry.promote(pipeline, MODEL, v2.version(), Stage.STAGING, "offline evaluation passed");
            PromotionRequest second2 = pending(registry.promote(pipeline, MODEL, v2.version(), Stage.PRODUCTION, "ready for release"));
            registry.approve(reviewer, second2.id(), "better overall; the worse slices are within tolerance");
            check(registry.getCurrent(MODEL, Stage.PRODUCTION).version().equals(v2.version()), "2.0.0 serves Production");
            check(registry.stageOf(MODEL, v15.version()).equals(Stage.ARCHIVED), "1.5.0 was archived in the same step");
            story.detail("maria approved; Production is %s; 1.5.0 is %s", registry.getCurrent(MODEL, Stage.PRODUCTION),
                    registry.stageOf(MODEL, v15.version()));

            // ------------------------------------------------------------ 4
            story.say("The serving handle hot-swaps from 1.5.0 to 2.0.0 and scores with the loaded Tribuo model");
            SemVer swapped = swaps.poll(SWAP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            check(v2.version().equals(swapped), "the handle swapped to 2.0.0");
            check(handle.current().version().version().equals(v2.version()), "the handle serves 2.0.0");
            story.detail("swap notification: now serving %s (%s)", handle.current().version(), handle.current().model());
            scoreSamples(handle);

            // ------------------------------------------------------------ 5
            story.say("A latency spike: the on-call engineer rolls back, and the serving handle is back on 1.5.0 at its next poll");
            double p99 = simulatedTrafficP99(handle, Duration.ofMillis(80));
            check(p99 > LATENCY_SLO_MS, "the simulated spike breaches the latency objective");
            story.detail("p99 over the last 20 requests: %.0f ms (objective %.0f ms): the new features' lookups are slow", p99, LATENCY_SLO_MS);
            StageChange rollback = registry.rollback(onCall, MODEL, Stage.PRODUCTION, String.format(Locale.ROOT, "p99 latency %.0f ms after 2.0.0", p99));
            check(registry.getCurrent(MODEL, Stage.PRODUCTION).version().equals(v15.version()), "the rollback reinstated 1.5.0");
            story.detail("%s: %s@%s %s -> %s by %s, no gates, no re-approval", rollback.kind(), MODEL, rollback.version(), rollback.from(),
                    rollback.to(), rollback.principal());
            long t0 = System.nanoTime();
            SemVer back = swaps.poll(SWAP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            check(v15.version().equals(back), "the handle swapped back to 1.5.0");
            story.detail("swap notification %d ms after the rollback (poll interval %d ms, then load and validate): serving %s again", ms, POLL_INTERVAL.toMillis(),
                    handle.current().version());
            scoreSamples(handle);
        }

        // ---------------------------------------------------------------- 6
        story.say("A data bug is found in " + september.ref().id() + ": which versions does it touch?");
        LineageGraph graph = registry.lineage();
        NodeId bad = NodeId.dataset(september.ref());
        List<LineageResult> affected = graph.downstream(bad, LineageQuery.unlimited());
        List<LineageResult> inProduction = graph.downstream(bad, LineageQuery.inStages(Stage.PRODUCTION));
        for (LineageResult r : affected) {
            story.detail("%-22s %-10s via %s", r.id().id(), r.stage().map(Stage::toString).orElse("-"), path(r.path()));
        }
        Set<String> affectedIds = new TreeSet<>();
        affected.forEach(r -> affectedIds.add(r.id().id()));
        check(affectedIds.equals(new TreeSet<>(List.of(v15.toString(), v2.toString()))), "both versions trained on the snapshot are affected");
        check(inProduction.size() == 1 && inProduction.get(0).id().id().equals(v15.toString()), "1.5.0 is the affected Production version");
        story.detail("in Production: %s — retrain it on a fixed snapshot", inProduction.stream().map(r -> r.id().id()).toList());
        LineageSubgraph picture = graph.subgraph(bad, affected);
        Path pictures = Files.createDirectories(directory.resolve("lineage"));
        Files.writeString(pictures.resolve("impact.dot"), picture.toDot());
        Files.writeString(pictures.resolve("impact.mmd"), picture.toMermaid());
        story.detail("wrote %s and impact.mmd (%d nodes, %d edges)", pictures.resolve("impact.dot"), picture.nodes().size(), picture.edges().size());

        // ---------------------------------------------------------------- 7
        story.say("An unauthorised promotion is denied; the audit trail is printed and verified");
        try {
            registry.promote(intern, MODEL, v2.version(), Stage.PRODUCTION, "I think 2.0.0 was fine");
            throw new IllegalStateException("a viewer promoted into Production");
        } catch (AccessDeniedException denied) {
            story.detail("denied: %s", denied.getMessage());
        }
        List<LogEntry> denials = registry.audit(AuditQuery.builder().outcome(AuditQuery.Outcome.DENIED).build());
        check(denials.size() == 1 && denials.get(0).principal().equals("intern"), "the denial is in the audit trail");
        for (LogEntry e : registry.log(MODEL)) {
            story.detail("#%-2d %s %-18s %-38s %s", e.sequence(), e.time().toString().substring(11, 23), e.principal(), describe(e), e.reason());
        }
        Path audit = directory.resolve("audit.jsonl");
        long exported;
        try (Writer w = Files.newBufferedWriter(audit)) {
            exported = registry.exportAudit(AuditQuery.all(), w);
        }
        VerificationReport report = registry.verify();
        check(report.intact(), "the hash chain verifies");
        story.detail("exported %d entries to %s; verified %d entries in %d log(s): %s", exported, audit.getFileName(), report.entriesChecked(),
                report.logs().size(), report.intact() ? "intact" : "BROKEN");
        out.println();
        out.println("Demo finished: every step behaved as described.");
    }

    /** Transactions the demo scores: a quiet grocery purchase and a risky night-time one. */
    static final List<Map<String, Object>> SAMPLES = List.of(
            transaction(23.80, 11, "grocery", "pos", 0, 0, 0),
            transaction(1_450.00, 3, "electronics", "online", 1, 2, 6));

    static Map<String, Object> transaction(double amount, int hour, String category, String channel, int foreign, int deviceAge, int velocity) {
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("amount", amount);
        t.put("hour", hour);
        t.put("merchant_category", category);
        t.put("channel", channel);
        t.put("region", "eu");
        t.put("is_foreign", foreign);
        t.put("device_age_days", deviceAge);
        t.put("txn_velocity_24h", velocity);
        return t;
    }

    private void scoreSamples(ModelHandle<FraudScorer> handle) {
        try (Lease<FraudScorer> lease = handle.acquire()) {
            double quiet = lease.model().score(SAMPLES.get(0));
            double risky = lease.model().score(SAMPLES.get(1));
            check(risky > quiet, "the risky transaction scores higher than the quiet one");
            story.detail("%s scores: grocery 23.80 at 11h -> %.3f; electronics 1450.00 online at 3h, new device -> %.3f",
                    lease.version(), quiet, risky);
        }
    }

    /**
     * Serves 20 requests through the handle while 2.0.0's new features come from a feature store that
     * has become slow (simulated by {@code lookup}), and returns the p99 latency a monitor would see.
     */
    private static double simulatedTrafficP99(ModelHandle<FraudScorer> handle, Duration lookup) throws InterruptedException {
        double[] ms = new double[20];
        for (int i = 0; i < ms.length; i++) {
            long t0 = System.nanoTime();
            try (Lease<FraudScorer> lease = handle.acquire()) {
                Thread.sleep(lookup.toMillis()); // the simulated slow feature-store call, not a wait for correctness
                lease.model().score(SAMPLES.get(i % SAMPLES.size()));
            }
            ms[i] = (System.nanoTime() - t0) / 1e6;
        }
        Arrays.sort(ms);
        return ms[(int) Math.ceil(0.99 * ms.length) - 1];
    }

    private static ModelCard card() {
        return ModelCard.builder()
                .intendedUse("Score card transactions for manual fraud review; not for automatic declines.")
                .limitations("Trained on generated data; not calibrated for merchants onboarded in the last 30 days.")
                .trainingData("Generated transactions snapshots, identified by generator commit and SHA-256 (see lineage).")
                .evaluation("Locked holdout set, sliced by region and channel; AUC gap across regions gated.")
                .owner("payments-risk@example.org")
                .build();
    }

    private static String describe(Evaluation e) {
        StringBuilder s = new StringBuilder();
        e.metrics().forEach((k, v) -> s.append(String.format(Locale.ROOT, "%s %.3f, ", k, v)));
        s.append(String.format(Locale.ROOT, "p99 %.3f ms; AUC by slice ", e.operational().get("latency_p99_ms")));
        List<String> slices = new ArrayList<>();
        e.slices().forEach((k, v) -> slices.add(String.format(Locale.ROOT, "%s %.3f", k, v.get("auc"))));
        return s.append(String.join(", ", slices)).toString();
    }

    private void gates(GateReport report) {
        for (GateResult r : report.results()) {
            story.detail("  %-19s %-8s %-19s %s", report.from() + "->" + report.to(), r.outcome(), r.gate(),
                    r.reasons().isEmpty() ? "" : String.join("; ", r.reasons()));
        }
    }

    private static String path(List<LineageEdge> edges) {
        StringBuilder s = new StringBuilder();
        for (LineageEdge e : edges) {
            s.append(s.length() == 0 ? e.from().id() : "").append(" -[").append(e.label()).append("]-> ").append(e.to().id());
        }
        return s.toString();
    }

    private static PromotionRequest pending(PromotionResult result) {
        check(!result.applied(), "the promotion waits for an approval");
        return result.pendingRequest().orElseThrow();
    }

    private static String describe(LogEntry e) {
        if (e.event() instanceof StageChanged c) {
            return c.kind() + " " + c.version() + " " + c.from() + "->" + c.to();
        }
        if (e.event() instanceof VersionRegistered r) {
            return "VersionRegistered " + r.version().version();
        }
        return e.event().getClass().getSimpleName();
    }




}
