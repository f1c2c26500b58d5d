package dev.modelregistry.examples.governance;

import static dev.modelregistry.examples.Narration.check;

import dev.modelregistry.examples.Narration;

import dev.modelregistry.AccessDeniedException;
import dev.modelregistry.AuditQuery;
import dev.modelregistry.DatasetRef;
import dev.modelregistry.Evaluation;
import dev.modelregistry.GateRejectedException;
import dev.modelregistry.ModelCard;
import dev.modelregistry.ModelRegistry;
import dev.modelregistry.ModelVersion;
import dev.modelregistry.PromotionRequest;
import dev.modelregistry.PromotionResult;
import dev.modelregistry.Principal;
import dev.modelregistry.Registration;
import dev.modelregistry.Signature;
import dev.modelregistry.Signature.Field;
import dev.modelregistry.Stage;
import dev.modelregistry.StateConflictException;
import dev.modelregistry.VerificationReport;
import dev.modelregistry.AccessPolicy;
import dev.modelregistry.Action;
import dev.modelregistry.Grant;
import dev.modelregistry.LogEntry;
import dev.modelregistry.GatePolicy;
import dev.modelregistry.GateResult;
import dev.modelregistry.sqlite.SqliteRegistry;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.util.List;
import java.util.Map;

/**
 * Governance on the embedded SQLite registry: the gate policy shipped as data
 * ({@code examples/src/main/resources/policy.json}, the one the README shows) with automated and
 * manual gates; role-based access with a team role scoped to its models; a promotion the gates
 * reject, with its report; the four-eyes rule (the author's own approval does not count); an audit
 * export as JSON Lines; and {@code verify()} catching a record altered behind the registry's back.
 *
 * <p>{@code GovernanceExample [registry-directory]}; exits non-zero if anything behaves otherwise.
 */
public final class GovernanceExample {
    static final String MODEL = "fraud-detector";
    /** The evaluation set the README's policy names. */
    static final DatasetRef HOLDOUT = DatasetRef.parse("s3://data/holdout@v3");

    private final PrintStream out;
    private final Narration story;

    GovernanceExample(PrintStream out) {
        this.out = out;
        this.story = new Narration(out);
    }

    public static void main(String[] args) {
        try {
            Path dir = args.length > 0 ? Path.of(args[0]) : Files.createTempDirectory("model-registry-governance-");
            System.out.println("Registry directory: " + dir.toAbsolutePath());
            new GovernanceExample(System.out).run(dir);
            System.out.println();
            System.out.println("Governance example finished: every rule held.");
        } catch (Exception | AssertionError e) {
            System.err.println("GOVERNANCE EXAMPLE FAILED: " + e);
            e.printStackTrace();
            System.exit(1);
        }
        System.exit(0);
    }

    /** The standard roles, plus a team role that may register and annotate only its own models. */
    static AccessPolicy accessPolicy() {
        return AccessPolicy.builder()
                .role("viewer", Grant.of(Action.READ))
                .role("approver", Grant.of(Action.READ), Grant.of(Action.APPROVE))
                .role("release-manager", Grant.of(Action.READ), Grant.of(Action.ANNOTATE), Grant.of(Action.PROMOTE),
                        Grant.of(Action.ROLLBACK), Grant.of(Action.ARCHIVE))
                .role("fraud-team", Grant.of(Action.READ), Grant.of(Action.REGISTER, "fraud-*"), Grant.of(Action.ANNOTATE, "fraud-*"),
                        Grant.of(Action.PROMOTE, "fraud-*", Stage.STAGING), Grant.of(Action.REQUEST_PROMOTION, "fraud-*"))
                .role("admin", allActions())
                .build();
    }

    private static Grant[] allActions() {
        return java.util.Arrays.stream(Action.values()).map(Grant::of).toArray(Grant[]::new);
    }

