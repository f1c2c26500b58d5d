package dev.modelregistry.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelregistry.Lifecycle;
import dev.modelregistry.ModelRegistry;
import dev.modelregistry.Principal;
import dev.modelregistry.Registration;
import dev.modelregistry.RegistryException;
import dev.modelregistry.SemVer;
import dev.modelregistry.Stage;
import dev.modelregistry.ModelVersion;
import dev.modelregistry.serving.ModelHandle;
import dev.modelregistry.serving.SwapListener;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A model handle on one registry while another registry over the same storage promotes: the
 * handle resolves the stage's holder with {@code findCurrent}, which may answer from a view as
 * stale as the backend documents, and then checks that version against the model's log. A holder
 * that has left the stage in between is staleness, not tampering: the handle must serve the
 * previous or the new holder, never fail with an integrity error.
 *
 * <p>The race is driven by ordering, not timing: the handle is built on (or polls through) a
 * registry that runs a step right after its {@code findCurrent} answers, such as a promotion by the
 * other registry and the end of the backend's staleness bound. A backend's test implements
 * {@link #openBackend} and, when its reads may be stale, {@link #letStalenessBoundElapse}:
 *
 * <pre>{@code
 * class SqliteServingRaceTest extends ServingRaceConformanceTests {
 *     protected Backend openBackend(Path dir) {
 *         return () -> SqliteRegistry.builder(dir);
 *     }
 * }
 * }</pre>
 */
public abstract class ServingRaceConformanceTests {
    private static final String MODEL = "fraud";
    private static final Principal OPS = Principal.of("release-bot");

    @TempDir
    protected Path tempDir;

    private Backend backend;
    private final ManualClock clock = ManualClock.startingAtEpochOf2024();
    private final List<AutoCloseable> opened = new ArrayList<>();

    /** Opens a fresh, empty backend that keeps whatever files it needs under {@code dir}. */
    protected abstract Backend openBackend(Path dir) throws Exception;

    /**
     * Lets the backend's documented staleness bound elapse for every registry opened so far, so that
     * their next read sees what other registries wrote. Nothing to do where reads are never stale.
     */
    protected void letStalenessBoundElapse() {
    }

    @BeforeEach
    void open() throws Exception {
        backend = openBackend(tempDir);
    }

    @AfterEach
    void close() throws Exception {
        Collections.reverse(opened);
        for (AutoCloseable c : opened) {
            c.close();
        }
        backend.close();
    }

    private ModelRegistry newRegistry() {
        ModelRegistry r = backend.registryBuilder().clock(clock).lifecycle(Lifecycle.defaults()).build();
        opened.add(r);
        return r;
    }

    private static void release(ModelRegistry registry, String version) {
        SemVer v = SemVer.parse(version);
        registry.register(OPS, Registration.of(MODEL).version(v)
                .artifact("model.bin", "application/octet-stream", weights(version).getBytes(StandardCharsets.UTF_8)).build());
        registry.promote(OPS, MODEL, v, Stage.STAGING, "tests passed");
        registry.promote(OPS, MODEL, v, Stage.PRODUCTION, "approved");
    }

    private static String weights(String version) {
        return "weights of " + version;
    }

    /**
     * {@code registry}, except that the step in {@code afterFindCurrent} (if any, once) runs right
     * after a {@code findCurrent} answers, and that change notifications are not passed on: the
     * handle polls only when the test calls {@code refresh()}.
     */
    private static ModelRegistry racing(ModelRegistry registry, AtomicReference<Runnable> afterFindCurrent) {
        return (ModelRegistry) Proxy.newProxyInstance(ModelRegistry.class.getClassLoader(), new Class<?>[] {ModelRegistry.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("onChange")) {
                        return (AutoCloseable) () -> { };
                    }
                    Object result;
                    try {
                        result = method.invoke(registry, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                    if (method.getName().equals("findCurrent")) {
                        Runnable step = afterFindCurrent.getAndSet(null);
                        if (step != null) {
                            step.run();
                        }
                    }
                    return result;
                });
    }

    private ModelHandle<String> handle(ModelRegistry registry, SwapListener<String> listener) {
        ModelHandle<String> h = ModelHandle.builder(registry, MODEL, Stage.PRODUCTION, (file, version) -> Files.readString(file))
                .pollInterval(Duration.ofHours(1)).maxPollInterval(Duration.ofHours(1))
                .listener(listener)
                .build();
        opened.add(h);
        return h;
    }

    private static SemVer servedVersion(ModelHandle<String> h) {
        return h.current().version().version();
    }

    // =====================================================================================
    @Nested
    @DisplayName("a model handle while another registry promotes")
    class WhileAnotherRegistryPromotes {
        private final List<RegistryException> failures = new CopyOnWriteArrayList<>();
        private final SwapListener<String> recorder = new SwapListener<>() {
            @Override
            public void onFailure(ModelVersion attempted, RegistryException error) {
                failures.add(error);
            }
        };
        /** The step the handle's registry runs right after its next findCurrent answers. */
        private final AtomicReference<Runnable> step = new AtomicReference<>();
        private ModelRegistry writer;
        private ModelRegistry reader;

        @BeforeEach
        void productionHasAHolder() {
            writer = newRegistry();
            reader = newRegistry();
            release(writer, "1.0.0");
        }

        /** The writer releases {@code version} into Production, and then the staleness bound elapses. */
        private Runnable promotion(String version) {
            return () -> {
                release(writer, version);
                letStalenessBoundElapse();
            };
        }

        /**
         * The step ran; the handle serves {@code previous} or {@code latest} (as loaded from its own
         * artifact), {@code latest} after one more poll, and it reported no failure.
         */
        private void assertServesPreviousOrLatest(ModelHandle<String> h, String previous, String latest) {
            assertThat(step.get()).as("the step ran right after findCurrent").isNull();
            assertThat(failures).isEmpty();
            assertThat(servedVersion(h)).isIn(SemVer.parse(previous), SemVer.parse(latest));
            assertThat(h.current().model()).isEqualTo(weights(servedVersion(h).toString()));
            h.refresh();
            assertThat(servedVersion(h)).isEqualTo(SemVer.parse(latest));
            assertThat(h.current().model()).isEqualTo(weights(latest));
            assertThat(failures).isEmpty();
        }

        @Test
        @DisplayName("built right after the other registry promoted, from a view cached before, serves the previous or the new holder")
        void builtOnACachedView() {
            assertThat(reader.findCurrent(MODEL, Stage.PRODUCTION)).map(ModelVersion::version).contains(SemVer.parse("1.0.0"));
            release(writer, "1.1.0");
            step.set(ServingRaceConformanceTests.this::letStalenessBoundElapse);

            assertServesPreviousOrLatest(handle(racing(reader, step), recorder), "1.0.0", "1.1.0");
        }

        @Test
        @DisplayName("built while the other registry promotes, between resolving the stage and checking the log, serves the previous or the new holder")
        void builtDuringAPromotion() {
            step.set(promotion("1.1.0"));

            assertServesPreviousOrLatest(handle(racing(reader, step), recorder), "1.0.0", "1.1.0");
        }

        @Test
        @DisplayName("polling while the other registry promotes again swaps to a holder the log confirms and reports no failure")
        void pollingDuringAPromotion() {
            ModelHandle<String> h = handle(racing(reader, step), recorder);
            assertThat(servedVersion(h)).isEqualTo(SemVer.parse("1.0.0"));
            promotion("1.1.0").run();
            step.set(promotion("1.2.0"));

            h.refresh();

            assertServesPreviousOrLatest(h, "1.1.0", "1.2.0");
        }
    }
}
