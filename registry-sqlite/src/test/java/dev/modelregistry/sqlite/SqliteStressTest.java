package dev.modelregistry.sqlite;

import dev.modelregistry.testkit.Backend;
import dev.modelregistry.testkit.RegistryStressTests;
import java.nio.file.Path;

/** Mixed concurrent writers on SQLite: each writer a registry with its own connection to one file, as a process would. */
class SqliteStressTest extends RegistryStressTests {
    @Override
    protected Backend openBackend(Path dir) {
        return () -> SqliteRegistry.builder(dir);
    }
}
