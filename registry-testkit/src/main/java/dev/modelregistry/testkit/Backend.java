package dev.modelregistry.testkit;

import dev.modelregistry.ModelRegistryBuilder;

/**
 * A backend under test, as the conformance suite sees it: something that can hand out any number of
 * registry builders over the same stored state. Two registries built from one backend model two
 * processes sharing a database file or a bucket (the in-memory backend shares its store objects).
 */
public interface Backend extends AutoCloseable {

    /**
     * A builder whose event store and artifact store are (new connections to) this backend. The suite
     * sets the clock and the lifecycle itself, so implementations must leave those unset.
     */
    ModelRegistryBuilder registryBuilder();

    /** Releases whatever the backend holds beyond the registries (servers, temporary files). */
    @Override
    default void close() throws Exception {
    }
}
