package dev.modelregistry;

import dev.modelregistry.memory.InMemoryArtifactStore;
import dev.modelregistry.memory.InMemoryEventStore;
import dev.modelregistry.spi.ArtifactStore;
import dev.modelregistry.spi.EventStore;
import java.time.Clock;
import java.util.Objects;

/**
 * Builds a {@link ModelRegistry}. Each setting may be given once and is checked at the call.
 * Unset stores default to memory, the lifecycle to {@link Lifecycle#defaults()}, the clock to
 * {@link Clock#systemUTC()}. The registry owns the stores it is given and closes them.
 *
 * <pre>{@code
 * ModelRegistry registry = ModelRegistry.builder()
 *     .eventStore(new InMemoryEventStore())
 *     .artifactStore(FileSystemArtifactStore.open(Path.of("artifacts")))
 *     .clock(Clock.systemUTC())
 *     .build();
 * }</pre>
 */
public final class ModelRegistryBuilder {
    /** How often a write is re-validated and retried after losing a race before giving up. */
    public static final int DEFAULT_MAX_WRITE_ATTEMPTS = 200;

    private EventStore eventStore;
    private ArtifactStore artifactStore;
    private Clock clock;
    private Lifecycle lifecycle;
    private int maxWriteAttempts = -1;

    ModelRegistryBuilder() {
    }

    public ModelRegistryBuilder eventStore(EventStore store) {
        requireUnset(eventStore, "eventStore");
        this.eventStore = Objects.requireNonNull(store, "eventStore");
        return this;
    }

    public ModelRegistryBuilder artifactStore(ArtifactStore store) {
        requireUnset(artifactStore, "artifactStore");
        this.artifactStore = Objects.requireNonNull(store, "artifactStore");
        return this;
    }

    /** The clock every event's time comes from; inject a fixed or manual clock in tests. */
    public ModelRegistryBuilder clock(Clock clock) {
        requireUnset(this.clock, "clock");
        this.clock = Objects.requireNonNull(clock, "clock");
        return this;
    }

    public ModelRegistryBuilder lifecycle(Lifecycle lifecycle) {
        requireUnset(this.lifecycle, "lifecycle");
        this.lifecycle = Objects.requireNonNull(lifecycle, "lifecycle");
        return this;
    }

    /** How many times a write that lost a race is re-validated and retried (default 200). */
    public ModelRegistryBuilder maxWriteAttempts(int attempts) {
        if (maxWriteAttempts != -1) {
            throw new IllegalStateException("maxWriteAttempts was already set to " + maxWriteAttempts);
        }
        if (attempts < 1) {
            throw new IllegalArgumentException("maxWriteAttempts must be at least 1, was " + attempts);
        }
        this.maxWriteAttempts = attempts;
        return this;
    }

    public ModelRegistry build() {
        return new DefaultModelRegistry(
                eventStore != null ? eventStore : new InMemoryEventStore(),
                artifactStore != null ? artifactStore : new InMemoryArtifactStore(),
                clock != null ? clock : Clock.systemUTC(),
                lifecycle != null ? lifecycle : Lifecycle.defaults(),
                maxWriteAttempts != -1 ? maxWriteAttempts : DEFAULT_MAX_WRITE_ATTEMPTS);
    }

    private static void requireUnset(Object current, String name) {
        if (current != null) {
            throw new IllegalStateException(name + " was already set to " + current);
        }
    }
}
