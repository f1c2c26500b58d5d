package dev.modelregistry.internal.engine;

import static dev.modelregistry.internal.engine.PlannerFixture.HOLDOUT;
import static dev.modelregistry.internal.engine.PlannerFixture.MODEL;
import static dev.modelregistry.internal.engine.PlannerFixture.NOW;
import static dev.modelregistry.internal.engine.PlannerFixture.PRODUCTION;
import static dev.modelregistry.internal.engine.PlannerFixture.STAGING;
import static dev.modelregistry.internal.engine.PlannerFixture.evaluation;
import static dev.modelregistry.internal.engine.PlannerFixture.gateEngine;
import static dev.modelregistry.internal.engine.PlannerFixture.intoProduction;
import static dev.modelregistry.internal.engine.PlannerFixture.log;
import static dev.modelregistry.internal.engine.PlannerFixture.policies;
import static dev.modelregistry.internal.engine.PlannerFixture.v;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyList;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import dev.modelregistry.ConcurrentUpdateException;
import dev.modelregistry.EvaluationRecorded;
import dev.modelregistry.EventStore;
import dev.modelregistry.Gate;
import dev.modelregistry.GateContext;
import dev.modelregistry.GateOutcome;
import dev.modelregistry.GateResult;
import dev.modelregistry.Gates;
import dev.modelregistry.LogEntry;
import dev.modelregistry.MetadataTooLargeException;
import dev.modelregistry.ModelCreated;
import dev.modelregistry.ModelVersion;
import dev.modelregistry.Principal;
import dev.modelregistry.PromotionResult;
import dev.modelregistry.Registration;
import dev.modelregistry.RegistryEvent;
import dev.modelregistry.VersionRegistered;
import dev.modelregistry.internal.engine.PlannerFixture.Log;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.mockito.ArgumentCaptor;

@DisplayName("The commit loop of a model's log")
class ModelLogTest {
    private static final Principal RITA = Principal.of("rita", "release-manager");

    private final EventStore store = mock(EventStore.class);
    /** Every context the custom gate was evaluated against, in order. */
    private final List<GateContext> audited = new ArrayList<>();
    private final Gate audit = context -> {
        audited.add(context);
        return Gate.Verdict.passed("no bias found", Map.of());
    };
    /** 1.0.0 in STAGING; whatever the tests append "by someone else" goes after. */
    private final Log history = log().register("1.0.0").promote("1.0.0", STAGING);
    private final List<LogEntry> initial = List.copyOf(history.entries);

    private ModelLog modelLog(int maxAttempts) {
        return new ModelLog(MODEL, new ModelLog.Context(store, Clock.fixed(NOW, ZoneOffset.UTC),
                gateEngine(Map.of("bias-audit", audit)), maxAttempts));
    }

    /** An entry another writer appended to the history: it is in the store, and this log has not seen it. */
    private List<LogEntry> appendedElsewhere(double auc) {
        history.with(new EvaluationRecorded(v("1.0.0"), evaluation(HOLDOUT, auc)));
        return List.of(history.entries.get(history.entries.size() - 1));
    }

    private Outcome<PromotionResult> promoteWithAudit(ModelLog log) {
        PromotionPlanner planner = new PromotionPlanner(gateEngine(Map.of("bias-audit", audit)));
        return log.write(RITA, "release", policies(intoProduction(Gates.custom("bias-audit"))),
                planner.promote(RITA, v("1.0.0"), PRODUCTION, true));
    }

    private static Command<ModelVersion> registration() {
        Principal by = Principal.of("alice");
        return (state, p, now, verdicts) -> RegistrationPlanner.plan(state, Registration.of(MODEL.value()).build(), by, now, List.of());
    }

    @SuppressWarnings("unchecked")
    private static ArgumentCaptor<List<LogEntry>> entries() {
        return ArgumentCaptor.forClass(List.class);
    }

    private static List<RegistryEvent> events(List<LogEntry> entries) {
        return entries.stream().map(LogEntry::event).toList();
    }

    @Nested
    @DisplayName("after a lost compare-and-swap")
    class LostRace {

        @Test
        @DisplayName("plans again against the refreshed state and appends after the other writer's entries")
        void replans() {
            Log other = log().register("1.0.0");
            when(store.read(MODEL, 1L)).thenReturn(List.of(), other.entries);
            doThrow(new ConcurrentUpdateException("log moved")).doNothing().when(store).append(eq(MODEL), anyLong(), anyList());
            ArgumentCaptor<List<LogEntry>> appended = entries();

            ModelVersion registered = modelLog(3).write(RITA, "register", policies(), registration()).orThrow();

            verify(store, times(2)).append(eq(MODEL), anyLong(), appended.capture());
            verify(store).append(eq(MODEL), eq(0L), anyList());
            verify(store).append(eq(MODEL), eq(2L), anyList());
            assertThat(registered.version()).isEqualTo(v("1.0.1"));
            List<LogEntry> lost = appended.getAllValues().get(0);
            assertThat(events(lost)).hasSize(2).first().isEqualTo(new ModelCreated(MODEL));
            assertThat(((VersionRegistered) lost.get(1).event()).version().version()).isEqualTo(v("1.0.0"));
            assertThat(appended.getAllValues().get(1)).hasSize(1);
            LogEntry committed = appended.getAllValues().get(1).get(0);
            assertThat(committed.sequence()).isEqualTo(3);
            assertThat(committed.prevHash()).isEqualTo(other.entries.get(1).hash());
            assertThat(committed.event()).isEqualTo(new VersionRegistered(registered));
        }

