package dev.modelregistry.internal.engine;

import static dev.modelregistry.internal.engine.PlannerFixture.ARCHIVED;
import static dev.modelregistry.internal.engine.PlannerFixture.HOLDOUT;
import static dev.modelregistry.internal.engine.PlannerFixture.MODEL;
import static dev.modelregistry.internal.engine.PlannerFixture.NOW;
import static dev.modelregistry.internal.engine.PlannerFixture.PRODUCTION;
import static dev.modelregistry.internal.engine.PlannerFixture.STAGING;
import static dev.modelregistry.internal.engine.PlannerFixture.evaluation;
import static dev.modelregistry.internal.engine.PlannerFixture.gateEngine;
import static dev.modelregistry.internal.engine.PlannerFixture.intoProduction;
import static dev.modelregistry.internal.engine.PlannerFixture.log;
import static dev.modelregistry.internal.engine.PlannerFixture.pending;
import static dev.modelregistry.internal.engine.PlannerFixture.policies;
import static dev.modelregistry.internal.engine.PlannerFixture.promotions;
import static dev.modelregistry.internal.engine.PlannerFixture.v;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.modelregistry.AccessPolicy;
import dev.modelregistry.AlreadyExistsException;
import dev.modelregistry.CanonicalEvaluationSetChanged;
import dev.modelregistry.Comparison;
import dev.modelregistry.DatasetRef;
import dev.modelregistry.EvaluationRecorded;
import dev.modelregistry.Gate;
import dev.modelregistry.GateContext;
import dev.modelregistry.GateOutcome;
import dev.modelregistry.GatePolicy;
import dev.modelregistry.GateRejectedException;
import dev.modelregistry.GateReport;
import dev.modelregistry.GateResult;
import dev.modelregistry.GateSpec;
import dev.modelregistry.Gates;
import dev.modelregistry.IllegalTransitionException;
import dev.modelregistry.ModelCard;
import dev.modelregistry.ModelCardAttached;
import dev.modelregistry.Principal;
import dev.modelregistry.PromotionRejected;
import dev.modelregistry.PromotionRequest;
import dev.modelregistry.PromotionRequested;
import dev.modelregistry.PromotionResult;
import dev.modelregistry.RequestClosed;
import dev.modelregistry.RequestId;
import dev.modelregistry.SigningKey;
import dev.modelregistry.StageChange;
import dev.modelregistry.StageChanged;
import dev.modelregistry.StateConflictException;
import dev.modelregistry.TrustPolicy;
import dev.modelregistry.VersionManifest;
import dev.modelregistry.VersionSigned;
import dev.modelregistry.internal.engine.PlannerFixture.Committed;
import dev.modelregistry.internal.engine.PlannerFixture.Log;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@DisplayName("The promotion planner")
class PromotionPlannerTest {
    private static final Principal RITA = Principal.of("rita", "release-manager");
    private static final Principal BOB = Principal.of("bob", "data-scientist");
    private static final GateSpec AUC = Gates.metricThreshold("auc", Comparison.AT_LEAST, 0.9);
    private static final GateSpec BIAS_AUDIT = Gates.custom("bias-audit");

    /** 1.0.0 holds PRODUCTION; 2.0.0 is in STAGING, evaluated at {@code auc} on the canonical set. */
    private static Log staged(double auc) {
        return log().register("1.0.0", "2.0.0")
                .with(new CanonicalEvaluationSetChanged(DatasetRef.parse(HOLDOUT)))
                .promote("1.0.0", STAGING, PRODUCTION).promote("2.0.0", STAGING)
                .with(new EvaluationRecorded(v("1.0.0"), evaluation(HOLDOUT, 0.85)), new EvaluationRecorded(v("2.0.0"), evaluation(HOLDOUT, auc)));
    }

    private static Committed<PromotionResult> promote(Log log, Principal by, PolicySnapshot p, boolean direct) {
        return log.write(by, p, promotions().promote(by, v("2.0.0"), PRODUCTION, direct));
    }

    private static Committed<PromotionResult> promoteWithAudit(Log log, Map<String, Gate.Verdict> verdicts) {
        PromotionPlanner planner = new PromotionPlanner(gateEngine(Map.of("bias-audit", ctx -> Gate.Verdict.passed("unused", Map.of()))));
        return log.write(RITA, policies(intoProduction(BIAS_AUDIT)), verdicts, planner.promote(RITA, v("2.0.0"), PRODUCTION, true));
    }

