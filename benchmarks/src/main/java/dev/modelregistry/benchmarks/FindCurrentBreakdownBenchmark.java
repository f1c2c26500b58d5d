package dev.modelregistry.benchmarks;

import dev.modelregistry.Lifecycle;
import dev.modelregistry.ModelVersion;
import dev.modelregistry.Stage;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Diagnostic companion of {@link ResolveProductionBenchmark}: the pieces of the
 * {@code findCurrent} fast path that are reachable through the public API, each measured on its own
 * in one run, so that the gap between {@code registryFindCurrent} and {@code concurrentHashMapGet}
 * can be attributed. The fast path is:
 * {@code lifecycle.require(stage)} (a {@code Stage.equals(NONE)} plus a {@code contains} on an
 * unmodifiable {@code LinkedHashSet}), {@code entries.get(model)} (a {@code ConcurrentHashMap}),
 * two volatile reads, and {@code currentByStage.get(stage)} (a {@code Map.copyOf} map, i.e.
 * {@code ImmutableCollections.MapN}, whose probe uses {@code Math.floorMod}, an integer division).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
public class FindCurrentBreakdownBenchmark {
    static final int LOOKUPS = 16;

    final Lifecycle lifecycle = Lifecycle.defaults();
    final Stage stage = Stage.PRODUCTION;
    ConcurrentHashMap<String, Object> chm;
    /** Shaped like {@code ModelState.currentByStage} after promotions: STAGING, PRODUCTION, ARCHIVED. */
    Map<Stage, Optional<ModelVersion>> immutableByStage;
    HashMap<Stage, Optional<ModelVersion>> hashByStage;
    Stage[] stageKeys;
    String[] names;
    int index;

    @Setup
    public void setUp() {
        chm = new ConcurrentHashMap<>();
        names = new String[LOOKUPS];
        for (int m = 0; m < 100; m++) {
            chm.put("model-" + m, new Object());
        }
        for (int i = 0; i < LOOKUPS; i++) {
            names[i] = "model-" + (i * 37) % 100;
        }
        hashByStage = new HashMap<>();
        hashByStage.put(Stage.STAGING, Optional.empty());
        hashByStage.put(Stage.PRODUCTION, Optional.empty());
        hashByStage.put(Stage.ARCHIVED, Optional.empty());
        immutableByStage = Map.copyOf(hashByStage);
        stageKeys = new Stage[] {Stage.STAGING, Stage.PRODUCTION, Stage.ARCHIVED};
    }

    /** Baseline: as in {@link ResolveProductionBenchmark#concurrentHashMapGet}. */
    @Benchmark
    public Object concurrentHashMapGet() {
        return chm.get(names[index++ & (LOOKUPS - 1)]);
    }

    /** {@code Lifecycle.require(PRODUCTION)}: the first step of findCurrent. */
    @Benchmark
    public Stage lifecycleRequire() {
        return lifecycle.require(stage);
    }

    /** {@code Stage.hashCode()}: a record hash (not cached), computed once per hash lookup. */
    @Benchmark
    public int stageHashCode() {
        return stage.hashCode();
    }

    /** The last step of findCurrent: {@code Map.copyOf(...).get(stage)} (ImmutableCollections.MapN). */
    @Benchmark
    public Optional<ModelVersion> immutableMapGet() {
        return immutableByStage.get(stage);
    }

    /** Alternative for the last step: a HashMap (mask instead of floorMod). */
    @Benchmark
    public Optional<ModelVersion> hashMapGet() {
        return hashByStage.get(stage);
    }

    /** Alternative for both stage lookups: a linear scan of a few stages, identity first. */
    @Benchmark
    public int stageArrayScan() {
        Stage[] keys = stageKeys;
        for (int i = 0; i < keys.length; i++) {
            if (keys[i] == stage || keys[i].equals(stage)) {
                return i;
            }
        }
        return -1;
    }
}
