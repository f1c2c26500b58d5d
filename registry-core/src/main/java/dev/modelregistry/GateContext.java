package dev.modelregistry;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything a gate may look at, captured at one moment.
 *
 * @param model                   the model
 * @param candidate               the version asking to move
 * @param incumbent               the version currently in the target stage (its holder, for an exclusive stage)
 * @param from                    where the candidate is now
 * @param to                      where it asks to go
 * @param candidateEvaluations    the candidate's latest evaluation on each set, by {@code DatasetRef.id()}
 * @param incumbentEvaluations    the incumbent's, likewise (empty without an incumbent)
 * @param canonicalEvaluationSet  the model's locked evaluation set, which gates use when they name none
 * @param modelCard               the candidate's model card, if it has one
 * @param approvals               decisions on the promotion request so far, oldest first
 * @param requester               who asked for the promotion
 * @param now                     the registry clock's time of evaluation
 */
public record GateContext(
        ModelName model,
        ModelVersion candidate,
        Optional<ModelVersion> incumbent,
        Stage from,
        Stage to,
        Map<String, Evaluation> candidateEvaluations,
        Map<String, Evaluation> incumbentEvaluations,
        Optional<String> canonicalEvaluationSet,
        Optional<ModelCard> modelCard,
        List<Approval> approvals,
        Principal requester,
        Instant now) {
    public GateContext {
        candidateEvaluations = Map.copyOf(candidateEvaluations);
        incumbentEvaluations = Map.copyOf(incumbentEvaluations);
        approvals = List.copyOf(approvals);
    }
}