    @Nested
    @DisplayName("names the gates to run outside the lock")
    class GatesToRun {

        @Test
        @DisplayName("with the transition's specs and a context of incumbent, evaluations, canonical set and card")
        void context() {
            ModelCard card = ModelCard.builder().intendedUse("scoring").build();
            Log log = staged(0.95).with(new ModelCardAttached(v("2.0.0"), card));

            GateRun run = promotions().promote(RITA, v("2.0.0"), PRODUCTION, true)
                    .gates(log.state, policies(intoProduction(AUC, BIAS_AUDIT)), NOW);

            assertThat(run.specs()).containsExactly(AUC, BIAS_AUDIT);
            GateContext c = run.context();
            assertThat(c.model()).isEqualTo(MODEL);
            assertThat(c.candidate().version()).isEqualTo(v("2.0.0"));
            assertThat(c.incumbent()).map(i -> i.version().toString()).contains("1.0.0");
            assertThat(tuple(c.from(), c.to(), c.requester(), c.now(), c.approvals())).isEqualTo(tuple(STAGING, PRODUCTION, RITA, NOW, List.of()));
            assertThat(c.candidateEvaluations()).isEqualTo(Map.of(HOLDOUT, evaluation(HOLDOUT, 0.95)));
            assertThat(c.incumbentEvaluations()).isEqualTo(Map.of(HOLDOUT, evaluation(HOLDOUT, 0.85)));
            assertThat(c.canonicalEvaluationSet()).contains(HOLDOUT);
            assertThat(c.modelCard()).contains(card);
        }

        @Test
        @DisplayName("with the release approval last when the principal may only request the promotion")
        void releaseApproval() {
            GateRun run = promotions().promote(BOB, v("2.0.0"), PRODUCTION, false)
                    .gates(staged(0.95).state, policies(intoProduction(AUC)), NOW);

            assertThat(run.specs()).containsExactly(AUC, new GateSpec.Custom(PolicySnapshot.RELEASE_APPROVAL));
        }
    }

    @Nested
    @DisplayName("when every gate passes")
    class Passing {

        @Test
        @DisplayName("moves the candidate in, displacing the exclusive holder first")
        void moves() {
            Log log = staged(0.95);
            Committed<PromotionResult> c = promote(log, RITA, policies(intoProduction(AUC)), true);
            PromotionResult result = c.value();

            assertThat(result.report().outcome()).isEqualTo(GateOutcome.PASSED);
            assertThat(c.events()).containsExactly(
                    new StageChanged(v("1.0.0"), PRODUCTION, ARCHIVED, StageChange.Kind.DISPLACED),
                    new StageChanged(v("2.0.0"), STAGING, PRODUCTION, StageChange.Kind.PROMOTION, result.report(), null));
            assertThat(result.change()).isEqualTo(new StageChange(MODEL, c.entries().get(1).sequence(), NOW, "rita", "test",
                    v("2.0.0"), STAGING, PRODUCTION, StageChange.Kind.PROMOTION));
            assertThat(result.request()).isNull();
            assertThat(log.state.current(PRODUCTION)).map(m -> m.version().toString()).contains("2.0.0");
        }

        @Test
        @DisplayName("closes the open requests of every version it moves")
        void closesStaleRequests() {
            Log log = staged(0.95);
            RequestId holder = log.request("bob", "1.0.0", ARCHIVED, pending(PolicySnapshot.RELEASE_APPROVAL));
            RequestId candidate = log.request("bob", "2.0.0", ARCHIVED, pending(PolicySnapshot.RELEASE_APPROVAL));

            Committed<PromotionResult> c = promote(log, RITA, policies(), true);

            assertThat(c.events()).hasSize(4).endsWith(
                    new RequestClosed(holder.sequence(), PromotionRequest.Status.CLOSED, "candidate moved from PRODUCTION to ARCHIVED"),
                    new RequestClosed(candidate.sequence(), PromotionRequest.Status.CLOSED, "candidate moved from STAGING to PRODUCTION"));
            assertThat(log.state.openRequests()).isEmpty();
        }
    }

    @Nested
    @DisplayName("when a gate is pending")
    class Pending {