        @Test
        @DisplayName("gives up after maxAttempts lost races with ConcurrentUpdateException")
        void givesUp() {
            when(store.read(eq(MODEL), anyLong())).thenReturn(List.of());
            doThrow(new ConcurrentUpdateException("log moved")).when(store).append(eq(MODEL), anyLong(), anyList());

            assertThatThrownBy(() -> modelLog(3).write(RITA, "register", policies(), registration()))
                    .isInstanceOf(ConcurrentUpdateException.class)
                    .hasMessage("Gave up writing to fraud-detector after 3 attempts: other writers kept appending first");
            verify(store, times(3)).append(eq(MODEL), eq(0L), anyList());
        }
    }

    @Nested
    @DisplayName("evaluates custom gates outside the lock")
    class CustomGates {

        @ParameterizedTest(name = "maxAttempts {0}")
        @ValueSource(ints = {1, 3})
        @DisplayName("once when the log did not move, and commits with their verdicts, also when one attempt is allowed")
        void once(int maxAttempts) {
            when(store.read(eq(MODEL), anyLong())).thenReturn(initial, List.of());

            PromotionResult result = promoteWithAudit(modelLog(maxAttempts)).orThrow();

            assertThat(audited).hasSize(1);
            assertThat(result.report().results()).containsExactly(
                    new GateResult("bias-audit", "custom", GateOutcome.PASSED, List.of("no bias found"), Map.of()));
            assertThat(result.applied()).isTrue();
            verify(store, times(1)).append(eq(MODEL), eq(3L), anyList());
        }

        @ParameterizedTest(name = "maxAttempts {0}")
        @ValueSource(ints = {2, 3})
        @DisplayName("again when the log moved between evaluation and commit, against the moved log, also as the last attempt")
        void again(int maxAttempts) {
            when(store.read(eq(MODEL), anyLong())).thenReturn(initial, appendedElsewhere(0.93), List.of());

            assertThat(promoteWithAudit(modelLog(maxAttempts)).orThrow().applied()).isTrue();

            assertThat(audited).hasSize(2);
            assertThat(audited.get(0).candidateEvaluations()).isEmpty();
            assertThat(audited.get(1).candidateEvaluations()).containsEntry(HOLDOUT, evaluation(HOLDOUT, 0.93));
            verify(store, times(1)).append(any(), anyLong(), anyList());
            verify(store).append(eq(MODEL), eq(4L), anyList());
        }

        @Test
        @DisplayName("again after a lost compare-and-swap, since the log then moved")
        void afterLostRace() {
            when(store.read(eq(MODEL), anyLong())).thenReturn(initial, List.of(), appendedElsewhere(0.93), List.of());
            doThrow(new ConcurrentUpdateException("log moved")).doNothing().when(store).append(eq(MODEL), anyLong(), anyList());

            assertThat(promoteWithAudit(modelLog(3)).orThrow().applied()).isTrue();

            assertThat(audited).hasSize(2);
            verify(store).append(eq(MODEL), eq(3L), anyList());
            verify(store).append(eq(MODEL), eq(4L), anyList());
        }

        @Test
        @DisplayName("at most maxAttempts times while the log keeps moving, then gives up without appending")
        void givesUp() {
            when(store.read(eq(MODEL), anyLong())).thenReturn(initial, appendedElsewhere(0.91), appendedElsewhere(0.92));

            assertThatThrownBy(() -> promoteWithAudit(modelLog(2))).isInstanceOf(ConcurrentUpdateException.class)
                    .hasMessage("Gave up writing to fraud-detector after 2 attempts: other writers kept appending first");
            assertThat(audited).hasSize(2);
            verify(store, never()).append(any(), anyLong(), anyList());
        }
    }

    @Nested
    @DisplayName("writes nothing")
    class Nothing {

        @Test
        @DisplayName("for a plan with no events, answering its outcome")
        void noEvents() {
            when(store.read(eq(MODEL), anyLong())).thenReturn(initial, List.of());
            Command<String> unchanged = (state, p, now, verdicts) -> new Plan<>(List.of(), sealed -> new Outcome.Applied<>("unchanged"));

            assertThat(modelLog(3).write(RITA, "noop", policies(), unchanged)).isEqualTo(new Outcome.Applied<>("unchanged"));
            verify(store, never()).append(any(), anyLong(), anyList());
        }

        @Test
        @DisplayName("when the plan's check refuses the sealed entries")
        void refusedCheck() {
            when(store.read(eq(MODEL), anyLong())).thenReturn(initial, List.of());
            Command<Void> tooLarge = (state, p, now, verdicts) -> new Plan<>(List.of(new ModelCreated(MODEL)), sealed -> {
                assertThat(sealed).singleElement().satisfies(e -> assertThat(e.sequence()).isEqualTo(4));
                throw new MetadataTooLargeException("too large");
            }, sealed -> new Outcome.Applied<>(null));

            assertThatThrownBy(() -> modelLog(3).write(RITA, "refused", policies(), tooLarge))
                    .isInstanceOf(MetadataTooLargeException.class).hasMessage("too large");
            verify(store, never()).append(any(), anyLong(), anyList());
        }
    }
}
