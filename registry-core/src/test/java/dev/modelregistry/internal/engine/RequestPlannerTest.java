package dev.modelregistry.internal.engine;

import static dev.modelregistry.internal.engine.PlannerFixture.HOLDOUT;
import static dev.modelregistry.internal.engine.PlannerFixture.MODEL;
import static dev.modelregistry.internal.engine.PlannerFixture.NOW;
import static dev.modelregistry.internal.engine.PlannerFixture.PRODUCTION;
import static dev.modelregistry.internal.engine.PlannerFixture.STAGING;
import static dev.modelregistry.internal.engine.PlannerFixture.evaluation;
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
import dev.modelregistry.Approval;
import dev.modelregistry.ApprovalRecorded;
import dev.modelregistry.Comparison;
import dev.modelregistry.EvaluationRecorded;
import dev.modelregistry.GateOutcome;
import dev.modelregistry.GatePolicy;
import dev.modelregistry.GateResult;
import dev.modelregistry.GateSpec;
import dev.modelregistry.Gates;
import dev.modelregistry.NotFoundException;
import dev.modelregistry.Principal;
import dev.modelregistry.PromotionRequest;
import dev.modelregistry.PromotionResult;
import dev.modelregistry.RequestClosed;
import dev.modelregistry.RequestId;
import dev.modelregistry.StageChange;
import dev.modelregistry.StageChanged;
import dev.modelregistry.StateConflictException;
import dev.modelregistry.internal.engine.PlannerFixture.Committed;
import dev.modelregistry.internal.engine.PlannerFixture.Log;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@DisplayName("The request planner")
class RequestPlannerTest {
    /** The author of 1.0.0. */
    private static final Principal ALICE = Principal.of("alice", "data-scientist", "approver", "ml-lead");
    /** Who requested its promotion. */
    private static final Principal BOB = Principal.of("bob", "data-scientist", "approver");
    private static final Principal DAVE = Principal.of("dave", "approver");
    private static final Principal VIC = Principal.of("vic", "viewer");
    private static final GateSpec ONE_APPROVER = Gates.manualApproval(1, "approver");
    private static final String RELEASE_APPROVAL = PolicySnapshot.RELEASE_APPROVAL;

    private static final RequestPlanner REQUESTS = new RequestPlanner(promotions());

    private final Log log = log().register("1.0.0").promote("1.0.0", STAGING);

    private static PolicySnapshot governed(GateSpec... gates) {
        return policies(AccessPolicy.standardRoles(), gates.length == 0 ? GatePolicy.empty() : intoProduction(gates));
    }

    /** bob's request to move 1.0.0 into PRODUCTION, held by {@code pendingGates}. */
    private RequestId requested(String... pendingGates) {
        return log.request(BOB.name(), "1.0.0", PRODUCTION, java.util.Arrays.stream(pendingGates).map(PlannerFixture::pending)
                .toArray(GateResult[]::new));
    }

    private Committed<PromotionResult> approve(Principal by, RequestId id, PolicySnapshot p) {
        return log.write(by, p, REQUESTS.approve(by, id, "ok"));
    }

    @Nested
    @DisplayName("on an approval")
    class Approving {

        @Test
        @DisplayName("completes the request when every gate passes: the move and the closing in one append")
        void completes() {
            RequestId id = requested("manual-approval");
            Committed<PromotionResult> c = approve(DAVE, id, governed(ONE_APPROVER));
            PromotionResult result = c.value();

            assertThat(result.report().outcome()).isEqualTo(GateOutcome.PASSED);
            assertThat(c.events()).containsExactly(
                    new ApprovalRecorded(id.sequence(), true, "ok", Set.of("approver"), result.report()),
                    new StageChanged(v("1.0.0"), STAGING, PRODUCTION, StageChange.Kind.PROMOTION, result.report(), id.sequence()),
                    new RequestClosed(id.sequence(), PromotionRequest.Status.COMPLETED, "every gate passed"));
            assertThat(result.change()).extracting(StageChange::version, StageChange::to, StageChange::principal)
                    .containsExactly(v("1.0.0"), PRODUCTION, "dave");
            assertThat(log.state.request(id.sequence()).orElseThrow().status).isEqualTo(PromotionRequest.Status.COMPLETED);
        }

