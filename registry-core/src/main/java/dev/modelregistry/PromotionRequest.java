package dev.modelregistry;

import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * A promotion waiting on pending gates (usually manual approvals), as it stands now.
 *
 * @param id            the request's id, {@code model#sequence}
 * @param version       the candidate
 * @param from          the stage it was in when the request was opened
 * @param to            the stage it asks to enter
 * @param requester     who asked
 * @param reason        why
 * @param openedAt      when
 * @param approvals     decisions so far, oldest first
 * @param report        the gates as last evaluated
 * @param awaitingRoles roles whose approval one of the pending gates is waiting for
 * @param status        where the request stands
 * @param closedBecause why it closed, empty while open
 */
public record PromotionRequest(RequestId id, SemVer version, Stage from, Stage to, String requester, String reason,
                               Instant openedAt, List<Approval> approvals, GateReport report, Set<String> awaitingRoles,
                               Status status, String closedBecause) {
    public PromotionRequest {
        approvals = List.copyOf(approvals);
        awaitingRoles = java.util.Collections.unmodifiableSet(new java.util.TreeSet<>(awaitingRoles));
    }

    /** Where a request stands. */
    public enum Status {
        OPEN,
        /** Every gate passed on the last approval and the promotion was applied. */
        COMPLETED,
        /** An approver rejected it, or a gate failed when it was re-evaluated. */
        REJECTED,
        /** The requester (or a release manager) took it back. */
        WITHDRAWN,
        /** The candidate moved elsewhere, so the request no longer applies. */
        CLOSED
    }

    public boolean isOpen() {
        return status == Status.OPEN;
    }
}
