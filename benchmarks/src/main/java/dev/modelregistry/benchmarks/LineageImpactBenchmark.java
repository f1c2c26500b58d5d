package dev.modelregistry.benchmarks;

import dev.modelregistry.DatasetRef;
import dev.modelregistry.ModelName;
import dev.modelregistry.ModelVersion;
import dev.modelregistry.Provenance;
import dev.modelregistry.SemVer;
import dev.modelregistry.Stage;
import dev.modelregistry.LineageGraph;
import dev.modelregistry.LineageQuery;
import dev.modelregistry.LineageResult;
import dev.modelregistry.NodeId;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
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
import org.openjdk.jmh.infra.Blackhole;

/**
 * Downstream impact of one dataset snapshot ("which versions used it, directly or through derived
 * models") on a generated lineage of {@value #MODELS} × {@value #VERSIONS} = 100,000 versions, against
 * a plain breadth-first search over {@code HashMap<String, List<String>>} reverse adjacency lists built
 * from the same data in the same run.
 *
 * <p>Data (fixed seed): every version trains on 2–4 snapshots drawn from a pool of {@value #DATASETS},
 * skewed towards low indices (index = pool × r², so snapshot 0 is the popular one), records its own
 * code commit and training run, and ~30% of versions are derived from a version of a lower-numbered
 * model, which forms chains of derived models across models. The last version of each model is in
 * PRODUCTION, the one before in STAGING.
 *
 * <p>Both benchmarks start from snapshot 0 and return every reachable version; the graph also orders
 * them by depth and id and keeps a path to each (materialised only when asked for). Goal (issue 4): the
 * graph query within 2× of the plain search.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Benchmark)
public class LineageImpactBenchmark {
    static final int MODELS = 2_000;
    static final int VERSIONS = 50;
    static final int DATASETS = 5_000;
    static final double DERIVED_SHARE = 0.30;

    LineageGraph graph;
    Map<String, List<String>> reverse;
    NodeId start;
    String startKey;

    @Setup(Level.Trial)
    public void setUp() {
        SplittableRandom random = new SplittableRandom(42);
        DatasetRef[] pool = new DatasetRef[DATASETS];
        for (int d = 0; d < DATASETS; d++) {
            pool[d] = DatasetRef.gitCommit("s3://lake/table-" + d, "c" + Integer.toHexString(d * 7919 + 1));
        }
        Instant at = Instant.parse("2024-05-01T00:00:00Z");
        List<ModelVersion> versions = new ArrayList<>(MODELS * VERSIONS);
        reverse = new HashMap<>();
        for (int m = 0; m < MODELS; m++) {
            ModelName model = ModelName.of("model-" + m);
            for (int v = 0; v < VERSIONS; v++) {
                SemVer version = SemVer.of(1, v, 0);
                String self = model + "@" + version;
                int inputs = 2 + random.nextInt(3);
                Set<DatasetRef> datasets = new HashSet<>();
                while (datasets.size() < inputs) {
                    double r = random.nextDouble();
                    datasets.add(pool[(int) (DATASETS * r * r)]);
                }
                List<Provenance.ParentRef> parents = new ArrayList<>();
                if (m > 0 && random.nextDouble() < DERIVED_SHARE) {
                    int pm = random.nextInt(m);
                    int pv = random.nextInt(VERSIONS);
                    parents.add(new Provenance.ParentRef(ModelName.of("model-" + pm), SemVer.of(1, pv, 0), "fine-tune"));
                    reverse.computeIfAbsent("model-" + pm + "@" + SemVer.of(1, pv, 0), k -> new ArrayList<>()).add(self);
                }
                for (DatasetRef d : datasets) {
                    reverse.computeIfAbsent(d.id(), k -> new ArrayList<>()).add(self);
                }
                Provenance provenance = new Provenance(
                        new Provenance.TrainingRun("run-" + m + "-" + v, null, null, Map.of()),
                        new Provenance.CodeRef("https://git.example/model-" + m, "commit-" + m + "-" + v, "train.py"),
                        "", "", List.copyOf(datasets), List.of(), parents, null);
                versions.add(new ModelVersion(model, version, List.of(), "bench", at, "", "", Map.of(), null, Map.of(),
                        List.of(), provenance, "", Map.of()));
            }
        }
        graph = LineageGraph.build(versions, LineageImpactBenchmark::stageOf);
        start = NodeId.dataset(pool[0]);
        startKey = pool[0].id();
        int fromGraph = graph.downstream(start, LineageQuery.unlimited()).size();
        int fromBaseline = plainBfs(reverse, startKey).size();
        if (fromGraph != fromBaseline) {
            throw new IllegalStateException("Graph found " + fromGraph + " versions, baseline " + fromBaseline);
        }
        System.out.println("\nLineage: " + graph.nodeCount() + " nodes, " + graph.edgeCount() + " edges; "
                + fromGraph + " versions downstream of " + startKey);
    }

    private static Stage stageOf(ModelVersion v) {
        int minor = v.version().minor();
        return minor == VERSIONS - 1 ? Stage.PRODUCTION : minor == VERSIONS - 2 ? Stage.STAGING : Stage.NONE;
    }

    /** Breadth-first search from {@code start} over the reverse lists; the set of reached versions. */
    static Set<String> plainBfs(Map<String, List<String>> reverse, String start) {
        Set<String> visited = new HashSet<>();
        ArrayDeque<String> queue = new ArrayDeque<>();
        queue.add(start);
        while (!queue.isEmpty()) {
            List<String> users = reverse.get(queue.poll());
            if (users == null) {
                continue;
            }
            for (String user : users) {
                if (visited.add(user)) {
                    queue.add(user);
                }
            }
        }
        return visited;
    }

    /** The registry's query: every version downstream of the snapshot, ordered, with lazy paths. */
    @Benchmark
    public void graphDownstreamImpact(Blackhole bh) {
        List<LineageResult> results = graph.downstream(start, LineageQuery.unlimited());
        bh.consume(results);
    }

    /** Baseline: plain BFS over string-keyed adjacency lists. */
    @Benchmark
    public void plainBfs(Blackhole bh) {
        bh.consume(plainBfs(reverse, startKey));
    }
}