        @Test
        @DisplayName("opens a request whose view awaits the roles of the manual gate and of the release approval")
        void opensRequest() {
            Log log = staged(0.95);
            PolicySnapshot p = policies(AccessPolicy.standardRoles(), intoProduction(AUC, Gates.manualApproval(1, "ml-lead")));

            Committed<PromotionResult> c = promote(log, BOB, p, false);
            PromotionResult result = c.value();

            assertThat(c.events()).containsExactly(new PromotionRequested(v("2.0.0"), STAGING, PRODUCTION, result.report()));
            assertThat(result.applied()).isFalse();
            assertThat(result.report().withOutcome(GateOutcome.PENDING)).extracting(GateResult::gate)
                    .containsExactly("manual-approval", PolicySnapshot.RELEASE_APPROVAL);
            PromotionRequest request = result.request();
            assertThat(request.id()).isEqualTo(new RequestId(MODEL, c.entries().get(0).sequence()));
            assertThat(tuple(request.version(), request.from(), request.to(), request.requester(), request.status()))
                    .isEqualTo(tuple(v("2.0.0"), STAGING, PRODUCTION, "bob", PromotionRequest.Status.OPEN));
            assertThat(request.awaitingRoles()).containsExactly("admin", "approver", "ml-lead");
            assertThat(log.state.stageOf(v("2.0.0"))).isEqualTo(STAGING);
        }
    }

    @Nested
    @DisplayName("when a gate fails")
    class Failing {

        @Test
        @DisplayName("records the refusal and returns it as a Rejected outcome with the report, not as an exception")
        void rejected() {
            Log log = staged(0.8);
            Committed<PromotionResult> c = promote(log, RITA, policies(intoProduction(AUC)), true);
            Outcome.Rejected<PromotionResult> rejected = c.rejected();

            assertThat(rejected.message()).isEqualTo("Promotion of fraud-detector@2.0.0 to PRODUCTION refused by its gates");
            assertThat(rejected.report().results()).singleElement().satisfies(r -> {
                assertThat(r.outcome()).isEqualTo(GateOutcome.FAILED);
                assertThat(r.reasons()).containsExactly("auc 0.8 is not >= 0.9 on " + HOLDOUT);
            });
            assertThat(c.events()).containsExactly(new PromotionRejected(v("2.0.0"), STAGING, PRODUCTION, rejected.report()));
            assertThat(log.state.stageOf(v("2.0.0"))).isEqualTo(STAGING);
            assertThatThrownBy(rejected::orThrow).isInstanceOfSatisfying(GateRejectedException.class,
                    e -> assertThat(e.report()).isEqualTo(rejected.report()));
        }
    }

    @Nested
    @DisplayName("adds the trust policy's verdict")
    class Trust {
        private final SigningKey key = SigningKey.generate("release-2026");
        private final PolicySnapshot p = policies(AccessPolicy.allowAll(), GatePolicy.empty(),
                TrustPolicy.builder().trust(key.trustedKey()).require(PRODUCTION, 1).build());

        private GateResult trustResult(GateReport report) {
            return report.results().stream().filter(r -> r.gate().equals(PromotionPlanner.TRUST_GATE)).findFirst().orElseThrow();
        }

        @Test
        @DisplayName("as a failed \"trusted-signatures\" result when the candidate is unsigned")
        void unsigned() {
            GateResult trust = trustResult(promote(staged(0.95), RITA, p, true).rejected().report());

            assertThat(tuple(trust.type(), trust.outcome(), trust.figures()))
                    .isEqualTo(tuple("signature", GateOutcome.FAILED, Map.of("validSignatures", 0.0, "requiredSignatures", 1.0)));
            assertThat(trust.reasons()).singleElement().asString()
                    .startsWith("fraud-detector@2.0.0 for PRODUCTION: 0 of 1 required valid signature(s)");
        }

        @Test
        @DisplayName("as a passed result when a trusted key signed the candidate's manifest")
        void signed() {
            Log log = staged(0.95);
            VersionManifest manifest = VersionManifest.of(log.state.require(v("2.0.0")));
            log.with(new VersionSigned(v("2.0.0"), key.keyId(), manifest.digest(), Base64.getEncoder().encodeToString(key.sign(manifest))));

            PromotionResult result = promote(log, RITA, p, true).value();

            assertThat(trustResult(result.report()).outcome()).isEqualTo(GateOutcome.PASSED);
            assertThat(result.applied()).isTrue();
        }
    }

