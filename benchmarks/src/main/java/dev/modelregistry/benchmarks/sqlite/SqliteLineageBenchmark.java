package dev.modelregistry.benchmarks.sqlite;

import dev.modelregistry.DatasetRef;
import dev.modelregistry.ModelName;
import dev.modelregistry.ModelRegistry;
import dev.modelregistry.ModelVersion;
import dev.modelregistry.Provenance;
import dev.modelregistry.SemVer;
import dev.modelregistry.LineageGraph;
import dev.modelregistry.LineageQuery;
import dev.modelregistry.LineageResult;
import dev.modelregistry.NodeId;
import dev.modelregistry.sqlite.Durability;
import dev.modelregistry.sqlite.SqliteEventStore;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
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

/**
 * Lineage closure answered by the SQLite store (a recursive CTE over {@code lineage_edges} finds the
 * versions involved; a {@link LineageGraph} of just those walks them) against the same query on the
 * in-memory {@link LineageGraph} of every version, built once in setup (what a registry holds after
 * folding every log), in the same run; and what a registry without the lineage index pays for its
 * first question: fold every log, build the graph, query.
 *
 * <p>Data (fixed seed), the same shape as {@code LineageImpactBenchmark}: {@code lineage.models}
 * (default 2,000) models × {@code lineage.versions} (default 50) versions, each trained on 2–4
 * snapshots of a pool of 5,000 skewed towards snapshot 0 (the popular one), with its own commit and
 * run; ~30% derive from a version of a lower-numbered model. Written through
 * {@link SqliteEventStore#append} (so the tables are filled as the registry fills them) and cached
 * like the other SQLite benchmark databases.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class SqliteLineageBenchmark {
    static final int DATASETS = 5_000;
    static final double DERIVED_SHARE = 0.30;
    static final Instant T0 = Instant.parse("2024-05-01T00:00:00Z");

    private SqliteEventStore store;
    private LineageGraph graph;
    private NodeId popular;
    private NodeId typical;
    private ModelName deepModel;
    private SemVer deepVersion;
    private NodeId deep;

    @Setup(Level.Trial)
    public void open() throws Exception {
        int models = Integer.getInteger("lineage.models", 2_000);
        int versions = Integer.getInteger("lineage.versions", 50);
        DatasetRef[] pool = new DatasetRef[DATASETS];
        for (int d = 0; d < DATASETS; d++) {
            pool[d] = DatasetRef.gitCommit("s3://lake/table-" + d, "c" + Integer.toHexString(d * 7919 + 1));
        }
        Path db = BenchData.database("lineage-" + models + "x" + versions, s -> generate(s, models, versions, pool));
        System.out.printf("%n[bench-data] %s: %s%n", db.getFileName(), BenchData.sizeOf(db));
        store = SqliteEventStore.builder(db).durability(Durability.NORMAL).open();
        try (ModelRegistry folding = ModelRegistry.builder().eventStore(new PlainEventStore(store)).build()) {
            graph = folding.lineage();
        }
        popular = NodeId.dataset(pool[0]);
        typical = NodeId.dataset(pool[DATASETS / 4]);
        // The version of the last model with the longest provenance.
        int best = -1;
        for (int v = 0; v < versions; v++) {
            SemVer candidate = SemVer.of(1, v, 0);
            int size = graph.upstream(NodeId.version(BenchData.modelName(models - 1), candidate), LineageQuery.unlimited()).size();
            if (size > best) {
                best = size;
                deepVersion = candidate;
            }
        }
        deepModel = ModelName.of(BenchData.modelName(models - 1));
        deep = NodeId.version(deepModel, deepVersion);
        System.out.printf("[lineage] %d nodes, %d edges; downstream of %s: %d; of %s: %d; upstream of %s: %d%n", graph.nodeCount(),
                graph.edgeCount(), popular, graph.downstream(popular, LineageQuery.unlimited()).size(), typical,
                graph.downstream(typical, LineageQuery.unlimited()).size(), deep, best);
        check(store.downstream(popular, LineageQuery.unlimited()).orElseThrow(), graph.downstream(popular, LineageQuery.unlimited()));
        check(store.upstream(deepModel, deepVersion, LineageQuery.unlimited()).orElseThrow(), graph.upstream(deep, LineageQuery.unlimited()));
    }

    private static void check(List<LineageResult> sql, List<LineageResult> inMemory) {
        if (!sql.equals(inMemory)) {
            throw new IllegalStateException("SQL answered " + sql.size() + " results, the graph " + inMemory.size());
        }
    }

    private static void generate(SqliteEventStore store, int models, int versions, DatasetRef[] pool) {
        SplittableRandom random = new SplittableRandom(42);
        for (int m = 0; m < models; m++) {
            ModelName model = ModelName.of(BenchData.modelName(m));
            List<ModelVersion> made = new ArrayList<>(versions);
            for (int v = 0; v < versions; v++) {
                int inputs = 2 + random.nextInt(3);
                Set<DatasetRef> datasets = new HashSet<>();
                while (datasets.size() < inputs) {
                    double r = random.nextDouble();
                    datasets.add(pool[(int) (DATASETS * r * r)]);
                }
                List<Provenance.ParentRef> parents = new ArrayList<>();
                if (m > 0 && random.nextDouble() < DERIVED_SHARE) {
                    parents.add(new Provenance.ParentRef(ModelName.of(BenchData.modelName(random.nextInt(m))),
                            SemVer.of(1, random.nextInt(versions), 0), "fine-tune"));
                }
                Provenance provenance = new Provenance(
                        new Provenance.TrainingRun("run-" + m + "-" + v, null, null, Map.of()),
                        new Provenance.CodeRef("https://git.example/model-" + m, "commit-" + m + "-" + v, "train.py"),
                        "", "", List.copyOf(datasets), List.of(), parents, null);
                made.add(new ModelVersion(model, SemVer.of(1, v, 0), List.of(), "bench", T0.plusSeconds(v), "", "", Map.of(), null,
                        Map.of(), List.of(), provenance, "", Map.of()));
            }
            BenchData.fill(store, model, versions, made::get, versions - 1);
        }
    }

    /** Every version downstream of the popular snapshot, through derived models: SQL closure, then the slice's graph. */
    @Benchmark
    public List<LineageResult> sqlDownstreamPopular() {
        return store.downstream(popular, LineageQuery.unlimited()).orElseThrow();
    }

    /** Baseline: the same query on the prebuilt in-memory graph of every version. */
    @Benchmark
    public List<LineageResult> graphDownstreamPopular() {
        return graph.downstream(popular, LineageQuery.unlimited());
    }

    /** Every version downstream of a snapshot of ordinary popularity. */
    @Benchmark
    public List<LineageResult> sqlDownstreamTypical() {
        return store.downstream(typical, LineageQuery.unlimited()).orElseThrow();
    }

    @Benchmark
    public List<LineageResult> graphDownstreamTypical() {
        return graph.downstream(typical, LineageQuery.unlimited());
    }

    /** The full provenance of the version with the longest chain of parents. */
    @Benchmark
    public List<LineageResult> sqlUpstream() {
        return store.upstream(deepModel, deepVersion, LineageQuery.unlimited()).orElseThrow();
    }

    @Benchmark
    public List<LineageResult> graphUpstream() {
        return graph.upstream(deep, LineageQuery.unlimited());
    }

    /** What a registry without the lineage index pays for its first question: fold every log, build the graph, query. */
    @Benchmark
    public List<LineageResult> foldEveryLogThenDownstreamTypical() {
        try (ModelRegistry folding = ModelRegistry.builder().eventStore(new PlainEventStore(store)).build()) {
            return folding.downstream(typical, LineageQuery.unlimited());
        }
    }

    @TearDown(Level.Trial)
    public void close() {
        store.close();
    }
}