    void run(Path dir) throws Exception {
        Principal admin = Principal.of("platform-admin", "admin");
        Principal dana = Principal.of("dana", "fraud-team", "approver"); // a senior scientist who may also approve
        Principal maria = Principal.of("maria", "approver");
        Principal release = Principal.of("rm-bot", "release-manager");
        Principal intern = Principal.of("intern", "viewer");

        try (ModelRegistry registry = SqliteRegistry.builder(dir).accessPolicy(accessPolicy()).build()) {
            story.say("The platform admin installs the gate policy (data, audited) and locks the evaluation set");
            GatePolicy policy = GatePolicy.fromJson(resource("/policy.json"));
            registry.setGatePolicy(admin, policy, "Q3 model risk review");
            policy.gatesFor(Stage.STAGING, Stage.PRODUCTION).forEach(g -> story.detail("STAGING->PRODUCTION gate: %s", g));

            story.say("Role-based access: the fraud team may register fraud-* models only; a viewer may not register at all");
            expectDenied(() -> registry.register(dana, Registration.of("credit-limit").version("1.0.0").build()));
            expectDenied(() -> registry.register(intern, Registration.of(MODEL).version("0.1.0").build()));

            ModelVersion v300 = registry.register(dana, candidate("3.0.0", ModelCard.builder()
                    .intendedUse("Flag card transactions for manual review.").owner("dana").build()));
            registry.setCanonicalEvaluationSet(admin, MODEL, HOLDOUT, "holdout v3 is the reference set");
            registry.recordEvaluation(dana, MODEL, v300.version(), evaluation(0.91, 0.74, 0.83, 18), "holdout v3");
            registry.promote(dana, MODEL, v300.version(), Stage.STAGING, "offline evaluation done");
            story.detail("dana registered %s and moved it to Staging (the fraud team may promote into Staging)", v300);

            story.say("A release manager promotes 3.0.0 to Production: the gates reject it, and the report says why");
            try {
                registry.promote(release, MODEL, v300.version(), Stage.PRODUCTION, "weekly release");
                throw new IllegalStateException("3.0.0 passed gates it fails");
            } catch (GateRejectedException rejected) {
                for (String line : rejected.report().summary().split("\n")) {
                    story.detail("%s", line);
                }
                List<String> failed = rejected.report().results().stream()
                        .filter(r -> r.outcome() == dev.modelregistry.GateOutcome.FAILED).map(GateResult::type).toList();
                check(failed.containsAll(List.of("fairness", "documentation")), "fairness and documentation gates failed");
            }
            check(registry.stageOf(MODEL, v300.version()).equals(Stage.STAGING), "3.0.0 stayed in Staging");

            story.say("3.0.1, retrained with reweighting and fully documented, waits for an approval");
            ModelVersion v301 = registry.register(dana, candidate("3.0.1", ModelCard.builder()
                    .intendedUse("Flag card transactions for manual review.")
                    .limitations("Not calibrated for merchants onboarded in the last 30 days.")
                    .ethicalConsiderations("True positive rates across gender are gated within 0.05.")
                    .owner("dana").build()));
            registry.recordEvaluation(dana, MODEL, v301.version(), evaluation(0.915, 0.82, 0.84, 19), "holdout v3");
            registry.promote(dana, MODEL, v301.version(), Stage.STAGING, "offline evaluation done");
            PromotionResult asked = registry.promote(dana, MODEL, v301.version(), Stage.PRODUCTION, "ready for release");
            check(!asked.applied(), "the fraud team can only request Production");
            PromotionRequest request = asked.pendingRequest().orElseThrow();
            story.detail("request %s awaits %s", request.id(), request.awaitingRoles());

            story.say("Four eyes: dana holds the approver role, but she may not approve her own model");
            try {
                registry.approve(dana, request.id(), "looks good to me");
                check(false, "the author's own approval was refused");
            } catch (StateConflictException refused) {
                story.detail("refused: %s", refused.getMessage());
            }
            check(registry.findRequest(request.id()).orElseThrow().approvals().isEmpty(), "the refused approval left nothing on record");
            PromotionResult approved = registry.approve(maria, request.id(), "reviewed the fairness report");
            check(approved.applied(), "maria's approval applied the promotion");
            story.detail("maria approved; Production is %s", registry.getCurrent(MODEL, Stage.PRODUCTION));

            story.say("The audit trail: denials and rejections, exported as JSON Lines, and verified");
            List<LogEntry> refused = registry.audit(AuditQuery.builder().outcome(AuditQuery.Outcome.DENIED).build());
            List<LogEntry> rejections = registry.audit(AuditQuery.builder().outcome(AuditQuery.Outcome.REJECTED).build());
            check(refused.size() == 2 && rejections.size() == 1, "two denials and one rejection are on record");
            for (LogEntry e : registry.audit(AuditQuery.builder().model(MODEL).build())) {
                story.detail("#%-2d %-15s %-30s %-9s %s", e.sequence(), e.principal(), e.event().getClass().getSimpleName(),
                        AuditQuery.outcomeOf(e), e.reason());
            }
            Path export = dir.resolve("audit.jsonl");
            try (Writer w = Files.newBufferedWriter(export, StandardCharsets.UTF_8)) {
                long n = registry.exportAudit(AuditQuery.all(), w);
                story.detail("exported %d entries to %s", n, export.getFileName());
            }
            VerificationReport report = registry.verify();
            check(report.intact(), "the audit trail verifies");
            story.detail("verify(): %d entries in %d logs, intact", report.entriesChecked(), report.logs().size());
        }

        story.say("Someone with write access to the database file rewrites who approved; verify() names the broken link");
        int altered = forgeApprover(dir.resolve(SqliteRegistry.DATABASE_FILE), "maria", "mallory");
        check(altered == 1, "one log entry was altered behind the registry's back");
        try (ModelRegistry reopened = SqliteRegistry.builder(dir).accessPolicy(accessPolicy()).build()) {
            VerificationReport report = reopened.verify();
            check(!report.intact(), "verify() detects the forged entry");
            VerificationReport.LogResult broken = report.firstProblem().orElseThrow();
            story.detail("BROKEN: %s at entry #%d: %s", broken.model(), broken.firstBrokenSequence().orElseThrow(), broken.problem());
        }
    }

