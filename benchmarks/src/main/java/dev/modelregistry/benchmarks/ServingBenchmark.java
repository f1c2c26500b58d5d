package dev.modelregistry.benchmarks;

import dev.modelregistry.ModelRegistry;
import dev.modelregistry.ModelVersion;
import dev.modelregistry.Principal;
import dev.modelregistry.Registration;
import dev.modelregistry.SemVer;
import dev.modelregistry.Stage;
import dev.modelregistry.serving.Lease;
import dev.modelregistry.serving.ModelHandle;
import dev.modelregistry.serving.Serving;
import dev.modelregistry.sqlite.SqliteRegistry;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Serving benchmarks, each against its baseline in the same run.
 *
 * <p><b>The hot path</b> ({@link HotPath}): {@code handle.current()} against a plain volatile read
 * of a pre-built (model, version) pair held by the benchmark itself: the floor any "current model"
 * lookup can reach. Goal (issue 7): at most 2× the baseline and no allocation ({@code -prof gc}:
 * {@code gc.alloc.rate.norm} ≈ 0 B/op). {@code handleAcquire} (a lease: one CAS in, one decrement
 * out) and {@code registryFindCurrent} are shown for context.
 *
 * <p><b>Promotion to swap across processes</b> ({@link CrossProcess}): a child JVM promotes a staged
 * version into Production on a shared SQLite registry folder; the measured time runs from sending
 * it the command until the handle in the benchmark JVM serves that version. It includes the child's
 * promotion (one SQLite commit, synchronous=FULL), the wait for the next poll, reading the new state,
 * copying the artifact into the cache and loading it (a few bytes here). Single-shot: each
 * measurement is one promotion; the handle's back-off is reset by the previous swap, so this is the
 * "registry in use" figure, about half a poll interval on average; after a long quiet period add up
 * to {@code maxPollInterval} (10 s by default).
 *
 * <pre>
 * ./mvnw -pl benchmarks -am package -DskipTests
 * java -jar benchmarks/target/benchmarks.jar 'ServingBenchmark.HotPath' -f 1 -wi 3 -i 5 -w 1s -r 1s -prof gc
 * java -jar benchmarks/target/benchmarks.jar 'ServingBenchmark.CrossProcess'
 * </pre>
 */
public class ServingBenchmark {
    private static final Principal ALICE = Principal.of("alice");
    private static final String MODEL = "fraud";

    /** What a loader would produce: an object with some state. */
    public static final class Model {
        final String weights;

        Model(String weights) {
            this.weights = weights;
        }
    }

    /** The baseline's pair: built once, published through a volatile field. */
    record Pair(Model model, ModelVersion version) {
    }

    static void releaseInMemory(ModelRegistry registry, String version) {
        SemVer v = SemVer.parse(version);
        registry.register(ALICE, Registration.of(MODEL).version(v)
                .artifact("model.bin", "application/octet-stream", ("weights of " + v).getBytes(StandardCharsets.UTF_8)).build());
        registry.promote(ALICE, MODEL, v, Stage.STAGING, "tests passed");
        registry.promote(ALICE, MODEL, v, Stage.PRODUCTION, "approved");
    }

    static Model load(Path file, ModelVersion version) throws IOException {
        return new Model(Files.readString(file, StandardCharsets.UTF_8));
    }

    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    @State(Scope.Benchmark)
    public static class HotPath {
        ModelRegistry registry;
        ModelHandle<Model> handle;
        volatile Pair pair;

        @Setup(Level.Trial)
        public void setUp() {
            registry = ModelRegistry.inMemory();
            releaseInMemory(registry, "1.0.0");
            handle = ModelHandle.builder(registry, MODEL, Stage.PRODUCTION, ServingBenchmark::load).build();
            Serving<Model> s = handle.current();
            pair = new Pair(s.model(), s.version());
            registry.findCurrent(MODEL, Stage.PRODUCTION);
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            handle.close();
            registry.close();
        }

        /** Baseline: one volatile read of a pre-built pair, both halves consumed. */
        @Benchmark
        public void volatilePair(Blackhole bh) {
            Pair p = pair;
            bh.consume(p.model);
            bh.consume(p.version);
        }

        @Benchmark
        public void handleCurrent(Blackhole bh) {
            Serving<Model> s = handle.current();
            bh.consume(s.model());
            bh.consume(s.version());
        }

