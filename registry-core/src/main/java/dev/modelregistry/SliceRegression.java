package dev.modelregistry;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * A slice where the candidate is worse than the baseline on one metric by more than the tolerance:
 * the error analysis part of a comparison.
 *
 * @param slice      the slice, e.g. {@code region:eu}
 * @param definition the metric
 * @param baseline   the baseline's value on the slice
 * @param candidate  the candidate's value on the slice
 * @param worseBy    how much worse, in the metric's unit and direction (always above the tolerance)
 */
public record SliceRegression(String slice, MetricDefinition definition, double baseline, double candidate, double worseBy) {
    /** The metric's name. */
    public String metric() {
        return definition.name();
    }

    List<String> cells() {
        return List.of(slice, metric(), definition.format(baseline), definition.format(candidate), definition.format(worseBy));
    }

    ObjectNode toJson() {
        ObjectNode n = Render.object();
        n.put("slice", slice);
        n.put("metric", metric());
        n.put("direction", definition.direction().name());
        n.put("baseline", baseline);
        n.put("candidate", candidate);
        n.put("worseBy", worseBy);
        return n;
    }
}
