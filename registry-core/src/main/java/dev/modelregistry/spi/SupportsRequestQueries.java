package dev.modelregistry.spi;

import dev.modelregistry.ModelName;
import java.util.List;

/**
 * An optional capability of an {@link EventStore} that keeps the open promotion requests in a table
 * updated in the same transaction as each append, so that listing them does not fold whole logs.
 * The core uses it for models it has not loaded, as with {@link SupportsVersionQueries}, and to visit
 * only the models that have open requests when it looks for requests awaiting a role.
 *
 * <p>Each method answers as of the store's latest committed state.
 */
public interface SupportsRequestQueries {

    /**
     * The open requests of {@code model} as its log records them, oldest first; empty for a model
     * without a log.
     */
    List<RecordedRequest> openRequests(ModelName model);

    /** Every model with at least one open request, in {@link EventStore#models()} order. */
    List<ModelName> modelsWithOpenRequests();
}
