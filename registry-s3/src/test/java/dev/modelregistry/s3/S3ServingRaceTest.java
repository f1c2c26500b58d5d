package dev.modelregistry.s3;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelregistry.ModelRegistry;
import dev.modelregistry.Principal;
import dev.modelregistry.Registration;
import dev.modelregistry.SemVer;
import dev.modelregistry.Stage;
import dev.modelregistry.testkit.Backend;
import dev.modelregistry.testkit.ServingRaceConformanceTests;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The serving race suite on S3Mock: every registry gets its own store objects over one bucket and
 * prefix, as separate machines would, with a change check interval (the documented staleness
 * bound) measured on a ticker the test moves, so a registry's view stays stale until the test
 * lets the bound elapse.
 */
class S3ServingRaceTest extends ServingRaceConformanceTests {
    private static final Duration BOUND = Duration.ofMinutes(1);
    private final AtomicLong nanos = new AtomicLong();

    @Override
    protected Backend openBackend(Path dir) {
        String prefix = S3MockServer.uniquePrefix("serving-race");
        return () -> S3Registry.builder(S3Config.builder(S3MockServer.BUCKET).prefix(prefix).client(S3MockServer.client())
                .changeCheckInterval(BOUND).nanoTicker(nanos::get).build());
    }

    @Override
    protected void letStalenessBoundElapse() {
        nanos.addAndGet(BOUND.toNanos());
    }

    @Test
    @DisplayName("a registry's view of another registry's promotion stays stale until the bound elapses (what the race tests rely on)")
    void viewsAreStaleWithinTheBound() throws Exception {
        try (Backend backend = openBackend(null);
             ModelRegistry writer = backend.registryBuilder().build();
             ModelRegistry reader = backend.registryBuilder().build()) {
            Principal ops = Principal.of("release-bot");
            SemVer v1 = SemVer.parse("1.0.0");
            writer.register(ops, Registration.of("fraud").version(v1).build());
            writer.promote(ops, "fraud", v1, Stage.STAGING, "");
            assertThat(reader.findCurrent("fraud", Stage.STAGING)).isPresent();
            writer.archive(ops, "fraud", v1, "");

            assertThat(reader.findCurrent("fraud", Stage.STAGING)).as("within the bound").isPresent();
            letStalenessBoundElapse();
            assertThat(reader.findCurrent("fraud", Stage.STAGING)).as("after the bound").isEmpty();
        }
    }
}
