package dev.modelregistry;

import java.util.Set;

/**
 * A decision on an open request: approved or rejected, with the decider's roles at that moment and
 * the gates as re-evaluated with this decision counted.
 */
public record ApprovalRecorded(long request, boolean approved, String comment, Set<String> roles, GateReport report)
        implements RegistryEvent {
    public ApprovalRecorded {
        roles = roles == null ? Set.of() : Set.copyOf(new java.util.TreeSet<>(roles));
        comment = comment == null ? "" : comment;
    }
}
