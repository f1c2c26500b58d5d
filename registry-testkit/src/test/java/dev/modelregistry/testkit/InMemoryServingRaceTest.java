package dev.modelregistry.testkit;

import java.nio.file.Path;

/** The serving race suite on the in-memory backend, opened as the conformance suite opens it: two registries share one pair of store objects. */
class InMemoryServingRaceTest extends ServingRaceConformanceTests {
    @Override
    protected Backend openBackend(Path dir) {
        return new InMemoryConformanceTest().openBackend(dir);
    }
}
