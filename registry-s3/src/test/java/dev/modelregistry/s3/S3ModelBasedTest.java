package dev.modelregistry.s3;

import dev.modelregistry.testkit.Backend;
import dev.modelregistry.testkit.RegistryModelBasedTests;
import java.nio.file.Path;

/**
 * The model-based test on the S3 backend over S3Mock: a fresh prefix per sequence, create-only
 * writes linearized as in {@link S3ConformanceTest}, snapshots every 3 entries so reads go through
 * them, and a registry opened afresh at the end of every sequence reads the bucket back.
 */
class S3ModelBasedTest extends RegistryModelBasedTests {
    /**
     * 2,000 operations per CI run: every write is one or more HTTP round trips to S3Mock, and 10,000
     * took 5 to 11 minutes on the 2-core build machine, too much of the suite's budget. The
     * {@code reliability-long} profile, or {@code -Dregistry.mbt.operations=10000}, runs more.
     */
    @Override
    protected int defaultOperations() {
        return 2_000;
    }

    /** Each read of a model not created yet is a listing of the bucket; compare the whole state every 10 operations. */
    @Override
    protected int compareStateEvery() {
        return 10;
    }

    @Override
    protected Backend openBackend(Path dir) {
        String prefix = S3MockServer.uniquePrefix("model-based");
        Linearizer linearizer = new Linearizer();
        // One registry writes at a time here, so the default change-check interval is enough: its own
        // appends move the change token, and a registry opened afresh reads the bucket from scratch.
        return () -> S3Registry.builder(S3Config.builder(S3MockServer.BUCKET)
                .prefix(prefix)
                .client(new LinearizingS3Client(S3MockServer.client(), linearizer))
                .snapshotEvery(3)
                .build());
    }
}
