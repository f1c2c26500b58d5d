package dev.modelregistry.s3;

import dev.modelregistry.ModelRegistry;
import dev.modelregistry.ModelRegistryBuilder;
import dev.modelregistry.EventStore;

/**
 * A whole registry in one bucket: the entry point of this module.
 *
 * <pre>{@code
 * ModelRegistry registry = S3Registry.builder(S3Config.builder("ml-registry").prefix("prod").build())
 *     .clock(Clock.systemUTC())
 *     .build();
 * }</pre>
 *
 * Every process that opens a registry over the same bucket and prefix shares its models; writers
 * in different processes are serialised by create-only writes, with no server and no lock service.
 */
public final class S3Registry {
    private S3Registry() {
    }

    /**
     * A registry builder with both stores set to {@code config}'s bucket and prefix, sharing one
     * client (closed with the registry unless it was injected). Set the clock and lifecycle on it.
     */
    public static ModelRegistryBuilder builder(S3Config config) {
        SharedClient client = SharedClient.open(config);
        return ModelRegistry.builder()
                .eventStore(new S3EventStore(client.acquire(), config, client::release))
                .artifactStore(new S3ArtifactStore(client.acquire(), config, client::release));
    }

    /** The event store alone, e.g. to pair with another artifact store. Closing it closes a client it built. */
    public static EventStore eventStore(S3Config config) {
        SharedClient client = SharedClient.open(config);
        return new S3EventStore(client.acquire(), config, client::release);
    }

    /** The artifact store alone, e.g. to store directories. Closing it closes a client it built. */
    public static S3ArtifactStore artifactStore(S3Config config) {
        SharedClient client = SharedClient.open(config);
        return new S3ArtifactStore(client.acquire(), config, client::release);
    }
}