        @Benchmark
        public void handleAcquire(Blackhole bh) {
            try (Lease<Model> lease = handle.acquire()) {
                bh.consume(lease.model());
                bh.consume(lease.version());
            }
        }

        @Benchmark
        public void registryFindCurrent(Blackhole bh) {
            bh.consume(registry.findCurrent(MODEL, Stage.PRODUCTION));
        }
    }

    @BenchmarkMode(Mode.SingleShotTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    @State(Scope.Benchmark)
    @Fork(1)
    @Warmup(iterations = 2, batchSize = 1)
    @Measurement(iterations = 12, batchSize = 1)
    public static class CrossProcess {
        /** {@code default}: 1 s polls backing off to 10 s; otherwise a poll interval in milliseconds. */
        @Param({"default", "50"})
        public String pollInterval;

        static final int STAGED = 40;

        Path dir;
        ModelRegistry registry;
        ModelHandle<Model> handle;
        Process child;
        BufferedReader fromChild;
        Writer toChild;
        int next;

        @Setup(Level.Trial)
        public void setUp() throws IOException {
            dir = Files.createTempDirectory("serving-benchmark-");
            registry = SqliteRegistry.open(dir);
            releaseInMemory(registry, "1.0.0");
            for (int i = 1; i <= STAGED; i++) {
                SemVer v = SemVer.of(1, 0, i);
                registry.register(ALICE, Registration.of(MODEL).version(v)
                        .artifact("model.bin", "application/octet-stream", ("weights of " + v).getBytes(StandardCharsets.UTF_8)).build());
                registry.promote(ALICE, MODEL, v, Stage.STAGING, "candidate");
            }
            ModelHandle.Builder<Model> b = ModelHandle.builder(registry, MODEL, Stage.PRODUCTION, ServingBenchmark::load);
            if (!pollInterval.equals("default")) {
                b.pollInterval(Duration.ofMillis(Long.parseLong(pollInterval)));
            }
            handle = b.build();
            child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), Promoter.class.getName(), dir.toString())
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            fromChild = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
            toChild = new OutputStreamWriter(child.getOutputStream(), StandardCharsets.UTF_8);
            expect("READY");
        }

        private void expect(String line) throws IOException {
            String got = fromChild.readLine();
            if (!line.equals(got)) {
                throw new IllegalStateException("Promoter process said " + got + ", expected " + line);
            }
        }

        @Benchmark
        public ModelVersion promoteThereSwapHere() throws Exception {
            SemVer v = SemVer.of(1, 0, ++next);
            if (next > STAGED) {
                throw new IllegalStateException("Only " + STAGED + " versions were staged; run fewer iterations");
            }
            toChild.write("PROMOTE " + v + "\n");
            toChild.flush();
            expect("PROMOTED " + v);
            if (!handle.awaitVersion(v, Duration.ofSeconds(60))) {
                throw new IllegalStateException("The handle did not swap to " + v + " within 60 s");
            }
            return handle.current().version();
        }

        @TearDown(Level.Trial)
        public void tearDown() throws Exception {
            toChild.close();
            child.waitFor(30, TimeUnit.SECONDS);
            child.destroyForcibly();
            handle.close();
            registry.close();
            try (Stream<Path> paths = Files.walk(dir)) {
                paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                    try {
                        Files.deleteIfExists(p);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
            }
        }
    }

    /**
     * The other process of {@link CrossProcess}: opens the registry folder {@code args[0]} and, for
     * each line {@code PROMOTE <version>} on its input, promotes that staged version into Production
     * and answers {@code PROMOTED <version>}. Exits when its input closes.
     */
    public static final class Promoter {
        private Promoter() {
        }

        public static void main(String[] args) throws IOException {
            PrintStream out = System.out;
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            try (ModelRegistry registry = SqliteRegistry.open(Path.of(args[0]))) {
                out.println("READY");
                out.flush();
                String line;
                while ((line = in.readLine()) != null) {
                    SemVer v = SemVer.parse(line.substring("PROMOTE ".length()));
                    registry.promote(Principal.of("release-bot"), MODEL, v, Stage.PRODUCTION, "approved");
                    out.println("PROMOTED " + v);
                    out.flush();
                }
            }
        }
    }
}
