package dev.modelregistry.internal.engine;

import static dev.modelregistry.internal.engine.PlannerFixture.ARCHIVED;
import static dev.modelregistry.internal.engine.PlannerFixture.MODEL;
import static dev.modelregistry.internal.engine.PlannerFixture.NOW;
import static dev.modelregistry.internal.engine.PlannerFixture.PRODUCTION;
import static dev.modelregistry.internal.engine.PlannerFixture.STAGING;
import static dev.modelregistry.internal.engine.PlannerFixture.log;
import static dev.modelregistry.internal.engine.PlannerFixture.pending;
import static dev.modelregistry.internal.engine.PlannerFixture.policies;
import static dev.modelregistry.internal.engine.PlannerFixture.v;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.modelregistry.NotFoundException;
import dev.modelregistry.Principal;
import dev.modelregistry.PromotionRequest;
import dev.modelregistry.RequestClosed;
import dev.modelregistry.RequestId;
import dev.modelregistry.SemVer;
import dev.modelregistry.StageChange;
import dev.modelregistry.StageChanged;
import dev.modelregistry.StateConflictException;
import dev.modelregistry.internal.engine.PlannerFixture.Committed;
import dev.modelregistry.internal.engine.PlannerFixture.Log;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@DisplayName("The rollback planner")
class RollbackPlannerTest {
    private static final Principal RITA = Principal.of("rita", "release-manager");

    /** 1.0.0, 2.0.0 and 3.0.0 held PRODUCTION in turn; 3.0.0 holds it now. */
    private static Log threeHolders() {
        return log().register("1.0.0", "2.0.0", "3.0.0")
                .promote("1.0.0", STAGING, PRODUCTION).promote("2.0.0", STAGING, PRODUCTION).promote("3.0.0", STAGING, PRODUCTION);
    }

    private static Committed<StageChange> rollback(Log log, Optional<SemVer> target) {
        return log.write(RITA, policies(), RollbackPlanner.rollback(PRODUCTION, target));
    }

    /** The holder {@code out} rolled back out of PRODUCTION and the archived {@code in} reinstated. */
    private static StageChanged[] swap(String out, String in) {
        return new StageChanged[] {new StageChanged(v(out), PRODUCTION, ARCHIVED, StageChange.Kind.ROLLED_BACK),
                new StageChanged(v(in), ARCHIVED, PRODUCTION, StageChange.Kind.ROLLBACK)};
    }

    private static void assertRefused(Log log, Optional<SemVer> target, Class<? extends RuntimeException> type, String message) {
        long before = log.state.lastSequence();
        assertThatThrownBy(() -> rollback(log, target)).isInstanceOf(type).hasMessage(message);
        assertThat(log.state.lastSequence()).isEqualTo(before);
    }

    @Nested
    @DisplayName("without a named target")
    class PreviousHolder {

        @Test
        @DisplayName("takes the holder out (ROLLED_BACK) and reinstates the previous one (ROLLBACK) in one append")
        void previous() {
            Log log = threeHolders();
            Committed<StageChange> c = rollback(log, Optional.empty());

            assertThat(c.events()).containsExactly(swap("3.0.0", "2.0.0"));
            assertThat(c.value()).isEqualTo(new StageChange(MODEL, c.entries().get(1).sequence(), NOW, "rita", "test",
                    v("2.0.0"), ARCHIVED, PRODUCTION, StageChange.Kind.ROLLBACK));
            assertThat(log.state.current(PRODUCTION)).map(m -> m.version().toString()).contains("2.0.0");
        }

        @Test
        @DisplayName("skips a version that left the stage by a rollback")
        void skipsRolledBack() {
            Log log = threeHolders();
            rollback(log, Optional.empty());

            assertThat(rollback(log, Optional.empty()).events()).containsExactly(swap("2.0.0", "1.0.0"));
        }

        @Test
        @DisplayName("counts only a version's latest stay: rolled back once, promoted and displaced again, it is eligible")
        void latestStayCounts() {
            Log log = threeHolders();
            rollback(log, Optional.empty());
            log.promote("3.0.0", STAGING, PRODUCTION).register("4.0.0").promote("4.0.0", STAGING, PRODUCTION);

            assertThat(rollback(log, Optional.empty()).value().version()).isEqualTo(v("3.0.0"));
        }

