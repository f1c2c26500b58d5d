package dev.modelregistry;

import java.util.List;

/**
 * Where model logs live. Backends are dumb, atomic and durable: every rule (naming, versions,
 * lifecycle, hashing) is enforced by the core before it calls {@link #append}, once, for every
 * backend; the entries it appends are sealed by its commit loop, so they always belong to the model
 * and follow {@code expectedLastSequence} without gaps.
 * Entries sealed by the core carry their canonical JSON: a store that keeps text writes
 * {@link LogEntry#toJson()}, which then costs nothing.
 *
 * <p>A backend must make {@link #append} a compare-and-swap on the end of one model's log: a lock
 * in memory, a primary key in SQL, a create-only conditional write in an object store.
 */
public interface EventStore extends AutoCloseable {

    /**
     * Appends {@code entries} (numbered {@code expectedLastSequence + 1} onward, without gaps) to the
     * log of {@code model}, all or none, if and only if that log still ends at
     * {@code expectedLastSequence} (0 for a log that does not exist yet).
     *
     * @throws ConcurrentUpdateException     the log moved; nothing was written
     * @throws StorageStateUnknownException  the outcome cannot be known; nothing may be assumed
     */
    void append(ModelName model, long expectedLastSequence, List<LogEntry> entries);

    /** The entries of {@code model} from {@code fromSequence} on, in order; empty when there are none. */
    List<LogEntry> read(ModelName model, long fromSequence);

    /** The sequence number of the last entry of {@code model}'s log, 0 when it has none. */
    long lastSequence(ModelName model);

    /** Every model that has a log, sorted by name. */
    List<ModelName> models();

    /**
     * A cheap value that changes whenever any log in this store may have changed, including by
     * another process where the backend is shared. Readers compare it with the value they saw last to
     * decide whether cached state is still current, so it must cost next to nothing.
     */
    long changeToken();

    @Override
    default void close() {
    }
}
