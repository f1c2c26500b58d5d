package dev.modelregistry.internal.engine;

import static dev.modelregistry.internal.engine.PlannerFixture.ARCHIVED;
import static dev.modelregistry.internal.engine.PlannerFixture.LIFECYCLE;
import static dev.modelregistry.internal.engine.PlannerFixture.MODEL;
import static dev.modelregistry.internal.engine.PlannerFixture.NONE;
import static dev.modelregistry.internal.engine.PlannerFixture.NOW;
import static dev.modelregistry.internal.engine.PlannerFixture.PRODUCTION;
import static dev.modelregistry.internal.engine.PlannerFixture.STAGING;
import static dev.modelregistry.internal.engine.PlannerFixture.intoProduction;
import static dev.modelregistry.internal.engine.PlannerFixture.log;
import static dev.modelregistry.internal.engine.PlannerFixture.pending;
import static dev.modelregistry.internal.engine.PlannerFixture.policies;
import static dev.modelregistry.internal.engine.PlannerFixture.promotions;
import static dev.modelregistry.internal.engine.PlannerFixture.v;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.modelregistry.Approval;
import dev.modelregistry.ApprovalRecorded;
import dev.modelregistry.GateReport;
import dev.modelregistry.Gates;
import dev.modelregistry.IllegalTransitionException;
import dev.modelregistry.LogEntry;
import dev.modelregistry.NotFoundException;
import dev.modelregistry.Principal;
import dev.modelregistry.PromotionRequest;
import dev.modelregistry.PromotionRequested;
import dev.modelregistry.RegistryEvent;
import dev.modelregistry.RequestClosed;
import dev.modelregistry.RequestId;
import dev.modelregistry.StageChange;
import dev.modelregistry.StageChanged;
import dev.modelregistry.StateConflictException;
import dev.modelregistry.internal.engine.PlannerFixture.Log;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@DisplayName("The rules of stage moves")
class MovesTest {
    private static final GateReport REPORT = new GateReport(STAGING, PRODUCTION, List.of());

    /** 1.0.0 holds PRODUCTION, 2.0.0 and 3.0.0 are in STAGING. */
    private final Log log = log().register("1.0.0", "2.0.0", "3.0.0")
            .promote("1.0.0", STAGING, PRODUCTION).promote("2.0.0", STAGING).promote("3.0.0", STAGING);

    @Nested
    @DisplayName("check a move")
    class Checking {

        @Test
        @DisplayName("answering the stage the version moves from")
        void from() {
            assertThat(Moves.checkMove(log.state, LIFECYCLE, v("2.0.0"), PRODUCTION)).isEqualTo(STAGING);
        }

        @Test
        @DisplayName("refusing a move into the stage the version is in")
        void already() {
            assertThatThrownBy(() -> Moves.checkMove(log.state, LIFECYCLE, v("1.0.0"), PRODUCTION))
                    .isInstanceOf(StateConflictException.class).hasMessage("fraud-detector@1.0.0 is already in PRODUCTION");
        }

        @Test
        @DisplayName("refusing a move the lifecycle forbids, listing the allowed ones")
        void forbidden() {
            Log fresh = log().register("1.0.0");
            assertThatThrownBy(() -> Moves.checkMove(fresh.state, LIFECYCLE, v("1.0.0"), PRODUCTION))
                    .isInstanceOf(IllegalTransitionException.class)
                    .hasMessage("Cannot move fraud-detector@1.0.0 from NONE to PRODUCTION; allowed from NONE: [STAGING, ARCHIVED]");
        }

        @Test
        @DisplayName("refusing a model without a log")
        void noModel() {
            assertThatThrownBy(() -> Moves.checkMove(log().state, LIFECYCLE, v("1.0.0"), STAGING))
                    .isInstanceOf(NotFoundException.class).hasMessage("No model named fraud-detector");
        }
    }

    @Nested
    @DisplayName("plan a move")
    class Moving {

        @Test
        @DisplayName("into an exclusive stage by displacing its holder first")
        void exclusive() {
            assertThat(Moves.moveInto(log.state, LIFECYCLE, v("2.0.0"), STAGING, PRODUCTION, REPORT, 7L)).containsExactly(
                    new StageChanged(v("1.0.0"), PRODUCTION, ARCHIVED, StageChange.Kind.DISPLACED),
                    new StageChanged(v("2.0.0"), STAGING, PRODUCTION, StageChange.Kind.PROMOTION, REPORT, 7L));
        }

