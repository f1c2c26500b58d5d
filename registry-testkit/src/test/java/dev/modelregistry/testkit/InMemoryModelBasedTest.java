package dev.modelregistry.testkit;

import dev.modelregistry.ModelRegistry;
import dev.modelregistry.memory.InMemoryArtifactStore;
import dev.modelregistry.memory.InMemoryEventStore;
import java.nio.file.Path;

/** The model-based test on the in-memory backend: a registry opened afresh shares the same store objects. */
class InMemoryModelBasedTest extends RegistryModelBasedTests {
    @Override
    protected Backend openBackend(Path dir) {
        InMemoryEventStore events = new InMemoryEventStore();
        InMemoryArtifactStore artifacts = new InMemoryArtifactStore();
        return () -> ModelRegistry.builder().eventStore(events).artifactStore(artifacts);
    }
}