        @Test
        @DisplayName("reinstates the last holder of a stage left empty, with a single move")
        void emptyStage() {
            Log log = log().register("1.0.0").promote("1.0.0", STAGING, PRODUCTION).move("1.0.0", ARCHIVED, StageChange.Kind.ARCHIVE);

            assertThat(rollback(log, Optional.empty()).events())
                    .containsExactly(new StageChanged(v("1.0.0"), ARCHIVED, PRODUCTION, StageChange.Kind.ROLLBACK));
        }

        @Test
        @DisplayName("refuses a stage with no earlier holder, naming the current one")
        void noEarlierHolder() {
            Log log = log().register("1.0.0").promote("1.0.0", STAGING, PRODUCTION);
            assertRefused(log, Optional.empty(), StateConflictException.class,
                    "Cannot roll back PRODUCTION of fraud-detector: it has no earlier holder before 1.0.0");
        }

        @Test
        @DisplayName("refuses when every earlier holder left by a rollback")
        void onlyRolledBack() {
            Log log = log().register("1.0.0", "2.0.0").promote("1.0.0", STAGING, PRODUCTION).promote("2.0.0", STAGING, PRODUCTION);
            rollback(log, Optional.empty());
            assertRefused(log, Optional.empty(), StateConflictException.class,
                    "Cannot roll back PRODUCTION of fraud-detector: it has no earlier holder before 1.0.0");
        }
    }

    @Nested
    @DisplayName("with a named target")
    class NamedHolder {

        @Test
        @DisplayName("reinstates that earlier holder, skipping the ones between")
        void named() {
            Committed<StageChange> c = rollback(threeHolders(), Optional.of(v("1.0.0")));

            assertThat(c.events()).containsExactly(swap("3.0.0", "1.0.0"));
        }

        @Test
        @DisplayName("reinstates a version that itself left by a rollback, when named")
        void namedRolledBack() {
            Log log = threeHolders();
            rollback(log, Optional.empty());

            assertThat(rollback(log, Optional.of(v("3.0.0"))).value().version()).isEqualTo(v("3.0.0"));
        }

        @Test
        @DisplayName("refuses a version that never held the stage")
        void neverHeld() {
            Log log = threeHolders().register("4.0.0").promote("4.0.0", STAGING);
            assertRefused(log, Optional.of(v("4.0.0")), StateConflictException.class,
                    "fraud-detector@4.0.0 never held PRODUCTION; rollback only reinstates earlier holders");
        }

        @Test
        @DisplayName("refuses the version that holds the stage now")
        void alreadyHolds() {
            assertRefused(threeHolders(), Optional.of(v("3.0.0")), StateConflictException.class,
                    "fraud-detector@3.0.0 already holds PRODUCTION");
        }

        @Test
        @DisplayName("refuses a version the model does not have")
        void unknownVersion() {
            assertRefused(threeHolders(), Optional.of(v("9.0.0")), NotFoundException.class,
                    "Model fraud-detector has no version 9.0.0; its highest is 3.0.0");
        }

        @Test
        @DisplayName("refuses a model without a log")
        void noModel() {
            assertRefused(log(), Optional.of(v("1.0.0")), NotFoundException.class, "No model named fraud-detector");
        }
    }

    @Test
    @DisplayName("closes the open requests of both versions it moves")
    void closesStaleRequests() {
        Log log = threeHolders();
        RequestId ofHolder = log.request("bob", "3.0.0", ARCHIVED, pending(PolicySnapshot.RELEASE_APPROVAL));
        RequestId ofTarget = log.request("bob", "2.0.0", STAGING, pending(PolicySnapshot.RELEASE_APPROVAL));

        Committed<StageChange> c = rollback(log, Optional.empty());

        assertThat(c.events()).hasSize(4).endsWith(
                new RequestClosed(ofHolder.sequence(), PromotionRequest.Status.CLOSED, "candidate moved from PRODUCTION to ARCHIVED"),
                new RequestClosed(ofTarget.sequence(), PromotionRequest.Status.CLOSED, "candidate moved from ARCHIVED to PRODUCTION"));
        assertThat(log.state.openRequests()).isEmpty();
    }
}
