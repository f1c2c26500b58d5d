package dev.modelregistry.internal.engine;

import static dev.modelregistry.internal.engine.PlannerFixture.HOLDOUT;
import static dev.modelregistry.internal.engine.PlannerFixture.MODEL;
import static dev.modelregistry.internal.engine.PlannerFixture.evaluation;
import static dev.modelregistry.internal.engine.PlannerFixture.log;
import static dev.modelregistry.internal.engine.PlannerFixture.policies;
import static dev.modelregistry.internal.engine.PlannerFixture.v;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.modelregistry.AlreadyExistsException;
import dev.modelregistry.CanonicalEvaluationSetChanged;
import dev.modelregistry.DatasetRef;
import dev.modelregistry.Evaluation;
import dev.modelregistry.EvaluationRecorded;
import dev.modelregistry.ModelCard;
import dev.modelregistry.ModelCardAttached;
import dev.modelregistry.ModelCreated;
import dev.modelregistry.NotFoundException;
import dev.modelregistry.Principal;
import dev.modelregistry.ValidationException;
import dev.modelregistry.internal.engine.PlannerFixture.Committed;
import dev.modelregistry.internal.engine.PlannerFixture.Log;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@DisplayName("The annotation planner")
class AnnotationPlannerTest {
    private static final Principal BY = Principal.of("alice", "data-scientist");
    private static final DatasetRef CANONICAL = DatasetRef.parse(HOLDOUT);

    private static <R> Committed<R> write(Log log, Command<R> command) {
        return log.write(BY, policies(), command);
    }

    @Nested
    @DisplayName("records an evaluation")
    class Evaluations {

        @Test
        @DisplayName("of a registered version, which becomes its latest on that set")
        void records() {
            Log log = log().register("1.0.0");
            Evaluation e = evaluation(HOLDOUT, 0.91);

            Committed<Void> c = write(log, AnnotationPlanner.recordEvaluation(v("1.0.0"), e));

            assertThat(c.events()).containsExactly(new EvaluationRecorded(v("1.0.0"), e));
            assertThat(log.state.latestEvaluations(v("1.0.0"))).isEqualTo(Map.of(HOLDOUT, e));
        }

        @Test
        @DisplayName("refusing a version the model does not have")
        void unknownVersion() {
            assertThatThrownBy(() -> write(log().register("1.0.0"), AnnotationPlanner.recordEvaluation(v("2.0.0"), evaluation(HOLDOUT, 0.9))))
                    .isInstanceOf(NotFoundException.class).hasMessage("Model fraud-detector has no version 2.0.0; its highest is 1.0.0");
        }

        @Test
        @DisplayName("refusing a model without a log")
        void noModel() {
            assertThatThrownBy(() -> write(log(), AnnotationPlanner.recordEvaluation(v("1.0.0"), evaluation(HOLDOUT, 0.9))))
                    .isInstanceOf(NotFoundException.class).hasMessage("No model named fraud-detector");
        }
    }

    @Nested
    @DisplayName("attaches a model card")
    class Cards {

        @Test
        @DisplayName("to a registered version, replacing the one it had")
        void attaches() {
            ModelCard first = ModelCard.builder().intendedUse("v1").build();
            ModelCard second = ModelCard.builder().intendedUse("v2").limitations("none known").build();
            Log log = log().register("1.0.0").with(new ModelCardAttached(v("1.0.0"), first));

            assertThat(write(log, AnnotationPlanner.attachModelCard(v("1.0.0"), second)).events())
                    .containsExactly(new ModelCardAttached(v("1.0.0"), second));
            assertThat(log.state.card(v("1.0.0"))).contains(second);
        }

        @Test
        @DisplayName("refusing a version the model does not have")
        void unknownVersion() {
            assertThatThrownBy(() -> write(log().register("1.0.0"), AnnotationPlanner.attachModelCard(v("1.1.0"), ModelCard.builder().build())))
                    .isInstanceOf(NotFoundException.class).hasMessageStartingWith("Model fraud-detector has no version 1.1.0");
        }
    }

    @Nested
    @DisplayName("locks the canonical evaluation set")
    class CanonicalSet {

        @Test
        @DisplayName("before the first version, creating the model's log")
        void beforeFirstVersion() {
            Log log = log();
            assertThat(write(log, AnnotationPlanner.setCanonicalEvaluationSet(CANONICAL)).events())
                    .containsExactly(new ModelCreated(MODEL), new CanonicalEvaluationSetChanged(CANONICAL));
            assertThat(log.state.canonicalEvaluationSet()).contains(CANONICAL);
        }

        @Test
        @DisplayName("of an existing model, replacing the set it had")
        void replaces() {
            DatasetRef next = DatasetRef.parse("s3://data/holdout@v4");
            Log log = log().register("1.0.0").with(new CanonicalEvaluationSetChanged(CANONICAL));

            assertThat(write(log, AnnotationPlanner.setCanonicalEvaluationSet(next)).events())
                    .containsExactly(new CanonicalEvaluationSetChanged(next));
        }

        @Test
        @DisplayName("refusing the set it already has")
        void same() {
            Log log = log().register("1.0.0").with(new CanonicalEvaluationSetChanged(CANONICAL));
            assertThatThrownBy(() -> write(log, AnnotationPlanner.setCanonicalEvaluationSet(CANONICAL)))
                    .isInstanceOf(AlreadyExistsException.class)
                    .hasMessage("The canonical evaluation set of fraud-detector already is " + CANONICAL);
        }

        @Test
        @DisplayName("refusing an inexact set before any plan")
        void inexact() {
            DatasetRef moving = DatasetRef.unversioned("s3://data/holdout");
            assertThatThrownBy(() -> AnnotationPlanner.setCanonicalEvaluationSet(moving))
                    .isInstanceOf(ValidationException.class)
                    .hasMessageStartingWith("Evaluation set " + moving + " has no exact version");
        }
    }
}