        @Test
        @DisplayName("completes a request held by the release approval once an eligible approver approves")
        void releaseApproved() {
            RequestId id = requested(RELEASE_APPROVAL);
            PromotionResult result = approve(DAVE, id, governed()).value();

            assertThat(result.report().results()).extracting(GateResult::gate, GateResult::outcome)
                    .containsExactly(tuple(RELEASE_APPROVAL, GateOutcome.PASSED));
            assertThat(result.applied()).isTrue();
        }

        @Test
        @DisplayName("keeps the request open while a gate still waits, recording the approval and the new report")
        void staysPending() {
            RequestId id = requested("manual-approval");
            Committed<PromotionResult> c = approve(DAVE, id, governed(Gates.manualApproval(2, "approver")));
            PromotionRequest request = c.value().request();

            assertThat(c.events()).containsExactly(new ApprovalRecorded(id.sequence(), true, "ok", Set.of("approver"), c.value().report()));
            assertThat(request.status()).isEqualTo(PromotionRequest.Status.OPEN);
            assertThat(request.approvals()).containsExactly(new Approval("dave", Set.of("approver"), true, "ok", NOW));
            assertThat(request.awaitingRoles()).containsExactly("approver");
            assertThat(request.report().results()).singleElement().satisfies(r -> assertThat(r.reasons())
                    .containsExactly("needs 1 more approval from role approver; 1 of 2 from role approver (dave)"));
        }

        @Test
        @DisplayName("keeps a release approval waiting when the approver may not approve into the stage")
        void ineligibleForRelease() {
            RequestId id = requested(RELEASE_APPROVAL);
            PromotionResult result = approve(VIC, id, governed()).value();

            assertThat(result.applied()).isFalse();
            assertThat(result.request().awaitingRoles()).containsExactly("admin", "approver");
        }

        @Test
        @DisplayName("closes the request as rejected, as a Rejected outcome, when a gate now fails")
        void fails() {
            log.with(new EvaluationRecorded(v("1.0.0"), evaluation(HOLDOUT, 0.8)));
            RequestId id = requested("manual-approval");
            Committed<PromotionResult> c = approve(DAVE, id,
                    governed(Gates.metricThreshold("auc", Comparison.AT_LEAST, 0.9).on(HOLDOUT), ONE_APPROVER));
            Outcome.Rejected<PromotionResult> rejected = c.rejected();

            assertThat(rejected.message()).isEqualTo("Request " + id + " was approved by dave but its gates now refuse the promotion");
            assertThat(rejected.report().outcome()).isEqualTo(GateOutcome.FAILED);
            assertThat(c.events()).containsExactly(
                    new ApprovalRecorded(id.sequence(), true, "ok", Set.of("approver"), rejected.report()),
                    new RequestClosed(id.sequence(), PromotionRequest.Status.REJECTED, "a gate failed when re-evaluated on approval"));
            assertThat(log.state.stageOf(v("1.0.0"))).isEqualTo(STAGING);
        }

        @Test
        @DisplayName("refuses a second decision by the same principal")
        void decidingTwice() {
            RequestId id = requested("manual-approval");
            PolicySnapshot twoApprovals = governed(Gates.manualApproval(2, "approver"));
            approve(DAVE, id, twoApprovals);

            assertThatThrownBy(() -> approve(DAVE, id, twoApprovals)).isInstanceOf(AlreadyExistsException.class)
                    .hasMessage("dave already decided on request " + id);
        }
    }

    @Nested
    @DisplayName("applies four eyes")
    class FourEyes {

        private void assertRefused(Principal by, RequestId id, PolicySnapshot p, String message) {
            long before = log.state.lastSequence();
            assertThatThrownBy(() -> approve(by, id, p)).isInstanceOf(StateConflictException.class).hasMessage(message);
            assertThat(log.state.lastSequence()).isEqualTo(before);
        }

        @Test
        @DisplayName("refusing the author under a manual gate that needs someone other than the author")
        void author() {
            assertRefused(ALICE, requested("manual-approval"), governed(ONE_APPROVER), "alice is the author of fraud-detector@1.0.0, "
                    + "and gate \"manual-approval\" needs approvals from someone other than the author");
        }

        @Test
        @DisplayName("refusing the requester under a manual gate that needs someone other than the requester")
        void requesterOfManualGate() {
            GateSpec notRequester = Gates.manualApproval(1, "approver").withDistinctFromRequester(true);
            assertRefused(BOB, requested("manual-approval"), governed(notRequester), "bob requested this promotion, "
                    + "and gate \"manual-approval\" needs approvals from someone other than the requester");
        }

