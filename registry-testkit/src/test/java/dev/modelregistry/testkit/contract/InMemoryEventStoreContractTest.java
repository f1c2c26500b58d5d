package dev.modelregistry.testkit.contract;

import dev.modelregistry.EventStore;
import dev.modelregistry.memory.InMemoryEventStore;
import java.nio.file.Path;

/** The event store contract on the in-memory store: one instance per test, which tells its listeners of every append. */
class InMemoryEventStoreContractTest extends EventStoreContractTests {
    @Override
    protected EventStore openStore(Path dir) {
        return new InMemoryEventStore();
    }

    @Override
    protected boolean supportsChangeNotification() {
        return true;
    }
}
