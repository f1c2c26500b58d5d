package dev.modelregistry.s3;

import dev.modelregistry.testkit.Backend;
import dev.modelregistry.testkit.RegistryStressTests;
import java.nio.file.Path;
import java.time.Duration;

/** Mixed concurrent writers on the S3 backend: each writer a registry with its own store objects over one prefix. */
class S3StressTest extends RegistryStressTests {
    @Override
    protected Backend openBackend(Path dir) {
        String prefix = S3MockServer.uniquePrefix("stress");
        Linearizer linearizer = new Linearizer();
        return () -> S3Registry.builder(S3ConformanceTest.config(prefix, linearizer));
    }

    @Override
    protected int writers() {
        return 4;
    }

    /**
     * 15 s rather than 3: every write here is several HTTP round trips to S3Mock, and three seconds
     * gave too few writes to call the run contention.
     */
    @Override
    protected Duration duration() {
        return Duration.ofSeconds(15);
    }
}
