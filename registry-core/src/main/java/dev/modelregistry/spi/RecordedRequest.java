package dev.modelregistry.spi;

import dev.modelregistry.RequestId;
import dev.modelregistry.SemVer;
import dev.modelregistry.Stage;
import dev.modelregistry.ValidationException;
import dev.modelregistry.Approval;
import dev.modelregistry.GateReport;
import java.time.Instant;
import java.util.List;

/**
 * An open promotion request as its model's log records it: the {@code PromotionRequested} entry and
 * the decisions ({@code ApprovalRecorded}) on it so far. Which roles it awaits is not part of it:
 * that follows from the gate and access policies in force when it is asked, which the core applies.
 *
 * @param id        the model and the sequence of the {@code PromotionRequested} entry
 * @param version   the candidate
 * @param from      the candidate's stage when the request was opened
 * @param to        the stage it asks to enter
 * @param requester the principal of the {@code PromotionRequested} entry
 * @param reason    the reason of that entry
 * @param openedAt  the time of that entry
 * @param approvals every decision so far, oldest first
 * @param report    the gates as last evaluated: the report of the latest decision that carries one,
 *                  else the request's own
 */
public record RecordedRequest(RequestId id, SemVer version, Stage from, Stage to, String requester, String reason,
                              Instant openedAt, List<Approval> approvals, GateReport report) {
    public RecordedRequest {
        if (id == null || version == null || from == null || to == null || requester == null || openedAt == null
                || report == null) {
            throw new ValidationException("A recorded request needs its id, version, stages, requester, time and report, got "
                    + id + ", " + version + ", " + from + "->" + to + ", " + requester + ", " + openedAt);
        }
        reason = reason == null ? "" : reason;
        approvals = List.copyOf(approvals);
    }
}
