package dev.modelregistry;

import java.util.List;

/**
 * Every gate of one transition evaluated at one moment: stored in the log with the decision it led
 * to, and carried by {@code GateRejectedException}.
 */
public record GateReport(Stage from, Stage to, List<GateResult> results) {
    public GateReport {
        if (from == null || to == null) {
            throw new IllegalArgumentException("A gate report needs the transition it is about");
        }
        results = results == null ? List.of() : List.copyOf(results);
    }

    /** FAILED if any gate failed, else PENDING if any is pending, else PASSED (also with no gates). */
    public GateOutcome outcome() {
        boolean pending = false;
        for (GateResult r : results) {
            if (r.outcome() == GateOutcome.FAILED) {
                return GateOutcome.FAILED;
            }
            pending |= r.outcome() == GateOutcome.PENDING;
        }
        return pending ? GateOutcome.PENDING : GateOutcome.PASSED;
    }

    public List<GateResult> withOutcome(GateOutcome outcome) {
        return results.stream().filter(r -> r.outcome() == outcome).toList();
    }

    /** One line per gate, for messages and logs. */
    public String summary() {
        StringBuilder out = new StringBuilder(from + "->" + to + ": " + outcome());
        for (GateResult r : results) {
            out.append("\n  ").append(r.outcome()).append(' ').append(r.gate()).append(" (").append(r.type()).append(")");
            if (!r.reasons().isEmpty()) {
                out.append(": ").append(String.join("; ", r.reasons()));
            }
        }
        return out.toString();
    }
}
