package dev.modelregistry.s3;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelregistry.ModelRegistry;
import dev.modelregistry.Principal;
import dev.modelregistry.Registration;
import dev.modelregistry.SemVer;
import dev.modelregistry.Stage;
import dev.modelregistry.StageChange;
import dev.modelregistry.StageChanged;
import dev.modelregistry.serving.EventFeed;
import dev.modelregistry.serving.LocalArtifactCache;
import dev.modelregistry.serving.ModelHandle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A model handle and an event feed on one registry follow what a second registry (its own client
 * and store objects, as another machine would have) does to the same bucket and prefix on S3Mock.
 */
@DisplayName("serving on S3 across registries")
class ServingS3Test {
    private static final String MODEL = "fraud";
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final Principal OPS = Principal.of("release-bot");

    @TempDir
    Path dir;

    static S3Config config(String prefix, S3Client client) {
        return S3Config.builder(S3MockServer.BUCKET).prefix(prefix).client(client)
                .changeCheckInterval(Duration.ofMillis(50)).build();
    }

    static void release(ModelRegistry registry, String version) {
        SemVer v = SemVer.parse(version);
        registry.register(OPS, Registration.of(MODEL).version(v)
                .artifact("model.bin", "application/octet-stream", ("weights of " + v).getBytes(StandardCharsets.UTF_8)).build());
        registry.promote(OPS, MODEL, v, Stage.STAGING, "tests passed");
        registry.promote(OPS, MODEL, v, Stage.PRODUCTION, "approved");
    }

    @Test
    @DisplayName("a handle swaps when another registry promotes and when it rolls back; the feed sees the rollback")
    void followsAnotherRegistry() throws Exception {
        String prefix = S3MockServer.uniquePrefix("serving");
        try (S3Client otherMachine = S3MockServer.newClient();
             ModelRegistry writer = S3Registry.builder(config(prefix, otherMachine)).build();
             ModelRegistry reader = S3Registry.builder(config(prefix, S3MockServer.client())).build()) {
            release(writer, "1.0.0");

            List<String> seen = new CopyOnWriteArrayList<>();
            CountDownLatch rollbackEvent = new CountDownLatch(1);
            try (ModelHandle<String> handle = ModelHandle.builder(reader, MODEL, Stage.PRODUCTION,
                            (file, version) -> Files.readString(file, StandardCharsets.UTF_8))
                    .cache(LocalArtifactCache.open(dir.resolve("cache"), 1 << 20))
                    .pollInterval(Duration.ofMillis(20)).maxPollInterval(Duration.ofMillis(100))
                    .build();
                 EventFeed feed = EventFeed.builder(reader, e -> {
                     seen.add(e.model() + "#" + e.sequence());
                     if (e.event() instanceof StageChanged c && c.kind() == StageChange.Kind.ROLLBACK) {
                         rollbackEvent.countDown();
                     }
                 }).pollInterval(Duration.ofMillis(20)).maxPollInterval(Duration.ofMillis(100)).start()) {
                assertThat(handle.current().model()).isEqualTo("weights of 1.0.0");

                release(writer, "1.1.0");
                assertThat(handle.awaitVersion(SemVer.parse("1.1.0"), WAIT)).as("swapped after the other registry promoted").isTrue();
                assertThat(handle.current().model()).isEqualTo("weights of 1.1.0");

                writer.rollback(OPS, MODEL, Stage.PRODUCTION, "error rate up");
                assertThat(handle.awaitVersion(SemVer.parse("1.0.0"), WAIT)).as("swapped back after the other registry rolled back").isTrue();
                assertThat(handle.current().model()).isEqualTo("weights of 1.0.0");

                assertThat(rollbackEvent.await(WAIT.toSeconds(), TimeUnit.SECONDS)).as("feed delivered the rollback").isTrue();
                assertThat(seen).doesNotHaveDuplicates();
            }
        }
    }
}
