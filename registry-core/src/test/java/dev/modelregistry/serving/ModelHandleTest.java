package dev.modelregistry.serving;

import static dev.modelregistry.serving.Fixtures.ALICE;
import static dev.modelregistry.serving.Fixtures.MODEL;
import static dev.modelregistry.serving.Fixtures.contentOf;
import static dev.modelregistry.serving.Fixtures.promote;
import static dev.modelregistry.serving.Fixtures.register;
import static dev.modelregistry.serving.Fixtures.release;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.modelregistry.IntegrityException;
import dev.modelregistry.ModelRegistry;
import dev.modelregistry.ModelVersion;
import dev.modelregistry.NotFoundException;
import dev.modelregistry.RegistryException;
import dev.modelregistry.SemVer;
import dev.modelregistry.Stage;
import dev.modelregistry.fs.FileSystemArtifactStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("a model handle")
class ModelHandleTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final Duration POLL = Duration.ofMillis(10);

    @TempDir
    Path dir;

    ModelRegistry registry;
    LocalArtifactCache cache;
    /** Every model any loader produced, by version text, to check that each is closed once. */
    final Map<String, List<TestModel>> loaded = new ConcurrentHashMap<>();
    final Recorder recorder = new Recorder();
    final List<ModelHandle<?>> handles = new ArrayList<>();

    @BeforeEach
    void setUp() {
        registry = ModelRegistry.inMemory();
        cache = LocalArtifactCache.open(dir.resolve("cache"), 1 << 20);
    }

    @AfterEach
    void tearDown() {
        handles.forEach(ModelHandle::close);
        registry.close();
    }

    ModelLoader<TestModel> loader() {
        return (file, version) -> {
            TestModel m = TestModel.load(file, version);
            loaded.computeIfAbsent(version.version().toString(), k -> new java.util.concurrent.CopyOnWriteArrayList<>()).add(m);
            return m;
        };
    }

    ModelHandle.Builder<TestModel> builder() {
        return ModelHandle.builder(registry, MODEL, Stage.PRODUCTION, loader())
                .cache(cache).pollInterval(POLL).maxPollInterval(Duration.ofMillis(40)).listener(recorder);
    }

    <M> ModelHandle<M> track(ModelHandle<M> handle) {
        handles.add(handle);
        return handle;
    }

    static final class Recorder implements SwapListener<TestModel> {
        final BlockingQueue<Serving<TestModel>> swaps = new LinkedBlockingQueue<>();
        final BlockingQueue<RegistryException> failures = new LinkedBlockingQueue<>();
        final BlockingQueue<ModelVersion> attempts = new LinkedBlockingQueue<>();
        final CountDownLatch stageEmpty = new CountDownLatch(1);

        @Override
        public void onSwap(Serving<TestModel> previous, Serving<TestModel> current) {
            swaps.add(current);
        }

        @Override
        public void onFailure(ModelVersion attempted, RegistryException error) {
            attempts.add(attempted);
            failures.add(error);
        }

        @Override
        public void onStageEmpty(Serving<TestModel> stillServing) {
            stageEmpty.countDown();
        }

        RegistryException nextFailure() throws InterruptedException {
            RegistryException e = failures.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertThat(e).as("a reported failure").isNotNull();
            return e;
        }
    }

    @Nested
    @DisplayName("following a stage")
    class Following {
        @Test
        @DisplayName("loads the stage's current version when built and hands out the same pair until it changes")
        void loadsOnBuild() {
            release(registry, "1.0.0");
            ModelHandle<TestModel> handle = track(builder().build());

            Serving<TestModel> serving = handle.current();
            assertThat(serving.version().version()).isEqualTo(SemVer.parse("1.0.0"));
            assertThat(serving.model().predict()).isEqualTo(contentOf("1.0.0"));
            assertThat(serving.artifact().name()).isEqualTo("model.bin");
            assertThat(handle.current()).isSameAs(serving);
            assertThat(handle.model().value()).isEqualTo(MODEL);
            assertThat(handle.stage()).isEqualTo(Stage.PRODUCTION);
            assertThat(handle.isPinned()).isFalse();
            assertThat(cache.contains(serving.artifact().sha256())).isTrue();
        }

        @Test
        @DisplayName("swaps in the background when a new version is promoted into the stage")
        void swapsOnPromotion() throws Exception {
            release(registry, "1.0.0");
            ModelHandle<TestModel> handle = track(builder().build());
            TestModel first = handle.current().model();

            release(registry, "1.1.0");

            assertThat(handle.awaitVersion(SemVer.parse("1.1.0"), WAIT)).isTrue();
            assertThat(handle.current().model().predict()).isEqualTo(contentOf("1.1.0"));
            assertThat(recorder.swaps.poll(WAIT.toSeconds(), TimeUnit.SECONDS).version().version()).isEqualTo(SemVer.parse("1.1.0"));
            assertThat(first.closed.await(WAIT.toSeconds(), TimeUnit.SECONDS)).as("retired model closed").isTrue();
        }

        @Test
        @DisplayName("is woken directly by the in-memory backend, without waiting for its next poll")
        void wokenDirectly() throws Exception {
            release(registry, "1.0.0");
            Duration hour = Duration.ofHours(1);
            ModelHandle<TestModel> handle = track(ModelHandle.builder(registry, MODEL, Stage.PRODUCTION, loader())
                    .cache(cache).pollInterval(hour).maxPollInterval(hour).build());

            release(registry, "1.1.0");

            assertThat(handle.awaitVersion(SemVer.parse("1.1.0"), WAIT)).as("swapped long before the hourly poll").isTrue();
        }

        @Test
        @DisplayName("swaps back when the stage is rolled back")
        void swapsOnRollback() throws Exception {
            release(registry, "1.0.0");
            ModelHandle<TestModel> handle = track(builder().build());
            release(registry, "1.1.0");
            assertThat(handle.awaitVersion(SemVer.parse("1.1.0"), WAIT)).isTrue();

            registry.rollback(ALICE, MODEL, Stage.PRODUCTION, "error rate up");

            assertThat(handle.awaitVersion(SemVer.parse("1.0.0"), WAIT)).isTrue();
            assertThat(handle.current().model().predict()).isEqualTo(contentOf("1.0.0"));
        }

        @Test
        @DisplayName("refresh() checks and swaps on the calling thread")
        void refreshSwapsAtOnce() {
            release(registry, "1.0.0");
            ModelHandle<TestModel> handle = track(ModelHandle.builder(registry, MODEL, Stage.PRODUCTION, loader())
                    .cache(cache).pollInterval(Duration.ofHours(1)).build());
            release(registry, "1.1.0");

            handle.refresh();

            assertThat(handle.current().version().version()).isEqualTo(SemVer.parse("1.1.0"));
        }

        @Test
        @DisplayName("keeps serving its model when the stage becomes empty, and says so")
        void stageEmptied() throws Exception {
            release(registry, "1.0.0");
            ModelHandle<TestModel> handle = track(builder().build());

            registry.archive(ALICE, MODEL, SemVer.parse("1.0.0"), "withdrawn");

            assertThat(recorder.stageEmpty.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
            assertThat(handle.current().model().predict()).isEqualTo(contentOf("1.0.0"));
        }

        @Test
        @DisplayName("loads through a stream-based loader and a named artifact")
        void streamLoaderAndNamedArtifact() {
            registry.register(ALICE, dev.modelregistry.Registration.of(MODEL).version("2.0.0")
                    .artifact("readme.txt", "text/plain", "not the model".getBytes(StandardCharsets.UTF_8))
                    .artifact("weights.bin", "application/octet-stream", "the weights".getBytes(StandardCharsets.UTF_8)).build());
            promote(registry, "2.0.0");

            ModelHandle<String> handle = track(ModelHandle.builder(registry, MODEL, Stage.PRODUCTION,
                            ModelLoader.fromStream((in, v) -> new String(in.readAllBytes(), StandardCharsets.UTF_8)))
                    .cache(cache).artifact("weights.bin").build());

            assertThat(handle.current().model()).isEqualTo("the weights");
            assertThat(handle.current().artifact().name()).isEqualTo("weights.bin");
        }
    }

    @Nested
    @DisplayName("starting")
    class Starting {
        @Test
        @DisplayName("refuses to start on an empty stage, naming the model and stage")
        void emptyStage() {
            register(registry, "1.0.0");
            assertThatThrownBy(() -> builder().build())
                    .isInstanceOf(NotFoundException.class)
                    .hasMessageContaining("fraud").hasMessageContaining("PRODUCTION");
        }

        @Test
        @DisplayName("fails to start when the first load fails, with the loader's error as the cause")
        void firstLoadFails() {
            release(registry, "1.0.0");
            IllegalStateException boom = new IllegalStateException("bad weights");
            assertThatThrownBy(() -> ModelHandle.builder(registry, MODEL, Stage.PRODUCTION, (f, v) -> { throw boom; })
                    .cache(cache).build())
                    .isInstanceOf(ModelLoadException.class).hasCause(boom).hasMessageContaining("fraud@1.0.0");
        }

        @Test
        @DisplayName("refuses settings given twice or out of range, naming the value")
        void settings() {
            assertThatThrownBy(() -> builder().pollInterval(Duration.ofSeconds(1)))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("pollInterval");
            assertThatThrownBy(() -> ModelHandle.builder(registry, MODEL, Stage.PRODUCTION, loader()).pollInterval(Duration.ZERO))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PT0S");
            assertThatThrownBy(() -> ModelHandle.builder(registry, MODEL, Stage.of("canary"), loader()))
                    .hasMessageContaining("CANARY");
        }
    }

    @Nested
    @DisplayName("when a new version cannot be served")
    class Failures {
        @Test
        @DisplayName("refuses an artifact whose bytes do not match its digest and keeps serving the old model; serves it once repaired")
        void corruptedArtifact() throws Exception {
            Path store = dir.resolve("store");
            FileSystemArtifactStore artifacts = FileSystemArtifactStore.open(store);
            registry.close();
            registry = ModelRegistry.builder().artifactStore(artifacts).build();
            release(registry, "1.0.0");
            ModelHandle<TestModel> handle = track(builder().build());
            ModelVersion v2 = register(registry, "2.0.0");
            Path file = artifacts.pathOf(v2.artifacts().get(0).sha256());
            byte[] good = Files.readAllBytes(file);
            byte[] bad = good.clone();
            bad[0] ^= 1;
            Files.write(file, bad);

            promote(registry, "2.0.0");

            assertThat(recorder.nextFailure()).isInstanceOf(IntegrityException.class).hasMessageContaining(v2.artifacts().get(0).sha256().hex());
            assertThat(recorder.attempts.peek().version()).isEqualTo(SemVer.parse("2.0.0"));
            assertThat(handle.current().version().version()).isEqualTo(SemVer.parse("1.0.0"));
            assertThat(handle.current().model().predict()).isEqualTo(contentOf("1.0.0"));
            assertThat(cache.contains(v2.artifacts().get(0).sha256())).as("no unverified file in the cache").isFalse();
            assertThat(loaded).doesNotContainKey("2.0.0");

            Files.write(file, good);
            assertThat(handle.awaitVersion(SemVer.parse("2.0.0"), WAIT)).as("retried after back-off").isTrue();
        }

        @Test
        @DisplayName("survives a loader that throws, and swaps to the next good version")
        void loaderThrows() throws Exception {
            release(registry, "1.0.0");
            ModelHandle<TestModel> handle = track(ModelHandle.builder(registry, MODEL, Stage.PRODUCTION, (file, version) -> {
                        if (version.version().equals(SemVer.parse("1.1.0"))) {
                            throw new java.io.IOException("unsupported opset 19");
                        }
                        return TestModel.load(file, version);
                    })
                    .cache(cache).pollInterval(POLL).listener(recorder).build());

            release(registry, "1.1.0");
            RegistryException failure = recorder.nextFailure();
            assertThat(failure).isInstanceOf(ModelLoadException.class).hasMessageContaining("fraud@1.1.0")
                    .hasRootCauseMessage("unsupported opset 19");
            assertThat(handle.current().version().version()).isEqualTo(SemVer.parse("1.0.0"));

            release(registry, "1.2.0");
            assertThat(handle.awaitVersion(SemVer.parse("1.2.0"), WAIT)).isTrue();
        }

        @Test
        @DisplayName("does not swap to a model its validator refuses, and closes the refused model")
        void validatorRefuses() throws Exception {
            release(registry, "1.0.0");
            ModelHandle<TestModel> handle = track(builder().validator((model, version) -> {
                if (model.predict().contains("1.1.0")) {
                    throw new AssertionError("sample input scored 0.0");
                }
            }).build());

            release(registry, "1.1.0");

            assertThat(recorder.nextFailure()).isInstanceOf(ModelLoadException.class).hasMessageContaining("Validator refused fraud@1.1.0");
            assertThat(handle.current().version().version()).isEqualTo(SemVer.parse("1.0.0"));
            assertThat(loaded.get("1.1.0").get(0).isClosed()).isTrue();
            assertThat(recorder.swaps).isEmpty();
        }
    }

    @Nested
    @DisplayName("leases and retirement")
    class Leases {
        @Test
        @DisplayName("closes a retired model only after the last lease on it ends")
        void closedAfterLeases() throws Exception {
            release(registry, "1.0.0");
            ModelHandle<TestModel> handle = track(builder().retireDelay(Duration.ZERO).build());
            Lease<TestModel> first = handle.acquire();
            Lease<TestModel> second = handle.acquire();
            TestModel old = first.model();

            release(registry, "1.1.0");
            assertThat(handle.awaitVersion(SemVer.parse("1.1.0"), WAIT)).isTrue();

            assertThat(first.version().version()).isEqualTo(SemVer.parse("1.0.0"));
            assertThat(old.predict()).isEqualTo(contentOf("1.0.0"));
            first.close();
            first.close();
            assertThat(old.isClosed()).isFalse();
            second.close();
            assertThat(old.closed.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
            assertThat(old.closes).hasValue(1);
            try (Lease<TestModel> lease = handle.acquire()) {
                assertThat(lease.model().predict()).isEqualTo(contentOf("1.1.0"));
            }
        }

        @Test
        @DisplayName("closing the handle closes the model once leases end; acquiring afterwards is refused")
        void closingTheHandle() throws Exception {
            release(registry, "1.0.0");
            ModelHandle<TestModel> handle = builder().build();
            Lease<TestModel> lease = handle.acquire();

            handle.close();

            assertThat(lease.model().isClosed()).isFalse();
            assertThatThrownBy(handle::acquire).isInstanceOf(IllegalStateException.class).hasMessageContaining("fraud@PRODUCTION");
            lease.close();
            assertThat(lease.model().closed.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        }

        @Test
        @DisplayName("16 threads calling current() and acquire() during 100 swaps never see a closed model")
        void sixteenThreadsHundredSwaps() throws Exception {
            int swaps = 100;
            release(registry, "1.0.0");
            for (int i = 1; i <= swaps; i++) {
                register(registry, "1.0." + i);
            }
            ModelHandle<TestModel> handle = track(builder().build());
            AtomicBoolean stop = new AtomicBoolean();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            AtomicInteger calls = new AtomicInteger();
            CyclicBarrier ready = new CyclicBarrier(17);
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < 16; t++) {
                boolean leased = t % 2 == 0;
                Thread thread = new Thread(() -> {
                    try {
                        ready.await();
                        while (!stop.get()) {
                            if (leased) {
                                try (Lease<TestModel> lease = handle.acquire()) {
                                    assertThat(lease.model().predict()).isEqualTo(contentOf(lease.version().version().toString()));
                                    assertThat(lease.model().isClosed()).isFalse();
                                }
                            } else {
                                Serving<TestModel> s = handle.current();
                                assertThat(s.model().predict()).isEqualTo(contentOf(s.version().version().toString()));
                            }
                            calls.incrementAndGet();
                            Thread.yield();
                        }
                    } catch (Throwable e) {
                        failure.compareAndSet(null, e);
                    }
                }, "caller-" + t);
                thread.start();
                threads.add(thread);
            }
            ready.await();
            for (int i = 1; i <= swaps; i++) {
                SemVer v = SemVer.parse("1.0." + i);
                promote(registry, v.toString());
                if (i % 10 != 0) {
                    // Most swaps on this thread, to keep the test short on few cores; every tenth by the poll.
                    handle.refresh();
                }
                assertThat(handle.awaitVersion(v, WAIT)).as("swap %d", i).isTrue();
            }
            stop.set(true);
            for (Thread thread : threads) {
                thread.join(WAIT.toMillis());
            }
            assertThat(failure.get()).as("what a caller saw").isNull();
            assertThat(calls.get()).isGreaterThan(0);
            assertThat(loaded).hasSize(swaps + 1);

            handle.close();
            for (List<TestModel> models : loaded.values()) {
                for (TestModel m : models) {
                    assertThat(m.closed.await(WAIT.toSeconds(), TimeUnit.SECONDS)).as("%s closed", m.version).isTrue();
                    assertThat(m.closes).as("%s closed once", m.version).hasValue(1);
                }
            }
        }
    }

    @Nested
    @DisplayName("pinned mode")
    class Pinned {
        @Test
        @DisplayName("serves the pinned registered version and ignores promotions")
        void servesPinned() throws Exception {
            release(registry, "1.0.0");
            register(registry, "0.9.0");
            ModelHandle<TestModel> handle = track(builder().pinned(SemVer.parse("0.9.0")).build());

            release(registry, "1.1.0");
            handle.refresh();

            assertThat(handle.isPinned()).isTrue();
            assertThat(handle.current().version().version()).isEqualTo(SemVer.parse("0.9.0"));
            assertThat(handle.toString()).contains("PINNED");
        }

        @Test
        @DisplayName("accepts only a registered version")
        void onlyRegistered() {
            release(registry, "1.0.0");
            assertThatThrownBy(() -> builder().pinned(SemVer.parse("7.0.0")).build())
                    .isInstanceOf(NotFoundException.class).hasMessageContaining("7.0.0");
        }
    }

    @Test
    @DisplayName("without a cache of its own choosing, uses a temporary one and deletes it on close")
    void ownedCache() {
        release(registry, "1.0.0");
        ModelHandle<TestModel> handle = ModelHandle.builder(registry, MODEL, Stage.PRODUCTION, loader()).build();
        Path file = handle.current().model() != null ? findCachedFile(handle) : null;
        assertThat(file).exists();
        handle.close();
        assertThat(file).doesNotExist();
    }

    private static Path findCachedFile(ModelHandle<TestModel> handle) {
        String hex = handle.current().artifact().sha256().hex();
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        try (var dirs = Files.list(tmp)) {
            return dirs.filter(p -> p.getFileName().toString().startsWith("model-handle-fraud-"))
                    .map(p -> p.resolve("sha256").resolve(hex.substring(0, 2)).resolve(hex))
                    .filter(Files::exists).findFirst().orElse(null);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
