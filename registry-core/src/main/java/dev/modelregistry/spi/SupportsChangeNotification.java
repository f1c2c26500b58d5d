package dev.modelregistry.spi;

import dev.modelregistry.EventStore;

/**
 * An optional capability of an {@link EventStore} that can tell its own process about a change the
 * moment it happens, so watchers need not wait for their next poll. Stores shared with other
 * processes still need polling ({@link EventStore#changeToken()}) for those processes' writes.
 */
public interface SupportsChangeNotification {

    /**
     * Runs {@code listener} after every append that succeeded, on the appending thread, outside any
     * lock the store holds. Listeners must be quick, must not block and must
     * not take locks (the writer may hold the registry's lock on the model), and must not throw (what they throw is logged
     * and ignored). Closing the returned subscription stops the calls.
     */
    AutoCloseable onChange(Runnable listener);
}
