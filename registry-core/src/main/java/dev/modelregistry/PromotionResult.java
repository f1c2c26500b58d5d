package dev.modelregistry;

import java.util.Optional;

/**
 * What a promotion (or an approval) led to: applied at once because every gate passed, or an open
 * request waiting on pending gates. A failed gate is not a result: it throws
 * {@link GateRejectedException}.
 *
 * @param report  the gates as evaluated for this decision
 * @param change  the stage change, when applied
 * @param request the open request, when pending
 */
public record PromotionResult(GateReport report, StageChange change, PromotionRequest request) {

    public boolean applied() {
        return change != null;
    }

    public Optional<StageChange> stageChange() {
        return Optional.ofNullable(change);
    }

    public Optional<PromotionRequest> pendingRequest() {
        return Optional.ofNullable(request);
    }
}
