package dev.modelregistry.testkit;

import dev.modelregistry.ModelRegistry;
import dev.modelregistry.memory.InMemoryArtifactStore;
import dev.modelregistry.memory.InMemoryEventStore;
import java.nio.file.Path;

/** The serving race suite on the in-memory backend: two registries share one pair of store objects. */
class InMemoryServingRaceTest extends ServingRaceConformanceTests {
    @Override
    protected Backend openBackend(Path dir) {
        InMemoryEventStore events = new InMemoryEventStore();
        InMemoryArtifactStore artifacts = new InMemoryArtifactStore();
        return () -> ModelRegistry.builder().eventStore(events).artifactStore(artifacts);
    }
}
