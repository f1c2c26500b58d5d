package dev.modelregistry;

import java.time.Instant;

/**
 * One move in a model's stage history: which version went from which stage to which, how, when,
 * by whom and why, and at which log sequence number.
 */
public record StageChange(
        ModelName model,
        long sequence,
        Instant time,
        String principal,
        String reason,
        SemVer version,
        Stage from,
        Stage to,
        Kind kind) {

    /** Why a version moved. */
    public enum Kind {
        /** Moved on request along an allowed transition of the lifecycle. */
        PROMOTION,
        /** Moved out of an exclusive stage because another version was promoted or rolled back into it. */
        DISPLACED,
        /** Archived on request. */
        ARCHIVE,
        /** Reinstated into a stage it held before, by a rollback, without gates or re-approval. */
        ROLLBACK,
        /** Taken out of an exclusive stage by a rollback; later rollbacks skip it. */
        ROLLED_BACK
    }
}
