package dev.modelregistry;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One gate's entry in a {@link GateReport}: its name and type, outcome, reasons, and the figures it
 * looked at.
 */
public record GateResult(String gate, String type, GateOutcome outcome, List<String> reasons, Map<String, Double> figures) {
    public GateResult {
        if (gate == null || type == null || outcome == null) {
            throw new IllegalArgumentException("A gate result needs a gate name, a type and an outcome");
        }
        reasons = reasons == null ? List.of() : List.copyOf(reasons);
        figures = figures == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(figures));
    }
}
