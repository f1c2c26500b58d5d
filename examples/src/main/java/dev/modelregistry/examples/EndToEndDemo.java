package dev.modelregistry.examples;

import dev.modelregistry.BreakingChangeException;
import dev.modelregistry.Bump;
import dev.modelregistry.ModelRegistry;
import dev.modelregistry.ModelVersion;
import dev.modelregistry.Principal;
import dev.modelregistry.Registration;
import dev.modelregistry.SemVer;
import dev.modelregistry.Signature;
import dev.modelregistry.Signature.Field;
import dev.modelregistry.Stage;
import dev.modelregistry.StageChange;
import dev.modelregistry.VerificationReport;
import dev.modelregistry.VersionRange;
import dev.modelregistry.event.LogEntry;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The registry's story end to end, on the public API only: register a model, promote it through
 * Staging into Production, register a retrained version whose interface broke (the registry insists
 * on a MAJOR bump), promote it, roll back after an incident, and prove the audit trail.
 *
 * <p>Every step checks that the registry behaved as described and the program exits non-zero when
 * one did not, so it doubles as a smoke test.
 */
public final class EndToEndDemo {
    private static final String MODEL = "fraud-detector";
    private final PrintStream out;
    private int step;

    EndToEndDemo(PrintStream out) {
        this.out = out;
    }

    public static void main(String[] args) throws IOException {
        try (ModelRegistry registry = ModelRegistry.inMemory()) {
            new EndToEndDemo(System.out).run(registry);
        }
    }

    void run(ModelRegistry registry) throws IOException {
        Principal pipeline = Principal.of("training-pipeline", "trainer");
        Principal reviewer = Principal.of("maria", "approver");
        Principal onCall = Principal.of("on-call", "sre");

        Signature v1Interface = Signature.of(
                List.of(Field.of("amount", "double"), Field.of("merchant_category", "string"), Field.of("hour", "int")),
                List.of(Field.of("fraud_probability", "double")));

        say("A training pipeline registers fraud-detector 1.5.0 with its weights, metrics and interface");
        byte[] weights = "logistic-regression weights v1".getBytes(StandardCharsets.UTF_8);
        ModelVersion v15 = registry.register(pipeline, Registration.of(MODEL).version("1.5.0")
                .tag("fraud-detector-2023-10-27")
                .framework("tribuo", "4.3.1")
                .hyperparameter("learningRate", 0.05).hyperparameter("epochs", 10)
                .signature(v1Interface)
                .metric("auc", 0.912).metric("recall_at_1pct_fpr", 0.61)
                .artifact("model.bin", "application/octet-stream", weights)
                .label("team", "payments-risk")
                .reason("nightly retrain")
                .build());
        detail("registered %s by %s, artifact sha256 %s", v15, v15.author(), v15.artifact("model.bin").sha256());

        say("1.5.0 goes to Staging, then to Production");
        registry.promote(pipeline, MODEL, v15.version(), Stage.STAGING, "offline evaluation passed");
        registry.promote(reviewer, MODEL, v15.version(), Stage.PRODUCTION, "approved in review #412");
        check(registry.getCurrent(MODEL, Stage.PRODUCTION).version().equals(v15.version()), "1.5.0 serves Production");
        detail("Production is %s", registry.getCurrent(MODEL, Stage.PRODUCTION));

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
                .reason("new feature set").build());
        check(v2.version().equals(SemVer.parse("2.0.0")), "AUTO chose 2.0.0");
        detail("AUTO chose %s", v2.version());

        say("2.0.0 is promoted; 1.5.0 leaves Production in the same atomic step");
        registry.promote(pipeline, MODEL, v2.version(), Stage.STAGING, "offline evaluation passed");
        registry.promote(reviewer, MODEL, v2.version(), Stage.PRODUCTION, "approved in review #430");
        check(registry.stageOf(MODEL, v15.version()).equals(Stage.ARCHIVED), "1.5.0 was archived");
        detail("Production is %s; 1.5.0 is %s", registry.getCurrent(MODEL, Stage.PRODUCTION), registry.stageOf(MODEL, v15.version()));

        say("Latency spikes; the on-call engineer rolls Production back at once, without re-approval");
        StageChange rollback = registry.rollback(onCall, MODEL, Stage.PRODUCTION, "p99 latency 4x after 2.0.0");
        check(registry.getCurrent(MODEL, Stage.PRODUCTION).version().equals(v15.version()), "rollback reinstated 1.5.0");
        detail("%s: %s@%s %s -> %s by %s", rollback.kind(), MODEL, rollback.version(), rollback.from(), rollback.to(), rollback.principal());

        say("Resolving: by tag, range and reference");
        detail("tag fraud-detector-2023-10-27 -> %s", registry.findByTag(MODEL, "fraud-detector-2023-10-27").orElseThrow().version());
        detail("range ^1 -> %s", registry.findHighest(MODEL, VersionRange.parse("^1")).orElseThrow().version());
        detail("fraud-detector@production -> %s", registry.resolve(MODEL + "@production").version());
        try (InputStream in = registry.openArtifact(MODEL, registry.resolve(MODEL + "@production").version(), "model.bin")) {
            check(new String(in.readAllBytes(), StandardCharsets.UTF_8).equals("logistic-regression weights v1"),
                    "the Production artifact is 1.5.0's, verified");
        }

        say("The audit trail: every change, who, when and why, hash-chained");
        for (LogEntry e : registry.log(MODEL)) {
            detail("#%d %s %-18s %-40s %s", e.sequence(), e.time(), e.principal(), describe(e), e.reason());
        }
        VerificationReport report = registry.verify();
        check(report.intact(), "the hash chain verifies");
        detail("verified %d entries: %s", report.entriesChecked(), report.intact() ? "intact" : "BROKEN");
        out.println();
        out.println("Demo finished: every step behaved as described.");
    }

    private static String describe(LogEntry e) {
        return switch (e.event().getClass().getSimpleName()) {
            case "StageChanged" -> {
                var c = (dev.modelregistry.event.StageChanged) e.event();
                yield c.kind() + " " + c.version() + " " + c.from() + "->" + c.to();
            }
            case "VersionRegistered" -> "VersionRegistered " + ((dev.modelregistry.event.VersionRegistered) e.event()).version().version();
            default -> e.event().getClass().getSimpleName();
        };
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
