package dev.modelregistry.testkit;

import dev.modelregistry.ModelRegistry;
import dev.modelregistry.memory.InMemoryArtifactStore;
import dev.modelregistry.memory.InMemoryEventStore;
import java.nio.file.Path;

/** The bad-input corpus on the in-memory backend. */
class InMemoryBadInputTest extends RegistryBadInputTests {
    @Override
    protected Backend openBackend(Path dir) {
        InMemoryEventStore events = new InMemoryEventStore();
        InMemoryArtifactStore artifacts = new InMemoryArtifactStore();
        return () -> ModelRegistry.builder().eventStore(events).artifactStore(artifacts);
    }
}
