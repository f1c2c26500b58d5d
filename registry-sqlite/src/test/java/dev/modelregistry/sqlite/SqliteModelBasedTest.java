package dev.modelregistry.sqlite;

import dev.modelregistry.testkit.Backend;
import dev.modelregistry.testkit.RegistryModelBasedTests;
import java.nio.file.Path;

/**
 * The model-based test on SQLite: one database file per sequence; a registry opened afresh at the
 * end reads it through the store's indexes. Commits are not forced to disk one by one
 * ({@link Durability#NORMAL}): what is under test here is the rules and the query tables, while
 * what survives a crash is the crash tests' business.
 */
class SqliteModelBasedTest extends RegistryModelBasedTests {
    @Override
    protected Backend openBackend(Path dir) {
        return () -> SqliteRegistry.options(dir).durability(Durability.NORMAL).builder();
    }
}
