package dev.modelregistry.serving;

import dev.modelregistry.LogEntry;

/**
 * Receives registry events from an {@link EventFeed}: every entry of every model's log
 * ({@code VersionRegistered}, {@code StageChanged} for promotions, displacements, archives and
 * rollbacks, {@code PromotionRequested}, {@code ApprovalRecorded}, …), in log order per model, at
 * least once. Called on the feed's thread, one entry at a time.
 *
 * <p>Delivery is at-least-once: an entry may come again after a crash or restart (the cursor is
 * saved after delivery), so make handling idempotent, e.g. keyed by {@code (model, sequence)}.
 */
@FunctionalInterface
public interface RegistryListener {

    /**
     * Handles one entry. Throwing anything means "not handled": the feed stops delivering that
     * model's entries for now, logs a WARN, and delivers the same entry again at a later poll.
     */
    void onEvent(LogEntry entry) throws Exception;
}
