package dev.modelregistry.benchmarks;

import dev.modelregistry.Bump;
import dev.modelregistry.ModelRegistry;
import dev.modelregistry.ModelVersion;
import dev.modelregistry.Principal;
import dev.modelregistry.Registration;
import dev.modelregistry.SemVer;
import dev.modelregistry.Stage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The serving hot path: {@code registry.findCurrent(model, PRODUCTION)} on an unchanged in-memory
 * registry, against the floor of one {@link ConcurrentHashMap#get} with the same keys.
 *
 * <p>Setup: {@value #MODELS} models with {@value #VERSIONS} versions each; in every model version
 * 1.0.4 went to PRODUCTION first and was then displaced by 1.0.9 (so PRODUCTION has a history and
 * ARCHIVED is occupied), and 1.0.14 sits in STAGING. Every model is resolved once before measuring,
 * so the registry's per-model change token is current. Both benchmarks cycle through the same
 * {@value #LOOKUPS} precomputed name strings (the same instances) with the same index arithmetic.
 *
 * <p>Goal (issue): the registry path is at most 3× the baseline and allocates nothing
 * ({@code -prof gc}: {@code gc.alloc.rate.norm} ≈ 0 B/op).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
public class ResolveProductionBenchmark {
    static final int MODELS = 100;
    static final int VERSIONS = 20;
    /** Power of two: the index is masked, not taken modulo. */
    static final int LOOKUPS = 16;

    ModelRegistry registry;
    ConcurrentHashMap<String, ModelVersion> map;
    String[] names;
    int index;

    @Setup(Level.Trial)
    public void setUp() {
        registry = ModelRegistry.inMemory();
        map = new ConcurrentHashMap<>();
        Principal alice = Principal.of("alice");
        String[] all = new String[MODELS];
        for (int m = 0; m < MODELS; m++) {
            String model = "model-" + m;
            all[m] = model;
            for (int v = 0; v < VERSIONS; v++) {
                registry.register(alice, Registration.of(model)
                        .bump(v == 0 ? Bump.MAJOR : Bump.PATCH)
                        .metric("auc", 0.9 + v / 1000.0)
                        .label("team", "fraud")
                        .build());
            }
            promote(alice, model, SemVer.of(1, 0, 4));
            promote(alice, model, SemVer.of(1, 0, 9));
            registry.promote(alice, model, SemVer.of(1, 0, 14), Stage.STAGING, "candidate");
        }
        // Resolve every model once: brings each model's cached state up to the store's change token.
        for (String model : all) {
            ModelVersion current = registry.findCurrent(model, Stage.PRODUCTION).orElseThrow();
            if (!current.version().equals(SemVer.of(1, 0, 9))) {
                throw new IllegalStateException("Unexpected PRODUCTION version of " + model + ": " + current);
            }
            map.put(model, current);
        }
        names = new String[LOOKUPS];
        for (int i = 0; i < LOOKUPS; i++) {
            names[i] = all[(i * 37) % MODELS];
        }
    }

    private void promote(Principal by, String model, SemVer version) {
        registry.promote(by, model, version, Stage.STAGING, "smoke tests passed");
        registry.promote(by, model, version, Stage.PRODUCTION, "approved");
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        registry.close();
    }

    /** Baseline: one hash-map lookup of a precomputed key. */
    @Benchmark
    public void concurrentHashMapGet(Blackhole bh) {
        bh.consume(map.get(names[index++ & (LOOKUPS - 1)]));
    }

    /** The serving path: lifecycle check, entry lookup, volatile token compare, precomputed Optional. */
    @Benchmark
    public void registryFindCurrent(Blackhole bh) {
        bh.consume(registry.findCurrent(names[index++ & (LOOKUPS - 1)], Stage.PRODUCTION));
    }
}
