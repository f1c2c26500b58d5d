package dev.modelregistry.s3;

import dev.modelregistry.testkit.Backend;
import dev.modelregistry.testkit.RegistryModelBasedTests;
import java.nio.file.Path;

/**
 * The model-based test on the S3 backend over S3Mock: 10,000 operations per run, like every other
 * backend. Each sequence gets a bucket of its own (S3Mock's cost per request grows with the number of
 * objects in the bucket, see {@link S3MockServer}) and talks to S3Mock through the one shared client;
 * snapshots every 3 entries so reads go through them, and a registry opened afresh at the end of
 * every sequence reads the bucket back.
 */
class S3ModelBasedTest extends RegistryModelBasedTests {
    /** Each read of a model not created yet is a listing of the bucket; compare the whole state every 10 operations. */
    @Override
    protected int compareStateEvery() {
        return 10;
    }

    @Override
    protected Backend openBackend(Path dir) {
        String bucket = S3MockServer.newBucket("model-based");
        // One registry writes at a time here, so the create-only writes go to S3Mock as they are (no
        // LinearizingS3Client: nothing races), and the default change-check interval is enough: its
        // own appends move the change token, and a registry opened afresh reads the bucket from scratch.
        return () -> S3Registry.builder(S3Config.builder(bucket)
                .prefix("registry")
                .client(S3MockServer.client())
                .snapshotEvery(3)
                .build());
    }
}
