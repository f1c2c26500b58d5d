package dev.modelregistry.testkit.contract;

import dev.modelregistry.ArtifactStore;
import dev.modelregistry.memory.InMemoryArtifactStore;
import java.nio.file.Path;

/** The artifact store contract on the in-memory store, which shows nothing of its map to a test. */
class InMemoryArtifactStoreContractTest extends ArtifactStoreContractTests {
    @Override
    protected ArtifactStore openStore(Path dir) {
        return new InMemoryArtifactStore();
    }
}
