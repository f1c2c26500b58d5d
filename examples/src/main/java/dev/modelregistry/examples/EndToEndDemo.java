package dev.modelregistry.examples;

import dev.modelregistry.AccessDeniedException;
import dev.modelregistry.AuditQuery;
import dev.modelregistry.BreakingChangeException;
import dev.modelregistry.Bump;
import dev.modelregistry.DatasetRef;
import dev.modelregistry.Evaluation;
import dev.modelregistry.ModelCard;
import dev.modelregistry.ModelRegistry;
import dev.modelregistry.ModelRegistryBuilder;
import dev.modelregistry.ModelVersion;
import dev.modelregistry.Principal;
import dev.modelregistry.PromotionRequest;
import dev.modelregistry.PromotionResult;
import dev.modelregistry.Registration;
import dev.modelregistry.SemVer;
import dev.modelregistry.Signature;
import dev.modelregistry.Signature.Field;
import dev.modelregistry.Stage;
import dev.modelregistry.StageChange;
import dev.modelregistry.VerificationReport;
import dev.modelregistry.VersionRange;
import dev.modelregistry.access.AccessPolicy;
import dev.modelregistry.event.LogEntry;
import dev.modelregistry.event.StageChanged;
import dev.modelregistry.event.VersionRegistered;
import dev.modelregistry.gate.GatePolicy;
import dev.modelregistry.sqlite.SqliteRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The registry's story end to end, on the public API and the embedded SQLite default: a governed
 * registry (standard roles, the README's gate policy), a model registered with its lineage and
 * model card, evaluated, promoted through Staging and — after an approval — into Production; a
 * retrained version whose interface broke (the registry insists on a MAJOR bump), promoted the same
 * way; a rollback after an incident; an unauthorised attempt denied; the audit trail verified.
 *
 * <p>Every step checks that the registry behaved as described, and the program exits non-zero when
 * one did not, so it doubles as a smoke test.
 */
public final class EndToEndDemo {
    private static final String MODEL = "fraud-detector";
    private static final DatasetRef HOLDOUT = DatasetRef.parse("s3://data/holdout@v3");

    private final PrintStream out;
    private int step;

    EndToEndDemo(PrintStream out) {
        this.out = out;
    }

    /** Runs the demo on the embedded SQLite default, in a fresh directory (or the one given). */
    public static void main(String[] args) throws IOException {
        Path directory = args.length > 0 ? Path.of(args[0]) : Files.createTempDirectory("model-registry-demo-");
        System.out.println("Registry directory: " + directory.toAbsolutePath()
                + " (" + SqliteRegistry.DATABASE_FILE + " and " + SqliteRegistry.ARTIFACTS_FOLDER + "/)");
        try (ModelRegistry registry = governed(SqliteRegistry.builder(directory)).build()) {
            new EndToEndDemo(System.out).run(registry);
        }
    }

    /** The governance the demo runs under: the standard roles and the gate policy shipped beside it. */
    static ModelRegistryBuilder governed(ModelRegistryBuilder builder) throws IOException {
        try (InputStream policy = EndToEndDemo.class.getResourceAsStream("/policy.json")) {
            return builder.accessPolicy(AccessPolicy.standardRoles())
                    .gatePolicy(GatePolicy.fromJson(new String(policy.readAllBytes(), StandardCharsets.UTF_8)));
        }
    }

    void run(ModelRegistry registry) throws IOException {
        Principal pipeline = Principal.of("training-pipeline", "data-scientist");
        Principal reviewer = Principal.of("maria", "approver");
        Principal onCall = Principal.of("on-call", "release-manager");
        Principal platform = Principal.of("platform-admin", "admin");
        Principal intern = Principal.of("intern", "viewer");

        Signature v1Interface = Signature.of(
                List.of(Field.of("amount", "double"), Field.of("merchant_category", "string"), Field.of("hour", "int")),
                List.of(Field.of("fraud_probability", "double")));
        ModelCard card = ModelCard.builder()
                .intendedUse("Score card-not-present transactions for manual fraud review.")
                .limitations("Not calibrated for merchants onboarded in the last 30 days.")
                .owner("payments-risk@example.org")
                .build();

        say("A training pipeline registers fraud-detector 1.5.0 with its weights, lineage, interface and model card");
        ModelVersion v15 = registry.register(pipeline, Registration.of(MODEL).version("1.5.0")
                .tag("fraud-detector-2023-10-27")
                .framework("tribuo", "4.3.1")
                .hyperparameter("learningRate", 0.05).hyperparameter("epochs", 10)
                .signature(v1Interface)
                .metric("auc", 0.912)
                .artifact("model.bin", "application/octet-stream", "logistic-regression weights v1".getBytes(StandardCharsets.UTF_8))
                .dataset(DatasetRef.gitCommit("s3://data/transactions", "3f2c1e0"))
                .code("https://git.example.org/risk/fraud", "9b1d2aa", "train/Train.java")
                .modelCard(card)
                .label("team", "payments-risk")
                .reason("nightly retrain")
                .build());
        detail("registered %s by %s, artifact sha256 %s", v15, v15.author(), v15.artifact("model.bin").sha256());

        say("The platform team locks the holdout set every gate and comparison uses");
        registry.setCanonicalEvaluationSet(platform, MODEL, HOLDOUT, "holdout v3 is the reference set");
        registry.recordEvaluation(pipeline, MODEL, v15.version(), evaluation(0.912, 0.81, 0.84, 21.0), "holdout evaluation");
        detail("canonical set %s; 1.5.0 evaluated: auc 0.912, tpr by gender 0.81/0.84, p99 21 ms", HOLDOUT);

        say("1.5.0 goes to Staging at once, and asks for Production: every automated gate passes, one approval is pending");
        registry.promote(pipeline, MODEL, v15.version(), Stage.STAGING, "offline evaluation passed");
        PromotionRequest request = pending(registry.promote(pipeline, MODEL, v15.version(), Stage.PRODUCTION, "ready for release"));
        detail("request %s awaits %s", request.id(), request.awaitingRoles());
        check(registry.approve(reviewer, request.id(), "reviewed the fairness slices").applied(), "the approval applied the promotion");
        check(registry.getCurrent(MODEL, Stage.PRODUCTION).version().equals(v15.version()), "1.5.0 serves Production");
        detail("approved by maria; Production is %s", registry.getCurrent(MODEL, Stage.PRODUCTION));

        say("A retrained model drops an input; a MINOR bump is refused because the interface broke");
        Signature v2Interface = Signature.of(
                List.of(Field.of("amount", "double"), Field.of("hour", "int"), Field.withDefault("device_age_days", "int")),
                List.of(Field.of("fraud_probability", "double")));
        try {
            registry.register(pipeline, Registration.of(MODEL).bump(Bump.MINOR).signature(v2Interface).build());
            throw new IllegalStateException("a MINOR bump over a removed input was accepted");
        } catch (BreakingChangeException refused) {
            detail("refused: %s", refused.getMessage());
        }
        ModelVersion v2 = registry.register(pipeline, Registration.of(MODEL).bump(Bump.AUTO).signature(v2Interface)
                .framework("tribuo", "4.3.1").metric("auc", 0.934)
                .artifact("model.bin", "application/octet-stream", "weights v2".getBytes(StandardCharsets.UTF_8))
                .dataset(DatasetRef.gitCommit("s3://data/transactions", "77a0c4e"))
                .parent(MODEL, v15.version(), "fine-tune")
                .modelCard(card)
                .reason("new feature set").build());
        check(v2.version().equals(SemVer.parse("2.0.0")), "AUTO chose 2.0.0");
        detail("AUTO chose %s", v2.version());

        say("2.0.0 passes the same gates and approval; 1.5.0 leaves Production in the same atomic step");
        registry.recordEvaluation(pipeline, MODEL, v2.version(), evaluation(0.934, 0.83, 0.85, 24.0), "holdout evaluation");
        registry.promote(pipeline, MODEL, v2.version(), Stage.STAGING, "offline evaluation passed");
        PromotionRequest second = pending(registry.promote(pipeline, MODEL, v2.version(), Stage.PRODUCTION, "ready for release"));
        registry.approve(reviewer, second.id(), "better auc, same fairness");
        check(registry.stageOf(MODEL, v15.version()).equals(Stage.ARCHIVED), "1.5.0 was archived");
        detail("Production is %s; 1.5.0 is %s", registry.getCurrent(MODEL, Stage.PRODUCTION), registry.stageOf(MODEL, v15.version()));

        say("Latency spikes; the on-call engineer rolls Production back at once, without re-approval");
        StageChange rollback = registry.rollback(onCall, MODEL, Stage.PRODUCTION, "p99 latency 4x after 2.0.0");
        check(registry.getCurrent(MODEL, Stage.PRODUCTION).version().equals(v15.version()), "rollback reinstated 1.5.0");
        detail("%s: %s@%s %s -> %s by %s", rollback.kind(), MODEL, rollback.version(), rollback.from(), rollback.to(), rollback.principal());

        say("An intern's attempt to roll Production back is denied, and the denial is recorded");
        try {
            registry.rollback(intern, MODEL, Stage.PRODUCTION, "I think 2.0.0 was fine");
            throw new IllegalStateException("a viewer rolled back Production");
        } catch (AccessDeniedException denied) {
            detail("denied: %s", denied.getMessage());
        }
        check(registry.audit(AuditQuery.builder().outcome(AuditQuery.Outcome.DENIED).build()).size() == 1, "the denial is in the audit trail");

        say("Resolving: by tag, range and reference; the Production artifact is read back verified");
        detail("tag fraud-detector-2023-10-27 -> %s", registry.findByTag(MODEL, "fraud-detector-2023-10-27").orElseThrow().version());
        detail("range ^1 -> %s", registry.findHighest(MODEL, VersionRange.parse("^1")).orElseThrow().version());
        detail("fraud-detector@production -> %s", registry.resolve(MODEL + "@production").version());
        try (InputStream in = registry.openArtifact(MODEL, registry.resolve(MODEL + "@production").version(), "model.bin")) {
            check(new String(in.readAllBytes(), StandardCharsets.UTF_8).equals("logistic-regression weights v1"),
                    "the Production artifact is 1.5.0's, verified");
        }

        say("The audit trail: every change, who, when and why, hash-chained");
        for (LogEntry e : registry.log(MODEL)) {
            detail("#%-2d %s %-18s %-44s %s", e.sequence(), e.time(), e.principal(), describe(e), e.reason());
        }
        VerificationReport report = registry.verify();
        check(report.intact(), "the hash chain verifies");
        detail("verified %d entries in %d log(s): %s", report.entriesChecked(), report.logs().size(), report.intact() ? "intact" : "BROKEN");
        out.println();
        out.println("Demo finished: every step behaved as described.");
    }

    private static Evaluation evaluation(double auc, double tprFemale, double tprMale, double p99) {
        return new Evaluation(HOLDOUT, Map.of("auc", auc),
                Map.of("gender:female", Map.of("tpr", tprFemale), "gender:male", Map.of("tpr", tprMale)),
                Map.of("latency_p99_ms", p99));
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

    private void say(String what) {
        out.println();
        out.printf("%d. %s%n", ++step, what);
    }

    private void detail(String format, Object... args) {
        out.printf("   " + format + "%n", args);
    }

    private static void check(boolean condition, String what) {
        if (!condition) {
            throw new IllegalStateException("Demo step misbehaved: expected " + what);
        }
    }
}
