package dev.modelregistry.spi;

import dev.modelregistry.EventStore;

import dev.modelregistry.LogEntry;
import dev.modelregistry.ModelName;
import java.util.List;

/**
 * An optional capability of an {@link EventStore} that indexes which promotion requests are open,
 * updated in the same transaction as each append, so that listing them does not read whole logs.
 * The store only selects entries; the core folds them into requests by the same rules as a whole
 * log. The core uses it for models it has not loaded, as with {@link SupportsVersionQueries}, and to
 * visit only the models that have open requests when it looks for requests awaiting a role.
 *
 * <p>Each method answers as of the store's latest committed state.
 */
public interface SupportsRequestQueries {

    /**
     * The entries of {@code model}'s open requests, in log order: for each request that no
     * {@code RequestClosed} entry has closed, its {@code PromotionRequested} entry and every
     * {@code ApprovalRecorded} entry on it. Empty for a model without a log.
     */
    List<LogEntry> openRequestEntries(ModelName model);

    /** Every model with at least one open request, in {@link EventStore#models()} order. */
    List<ModelName> modelsWithOpenRequests();
}
