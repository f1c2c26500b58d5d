package dev.modelregistry;

import java.util.List;
import java.util.Map;

/**
 * A check a promotion must pass: a function of a {@link GateContext} to a {@link Verdict}. Built-in
 * gates come from {@link GateSpec}s; custom gates are registered by name on the registry builder.
 * A gate that throws or runs past its time limit counts as {@link GateOutcome#FAILED}: gates fail
 * closed.
 */
@FunctionalInterface
public interface Gate {

    Verdict evaluate(GateContext context) throws Exception;

    /**
     * What a gate decided, why, and the figures it looked at (so the stored report shows, say, the
     * AUC that passed the threshold, not just "passed").
     */
    record Verdict(GateOutcome outcome, List<String> reasons, Map<String, Double> figures) {
        public Verdict {
            if (outcome == null) {
                throw new IllegalArgumentException("A verdict needs an outcome");
            }
            reasons = reasons == null ? List.of() : List.copyOf(reasons);
            figures = figures == null ? Map.of() : Map.copyOf(figures);
        }

        public static Verdict passed(String reason, Map<String, Double> figures) {
            return new Verdict(GateOutcome.PASSED, List.of(reason), figures);
        }

        public static Verdict failed(String reason, Map<String, Double> figures) {
            return new Verdict(GateOutcome.FAILED, List.of(reason), figures);
        }

        public static Verdict pending(String reason, Map<String, Double> figures) {
            return new Verdict(GateOutcome.PENDING, List.of(reason), figures);
        }
    }
}