    @Nested
    @DisplayName("reports custom gates from the verdicts it is given")
    class CustomVerdicts {

        @Test
        @DisplayName("with the verdict's outcome, reasons and figures")
        void fromVerdicts() {
            Gate.Verdict verdict = Gate.Verdict.passed("no bias found", Map.of("score", 0.01));
            PromotionResult result = promoteWithAudit(staged(0.95), Map.of("bias-audit", verdict)).value();

            assertThat(result.report().results()).containsExactly(
                    new GateResult("bias-audit", "custom", GateOutcome.PASSED, List.of("no bias found"), Map.of("score", 0.01)));
            assertThat(result.applied()).isTrue();
        }

        @Test
        @DisplayName("failing closed for a custom gate with no verdict")
        void missingVerdict() {
            Outcome.Rejected<PromotionResult> rejected = promoteWithAudit(staged(0.95), Map.of()).rejected();

            assertThat(rejected.report().results()).containsExactly(new GateResult("bias-audit", "custom", GateOutcome.FAILED,
                    List.of("gate \"bias-audit\" was not evaluated"), Map.of()));
        }
    }

    @Nested
    @DisplayName("archives")
    class Archiving {

        @Test
        @DisplayName("by a move to the archive stage that closes the version's open requests")
        void archive() {
            Log log = staged(0.95);
            RequestId open = log.request("bob", "2.0.0", PRODUCTION, pending("manual-approval"));

            Committed<StageChange> c = log.write(RITA, policies(), PromotionPlanner.archive(v("2.0.0")));

            assertThat(c.events()).containsExactly(new StageChanged(v("2.0.0"), STAGING, ARCHIVED, StageChange.Kind.ARCHIVE),
                    new RequestClosed(open.sequence(), PromotionRequest.Status.CLOSED, "candidate moved from STAGING to ARCHIVED"));
            assertThat(c.value()).extracting(StageChange::version, StageChange::kind).containsExactly(v("2.0.0"), StageChange.Kind.ARCHIVE);
        }

        @Test
        @DisplayName("refusing a version already archived")
        void alreadyArchived() {
            Log log = staged(0.95).promote("2.0.0", ARCHIVED);
            assertThatThrownBy(() -> log.write(RITA, policies(), PromotionPlanner.archive(v("2.0.0"))))
                    .isInstanceOf(StateConflictException.class).hasMessage("fraud-detector@2.0.0 is already in ARCHIVED");
        }
    }

    @Nested
    @DisplayName("refuses")
    class Refusing {

        @Test
        @DisplayName("a move into the stage the version is in, as a state conflict")
        void alreadyInStage() {
            Command<PromotionResult> again = promotions().promote(RITA, v("2.0.0"), STAGING, true);
            Log log = staged(0.95);

            assertThatThrownBy(() -> again.gates(log.state, policies(), NOW))
                    .isInstanceOf(StateConflictException.class).hasMessage("fraud-detector@2.0.0 is already in STAGING");
            assertThatThrownBy(() -> log.write(RITA, policies(), again)).isInstanceOf(StateConflictException.class);
        }

        @Test
        @DisplayName("a transition the lifecycle forbids")
        void forbidden() {
            Log log = staged(0.95).register("3.0.0");
            assertThatThrownBy(() -> log.write(RITA, policies(), promotions().promote(RITA, v("3.0.0"), PRODUCTION, true)))
                    .isInstanceOf(IllegalTransitionException.class)
                    .hasMessage("Cannot move fraud-detector@3.0.0 from NONE to PRODUCTION; allowed from NONE: [STAGING, ARCHIVED]");
        }

        @Test
        @DisplayName("a second request for the same move while one is open")
        void duplicateRequest() {
            Log log = staged(0.95);
            RequestId open = promote(log, BOB, policies(), false).value().request().id();
            long before = log.state.lastSequence();

            assertThatThrownBy(() -> promote(log, BOB, policies(), false)).isInstanceOf(AlreadyExistsException.class)
                    .hasMessage("Promotion of fraud-detector@2.0.0 to PRODUCTION is already requested: " + open);
            assertThat(log.state.lastSequence()).isEqualTo(before);
            assertThat(open.toString()).isEqualTo("fraud-detector#" + before);
        }
    }
}
