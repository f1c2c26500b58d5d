package dev.modelregistry.s3;

import dev.modelregistry.EventStore;
import dev.modelregistry.testkit.contract.EventStoreContractTests;
import java.nio.file.Path;

/**
 * The event store contract on S3, over a key prefix of the test's own, with the conformance suite's
 * settings: create-only writes linearized (S3Mock is not atomic under racing writers), snapshots
 * every 3 entries, and a change check on every call, so the token moves whenever it is read.
 */
class S3EventStoreContractTest extends EventStoreContractTests {
    private final String prefix = S3MockServer.uniquePrefix("event-contract");
    private final Linearizer linearizer = new Linearizer();

    @Override
    protected EventStore openStore(Path dir) {
        return S3Registry.eventStore(S3ConformanceTest.config(prefix, linearizer));
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
    protected boolean keepsChangeTokenWhileIdle() {
        return false;
    }

    @Override
    protected int raceThreads() {
        return 4;
    }
}
