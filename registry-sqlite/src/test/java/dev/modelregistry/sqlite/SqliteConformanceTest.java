package dev.modelregistry.sqlite;

import dev.modelregistry.testkit.Backend;
import dev.modelregistry.testkit.RegistryConformanceTests;
import java.nio.file.Path;

/** The conformance suite on SQLite: every registry opens its own store on one file, as a second process would. */
class SqliteConformanceTest extends RegistryConformanceTests {
    @Override
    protected Backend openBackend(Path dir) {
        return () -> SqliteRegistry.builder(dir);
    }
}
