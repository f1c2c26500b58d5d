package dev.modelregistry.internal.engine;

import static dev.modelregistry.internal.engine.PlannerFixture.MODEL;
import static dev.modelregistry.internal.engine.PlannerFixture.NONE;
import static dev.modelregistry.internal.engine.PlannerFixture.NOW;
import static dev.modelregistry.internal.engine.PlannerFixture.PRODUCTION;
import static dev.modelregistry.internal.engine.PlannerFixture.STAGING;
import static dev.modelregistry.internal.engine.PlannerFixture.log;
import static dev.modelregistry.internal.engine.PlannerFixture.pending;
import static dev.modelregistry.internal.engine.PlannerFixture.policies;
import static dev.modelregistry.internal.engine.PlannerFixture.v;
import static org.assertj.core.api.Assertions.assertThat;

import dev.modelregistry.AccessPolicy;
import dev.modelregistry.Approval;
import dev.modelregistry.Gate;
import dev.modelregistry.GateOutcome;
import dev.modelregistry.GatePolicy;
import dev.modelregistry.GateReport;
import dev.modelregistry.GateResult;
import dev.modelregistry.Gates;
import dev.modelregistry.Principal;
import dev.modelregistry.Stage;
import dev.modelregistry.internal.engine.PlannerFixture.Log;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@DisplayName("The policy snapshot")
class PolicySnapshotTest {
    private static final String RELEASE_APPROVAL = PolicySnapshot.RELEASE_APPROVAL;
    private static final Principal BOB = Principal.of("bob", "data-scientist", "approver");
    private final PolicySnapshot standard = policies(AccessPolicy.standardRoles(), GatePolicy.empty());
    private final Log log = log().register("1.0.0").promote("1.0.0", STAGING);

    private static Approval approval(String principal, boolean approved, String... roles) {
        return new Approval(principal, Set.of(roles), approved, "", NOW);
    }

    /** The release approval's verdict on bob's request to move 1.0.0 into {@code to}, after {@code approvals}. */
    private Gate.Verdict releaseApproval(Stage to, Approval... approvals) throws Exception {
        Stage from = log.state.stageOf(v("1.0.0"));
        return standard.inlineGates().get(RELEASE_APPROVAL).evaluate(PromotionPlanner.context(log.state,
                log.state.require(v("1.0.0")), from, to, List.of(approvals), BOB, NOW));
    }

    @Nested
    @DisplayName("evaluates the release approval inline")
    class ReleaseApproval {

        @Test
        @DisplayName("as the registry's only inline gate")
        void onlyInlineGate() {
            assertThat(standard.inlineGates()).containsOnlyKeys(RELEASE_APPROVAL);
        }

        @Test
        @DisplayName("pending without approvals, naming the roles that may approve into the stage")
        void noApprovals() throws Exception {
            assertThat(releaseApproval(PRODUCTION)).isEqualTo(Gate.Verdict.pending(
                    "needs an approval from a principal allowed to approve promotions into PRODUCTION (roles [admin, approver])",
                    Map.of("approvals", 0.0)));
        }

        @Test
        @DisplayName("pending when only the requester or principals who may not approve approved")
        void notCounted() throws Exception {
            Gate.Verdict verdict = releaseApproval(PRODUCTION, approval("bob", true, "approver"), approval("vic", true, "viewer"),
                    approval("dan", true, "data-scientist"));
            assertThat(verdict.outcome()).isEqualTo(GateOutcome.PENDING);
        }

        @Test
        @DisplayName("passed by an approver, counting every eligible approval")
        void approvers() throws Exception {
            assertThat(releaseApproval(PRODUCTION, approval("dave", true, "approver"), approval("rita", true, "release-manager")))
                    .isEqualTo(Gate.Verdict.passed("approved for release", Map.of("approvals", 2.0)));
        }

        @Test
        @DisplayName("passed by a principal who may promote into the stage")
        void promoter() throws Exception {
            assertThat(releaseApproval(PRODUCTION, approval("rita", true, "release-manager")).outcome()).isEqualTo(GateOutcome.PASSED);
        }

        @Test
        @DisplayName("judging eligibility by the target stage: a data scientist may promote into STAGING only")
        void byStage() throws Exception {
            Approval dan = approval("dan", true, "data-scientist");
            Log fresh = log().register("1.0.0");
            Gate.Verdict intoStaging = standard.inlineGates().get(RELEASE_APPROVAL).evaluate(PromotionPlanner.context(fresh.state,
                    fresh.state.require(v("1.0.0")), NONE, STAGING, List.of(dan), BOB, NOW));

            assertThat(intoStaging.outcome()).isEqualTo(GateOutcome.PASSED);
            assertThat(releaseApproval(PRODUCTION, dan).outcome()).isEqualTo(GateOutcome.PENDING);
        }

        @Test
        @DisplayName("failed by an eligible rejection, whatever approvals came before")
        void rejected() throws Exception {
            assertThat(releaseApproval(PRODUCTION, approval("dave", true, "approver"), approval("erin", false, "approver")))
                    .isEqualTo(Gate.Verdict.failed("rejected by erin", Map.of()));
        }

        @Test
        @DisplayName("ignoring a rejection by a principal who may not approve")
        void ineligibleRejection() throws Exception {
            assertThat(releaseApproval(PRODUCTION, approval("vic", false, "viewer"), approval("dave", true, "approver")).outcome())
                    .isEqualTo(GateOutcome.PASSED);
        }
    }

    @Nested
    @DisplayName("names the roles an open request awaits")
    class AwaitingRoles {
        private final PolicySnapshot p = policies(AccessPolicy.standardRoles(), GatePolicy.builder().transition(STAGING, PRODUCTION,
                Gates.manualApproval(1, "ml-lead"), Gates.manualApproval(1, "security").withName("security-review")).build());

        private GateResult passed(String gate) {
            return new GateResult(gate, "manual-approval", GateOutcome.PASSED, List.of(), Map.of());
        }

        @Test
        @DisplayName("from its pending manual gates and its pending release approval, not from the passed gates")
        void pendingOnly() {
            GateReport report = new GateReport(STAGING, PRODUCTION,
                    List.of(pending("manual-approval"), passed("security-review"), pending(RELEASE_APPROVAL)));

            assertThat(p.awaitingRoles(MODEL, STAGING, PRODUCTION, report)).containsExactly("admin", "approver", "ml-lead");
        }

        @Test
        @DisplayName("none for a pending gate that is no manual approval of the transition")
        void otherPending() {
            GateReport report = new GateReport(STAGING, PRODUCTION, List.of(pending("bias-audit")));
            assertThat(p.awaitingRoles(MODEL, STAGING, PRODUCTION, report)).isEmpty();
        }

        @Test
        @DisplayName("by the gates of the request's own transition")
        void ownTransition() {
            GateReport report = new GateReport(NONE, STAGING, List.of(pending("manual-approval")));
            assertThat(p.awaitingRoles(MODEL, NONE, STAGING, report)).isEmpty();
        }
    }
}