    /** What an attacker with the file could do: edit the approval entry's JSON in place, bypassing the registry. */
    private static int forgeApprover(Path database, String from, String to) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + database);
             PreparedStatement update = c.prepareStatement("UPDATE log_entries SET entry_json = replace(entry_json, ?, ?) "
                     + "WHERE event_type = 'ApprovalRecorded' AND entry_json LIKE ?")) {
            update.setString(1, "\"" + from + "\"");
            update.setString(2, "\"" + to + "\"");
            update.setString(3, "%\"" + from + "\"%");
            return update.executeUpdate();
        }
    }

    private static Registration candidate(String version, ModelCard card) {
        return Registration.of(MODEL).version(version)
                .framework("tribuo", "4.3.2")
                .signature(Signature.of(List.of(Field.of("amount", "double"), Field.of("hour", "int"), Field.of("merchant_category", "string")),
                        List.of(Field.of("fraud_probability", "double"))))
                .artifact("model.bin", "application/octet-stream", ("weights " + version).getBytes(StandardCharsets.UTF_8))
                .dataset(DatasetRef.gitCommit("s3://data/transactions", "3f2c1e0"))
                .code("https://git.example.org/risk/fraud", "9b1d2aa", "train/Train.java")
                .modelCard(card)
                .build();
    }

    private static Evaluation evaluation(double auc, double tprFemale, double tprMale, double p99) {
        return new Evaluation(HOLDOUT, Map.of("auc", auc),
                Map.of("gender:female", Map.of("tpr", tprFemale), "gender:male", Map.of("tpr", tprMale)),
                Map.of("latency_p99_ms", p99));
    }

    private void expectDenied(Runnable attempt) {
        try {
            attempt.run();
            throw new IllegalStateException("an action outside the principal's grants was allowed");
        } catch (AccessDeniedException denied) {
            story.detail("denied: %s", denied.getMessage());
        }
    }

    private static String resource(String name) throws java.io.IOException {
        try (InputStream in = GovernanceExample.class.getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }




}
