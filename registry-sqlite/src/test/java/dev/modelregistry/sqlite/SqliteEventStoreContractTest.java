package dev.modelregistry.sqlite;

import dev.modelregistry.EventStore;
import dev.modelregistry.testkit.contract.EventStoreContractTests;
import java.nio.file.Path;

/**
 * The event store contract on SQLite: every store opened on the test's database file is another
 * instance over it, as another process would open it. Its models rows record where each log ends.
 */
class SqliteEventStoreContractTest extends EventStoreContractTests {
    @Override
    protected EventStore openStore(Path dir) {
        return SqliteEventStore.builder(dir.resolve(SqliteRegistry.DATABASE_FILE)).durability(Durability.NORMAL).open();
    }

    @Override
    protected boolean supportsSecondInstance() {
        return true;
    }

    @Override
    protected boolean supportsStorageAudit() {
        return true;
    }

    @Override
    protected boolean recordsHeads() {
        return true;
    }
}