        @Test
        @DisplayName("into a shared stage without displacing anyone")
        void shared() {
            Log more = log.register("4.0.0");
            assertThat(Moves.moveInto(more.state, LIFECYCLE, v("4.0.0"), NONE, STAGING, REPORT, null))
                    .containsExactly(new StageChanged(v("4.0.0"), NONE, STAGING, StageChange.Kind.PROMOTION, REPORT, null));
        }

        @Test
        @DisplayName("into the archive stage as an archiving")
        void archive() {
            assertThat(Moves.moveInto(log.state, LIFECYCLE, v("2.0.0"), STAGING, ARCHIVED, REPORT, null))
                    .extracting(e -> ((StageChanged) e).kind()).containsExactly(StageChange.Kind.ARCHIVE);
        }

        @Test
        @DisplayName("closing after the moves every other open request of a moved version")
        void staleRequests() {
            RequestId completing = log.request("bob", "2.0.0", PRODUCTION, pending("manual-approval"));
            RequestId stale = log.request("bob", "2.0.0", ARCHIVED, pending("release-approval"));
            RequestId unmoved = log.request("bob", "3.0.0", PRODUCTION, pending("manual-approval"));
            List<RegistryEvent> moves = Moves.moveInto(log.state, LIFECYCLE, v("2.0.0"), STAGING, PRODUCTION, REPORT, completing.sequence());

            List<RegistryEvent> planned = Moves.withStaleRequestsClosed(log.state, moves, completing.sequence());

            assertThat(planned).startsWith(moves.toArray(RegistryEvent[]::new)).hasSize(3)
                    .endsWith(new RequestClosed(stale.sequence(), PromotionRequest.Status.CLOSED, "candidate moved from STAGING to PRODUCTION"))
                    .noneMatch(e -> e instanceof RequestClosed c && c.request() == unmoved.sequence());
        }

        @Test
        @DisplayName("answering the stage change of a version from the appended entries")
        void stageChangeOf() {
            List<LogEntry> sealed = log.seal("rita", Moves.moveInto(log.state, LIFECYCLE, v("2.0.0"), STAGING, PRODUCTION, REPORT, null));

            assertThat(Moves.stageChangeOf(sealed, v("1.0.0"))).isEqualTo(new StageChange(MODEL, log.state.lastSequence() + 1, NOW,
                    "rita", "test", v("1.0.0"), PRODUCTION, ARCHIVED, StageChange.Kind.DISPLACED));
            assertThat(Moves.stageChangeOf(sealed, v("2.0.0")).sequence()).isEqualTo(log.state.lastSequence() + 2);
            assertThatThrownBy(() -> Moves.stageChangeOf(sealed, v("3.0.0"))).isInstanceOf(IllegalStateException.class)
                    .hasMessage("No stage change of 3.0.0 among the appended entries");
        }
    }

    @Nested
    @DisplayName("fold requests")
    class Requests {

        @Test
        @DisplayName("from a store's selection of request entries to the same open requests as the whole log")
        void selection() {
            PolicySnapshot p = policies(intoProduction(Gates.manualApproval(2, "approver")));
            RequestId first = log.request("bob", "2.0.0", PRODUCTION, pending("manual-approval"));
            RequestId withdrawn = log.request("bob", "3.0.0", PRODUCTION, pending("manual-approval"));
            RequestId archiving = log.request("bob", "1.0.0", ARCHIVED, pending("release-approval"));
            Principal dave = Principal.of("dave", "approver");
            Principal bob = Principal.of("bob");
            log.write(dave, p, new RequestPlanner(promotions()).approve(dave, first, "ok"));
            log.write(bob, p, RequestPlanner.withdraw(bob, withdrawn));
            log.register("4.0.0").promote("4.0.0", STAGING);
            List<LogEntry> selection = log.entries.stream().filter(e -> e.event() instanceof PromotionRequested
                    || e.event() instanceof ApprovalRecorded || e.event() instanceof RequestClosed).toList();

            List<ModelState.Request> folded = RequestViews.fold(MODEL, selection);

            assertThat(folded).extracting(r -> r.id).containsExactly(first.sequence(), archiving.sequence());
            assertThat(folded.stream().map(r -> RequestViews.view(MODEL, r, p)).toList())
                    .isEqualTo(log.state.openRequests().stream().map(r -> RequestViews.view(MODEL, r, p)).toList());
            assertThat(folded.get(0).approvals).extracting(Approval::principal).containsExactly("dave");
        }
    }
}
