package dev.modelregistry.testkit;

import dev.modelregistry.ModelRegistry;
import dev.modelregistry.memory.InMemoryArtifactStore;
import dev.modelregistry.memory.InMemoryEventStore;
import java.nio.file.Path;

/** Mixed concurrent writers on the in-memory backend: several registries share one pair of stores. */
class InMemoryStressTest extends RegistryStressTests {
    @Override
    protected Backend openBackend(Path dir) {
        InMemoryEventStore events = new InMemoryEventStore();
        InMemoryArtifactStore artifacts = new InMemoryArtifactStore();
        return () -> ModelRegistry.builder().eventStore(events).artifactStore(artifacts);
    }
}