        @Test
        @DisplayName("refusing the requester under the release approval")
        void requesterOfRelease() {
            assertRefused(BOB, requested(RELEASE_APPROVAL), governed(),
                    "bob requested this promotion, and its release approval must come from someone else");
        }

        @Test
        @DisplayName("naming every rule when several exclude the approver")
        void everyRule() {
            RequestId id = log.request(ALICE.name(), "1.0.0", PRODUCTION, pending("manual-approval"), pending(RELEASE_APPROVAL));
            assertRefused(ALICE, id, governed(ONE_APPROVER), "alice is the author of fraud-detector@1.0.0, and gate \"manual-approval\" "
                    + "needs approvals from someone other than the author; alice requested this promotion, and its release approval "
                    + "must come from someone else");
        }

        @Test
        @DisplayName("accepting an approver who counts for at least one gate")
        void countsForOne() {
            GateSpec lead = Gates.manualApproval(1, "ml-lead").withName("lead-sign-off").withDistinctFromAuthor(false);
            RequestId id = requested("manual-approval", "lead-sign-off");

            PromotionResult result = approve(ALICE, id, governed(ONE_APPROVER, lead)).value();

            assertThat(result.report().results()).extracting(GateResult::gate, GateResult::outcome)
                    .containsExactly(tuple("manual-approval", GateOutcome.PENDING), tuple("lead-sign-off", GateOutcome.PASSED));
            assertThat(result.request().approvals()).extracting(Approval::principal).containsExactly("alice");
        }
    }

    @Nested
    @DisplayName("on a rejection or withdrawal")
    class Closing {

        @Test
        @DisplayName("records the rejection and closes the request as rejected")
        void reject() {
            RequestId id = requested("manual-approval");
            Committed<PromotionRequest> c = log.write(DAVE, governed(ONE_APPROVER), RequestPlanner.reject(DAVE, id, "not yet"));

            assertThat(c.events()).containsExactly(new ApprovalRecorded(id.sequence(), false, "not yet", Set.of("approver"), null),
                    new RequestClosed(id.sequence(), PromotionRequest.Status.REJECTED, "rejected by dave"));
            PromotionRequest view = c.value();
            assertThat(tuple(view.status(), view.closedBecause(), view.awaitingRoles()))
                    .isEqualTo(tuple(PromotionRequest.Status.REJECTED, "rejected by dave", Set.of()));
            assertThat(view.approvals()).containsExactly(new Approval("dave", Set.of("approver"), false, "not yet", NOW));
        }

        @Test
        @DisplayName("closes a withdrawn request as withdrawn")
        void withdraw() {
            RequestId id = requested("manual-approval");
            Committed<PromotionRequest> c = log.write(BOB, governed(ONE_APPROVER), RequestPlanner.withdraw(BOB, id));

            assertThat(c.events()).containsExactly(new RequestClosed(id.sequence(), PromotionRequest.Status.WITHDRAWN, "withdrawn by bob"));
            assertThat(c.value()).extracting(PromotionRequest::status, PromotionRequest::id)
                    .containsExactly(PromotionRequest.Status.WITHDRAWN, id);
        }

        @Test
        @DisplayName("refuses every decision on a closed request, saying how it closed")
        void closedRequest() {
            RequestId id = requested("manual-approval");
            log.write(BOB, governed(ONE_APPROVER), RequestPlanner.withdraw(BOB, id));
            String message = "Request fraud-detector#" + id.sequence() + " is WITHDRAWN (withdrawn by bob)";

            for (Command<?> decision : List.<Command<?>>of(REQUESTS.approve(DAVE, id, "ok"), RequestPlanner.reject(DAVE, id, "no"),
                    RequestPlanner.withdraw(BOB, id))) {
                assertThatThrownBy(() -> log.write(DAVE, governed(ONE_APPROVER), decision))
                        .isInstanceOf(StateConflictException.class).hasMessage(message);
            }
        }

        @Test
        @DisplayName("refuses a request the model does not have")
        void unknown() {
            RequestId id = new RequestId(MODEL, 99);
            assertThatThrownBy(() -> log.write(DAVE, governed(), RequestPlanner.reject(DAVE, id, "no")))
                    .isInstanceOf(NotFoundException.class).hasMessage("No request fraud-detector#99");
        }
    }
}
