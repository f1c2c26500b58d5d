package dev.modelregistry.sqlite;

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
import dev.modelregistry.serving.Serving;
import dev.modelregistry.serving.SwapListener;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A model handle and an event feed in this JVM follow what another JVM does to the same registry folder. */
@DisplayName("serving across processes on one SQLite registry")
class ServingCrossProcessTest {
    private static final String MODEL = ServingPromoterChild.MODEL;
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    @Test
    @DisplayName("a handle swaps when another process promotes, and swaps back when it rolls back; the feed sees both")
    void followsAnotherProcess() throws Exception {
        Path registryDir = dir.resolve("registry");
        try (ModelRegistry registry = SqliteRegistry.open(registryDir)) {
            Principal alice = Principal.of("alice");
            registry.register(alice, Registration.of(MODEL).version("1.0.0")
                    .artifact("model.bin", "application/octet-stream", "weights of 1.0.0".getBytes(StandardCharsets.UTF_8)).build());
            registry.promote(alice, MODEL, SemVer.parse("1.0.0"), Stage.STAGING, "tests passed");
            registry.promote(alice, MODEL, SemVer.parse("1.0.0"), Stage.PRODUCTION, "approved");

            // Listeners are told after the swap is published, so read them with a timeout, not at once.
            java.util.concurrent.BlockingQueue<String> swaps = new java.util.concurrent.LinkedBlockingQueue<>();
            CountDownLatch rollbackEvent = new CountDownLatch(1);
            ModelHandle<String> handle = ModelHandle.builder(registry, MODEL, Stage.PRODUCTION,
                            (file, version) -> Files.readString(file, StandardCharsets.UTF_8))
                    .cache(LocalArtifactCache.open(dir.resolve("cache"), 1 << 20))
                    .pollInterval(Duration.ofMillis(20)).maxPollInterval(Duration.ofMillis(50))
                    .listener(new SwapListener<>() {
                        @Override
                        public void onSwap(Serving<String> previous, Serving<String> current) {
                            swaps.add(previous.version().version() + "->" + current.version().version());
                        }
                    })
                    .build();
            EventFeed feed = EventFeed.builder(registry, e -> {
                if (e.event() instanceof StageChanged c && c.kind() == StageChange.Kind.ROLLBACK) {
                    rollbackEvent.countDown();
                }
            }).pollInterval(Duration.ofMillis(20)).maxPollInterval(Duration.ofMillis(50)).start();

            Path stderr = dir.resolve("child.err");
            Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), "-Xmx256m", "-XX:TieredStopAtLevel=1",
                    ServingPromoterChild.class.getName(), registryDir.toString())
                    .redirectError(stderr.toFile()).start();
            try (handle; feed;
                 BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
                 Writer in = new OutputStreamWriter(child.getOutputStream(), StandardCharsets.UTF_8)) {
                assertThat(out.readLine()).as("child started; stderr: %s", stderr).isEqualTo("READY");
                assertThat(handle.current().model()).isEqualTo("weights of 1.0.0");

                in.write("RELEASE 1.1.0\n");
                in.flush();
                assertThat(out.readLine()).isEqualTo("RELEASED 1.1.0");
                assertThat(handle.awaitVersion(SemVer.parse("1.1.0"), WAIT)).as("swapped after the other process promoted").isTrue();
                assertThat(handle.current().model()).isEqualTo("weights of 1.1.0");

                in.write("ROLLBACK\n");
                in.flush();
                assertThat(out.readLine()).isEqualTo("ROLLED_BACK 1.0.0");
                assertThat(handle.awaitVersion(SemVer.parse("1.0.0"), WAIT)).as("swapped back after the other process rolled back").isTrue();
                assertThat(handle.current().model()).isEqualTo("weights of 1.0.0");
                assertThat(rollbackEvent.await(WAIT.toSeconds(), TimeUnit.SECONDS)).as("feed delivered the rollback").isTrue();
                assertThat(swaps.poll(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo("1.0.0->1.1.0");
                assertThat(swaps.poll(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo("1.1.0->1.0.0");
                assertThat(swaps).isEmpty();
            } finally {
                assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
                child.destroyForcibly();
            }
            assertThat(child.exitValue()).as("child exit; stderr: %s", Files.readString(stderr)).isZero();
        }
    }
}
