package dev.modelregistry.internal.engine;

import dev.modelregistry.AlreadyExistsException;
import dev.modelregistry.CanonicalEvaluationSetChanged;
import dev.modelregistry.DatasetRef;
import dev.modelregistry.Evaluation;
import dev.modelregistry.EvaluationRecorded;
import dev.modelregistry.ModelCard;
import dev.modelregistry.ModelCardAttached;
import dev.modelregistry.ModelCreated;
import dev.modelregistry.SemVer;
import dev.modelregistry.ValidationException;
import java.util.List;

/** Plans what is recorded about versions after registration: evaluations, model cards, the canonical evaluation set. Pure. */
public final class AnnotationPlanner {
    private AnnotationPlanner() {
    }

    public static Command<Void> recordEvaluation(SemVer version, Evaluation evaluation) {
        return (state, policies, now, verdicts) -> {
            Moves.requireExists(state);
            state.require(version);
            return Plan.applied(new EvaluationRecorded(version, evaluation));
        };
    }

    public static Command<Void> attachModelCard(SemVer version, ModelCard card) {
        return (state, policies, now, verdicts) -> {
            Moves.requireExists(state);
            state.require(version);
            return Plan.applied(new ModelCardAttached(version, card));
        };
    }

    /**
     * Locks the model's canonical evaluation set. It must be exact (an evaluation names one
     * immutable snapshot), and it may be locked before the model's first version: the write then
     * creates the model's log.
     */
    public static Command<Void> setCanonicalEvaluationSet(DatasetRef evaluationSet) {
        if (!evaluationSet.isExact()) {
            throw new ValidationException("Evaluation set " + evaluationSet + " has no exact version (commit, table version, "
                    + "snapshot id or as-of time); a canonical evaluation set must name one immutable snapshot");
        }
        return (state, policies, now, verdicts) -> {
            if (state.canonicalEvaluationSet().map(evaluationSet::equals).orElse(false)) {
                throw new AlreadyExistsException("The canonical evaluation set of " + state.model() + " already is " + evaluationSet);
            }
            CanonicalEvaluationSetChanged change = new CanonicalEvaluationSetChanged(evaluationSet);
            return new Plan<>(state.exists() ? List.of(change) : List.of(new ModelCreated(state.model()), change),
                    sealed -> new Outcome.Applied<>(null));
        };
    }
}
