package dev.modelregistry.s3;

import dev.modelregistry.testkit.Backend;
import dev.modelregistry.testkit.RegistryConformanceTests;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The conformance suite on the S3 backend: every registry the suite opens gets new store objects
 * over one bucket and prefix, as separate processes would. Create-only writes go through
 * {@link LinearizingS3Client} because the suite races writers and S3Mock is not atomic under
 * concurrency; everything else is S3Mock's own protocol. Snapshots every 3 entries so the suite
 * exercises reading through them, and a zero change-check interval because the suite expects a
 * registry to see another's write at once.
 */
class S3ConformanceTest extends RegistryConformanceTests {
    @Override
    protected Backend openBackend(Path dir) {
        String prefix = S3MockServer.uniquePrefix("conformance");
        Linearizer linearizer = new Linearizer();
        return () -> S3Registry.builder(config(prefix, linearizer));
    }

    static S3Config config(String prefix, Linearizer linearizer) {
        return S3Config.builder(S3MockServer.BUCKET)
                .prefix(prefix)
                .client(new LinearizingS3Client(S3MockServer.client(), linearizer))
                .snapshotEvery(3)
                .changeCheckInterval(Duration.ZERO)
                .build();
    }
}
