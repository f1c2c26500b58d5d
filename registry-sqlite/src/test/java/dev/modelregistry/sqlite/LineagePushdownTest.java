package dev.modelregistry.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.modelregistry.DatasetRef;
import dev.modelregistry.ModelName;
import dev.modelregistry.ModelRegistry;
import dev.modelregistry.NotFoundException;
import dev.modelregistry.Principal;
import dev.modelregistry.Registration;
import dev.modelregistry.SemVer;
import dev.modelregistry.Stage;
import dev.modelregistry.LineageGraph;
import dev.modelregistry.LineageQuery;
import dev.modelregistry.LineageResult;
import dev.modelregistry.NodeId;
import dev.modelregistry.NodeKind;
import dev.modelregistry.memory.InMemoryEventStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SQL answers of {@code SupportsLineageQueries} (recursive CTEs over {@code lineage_edges})
 * against the core's own lineage graph of the same logs, folded by a registry over an in-memory copy
 * of every log, on a generated graph: several models, chains of derived versions across and within
 * models, several parents, shared datasets, evaluation sets that are also training sets, shared code
 * commits recorded with different scripts, runs, images, environments, and versions in every stage.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@DisplayName("lineage queries answered in SQL")
class LineagePushdownTest {
    private static final Principal ALICE = Principal.of("alice");
    private static final List<String> MODELS = List.of("zeta-base", "alpha-distilled", "mid-tuned", "beta-ensemble", "omega");
    private static final List<LineageQuery> QUERIES = List.of(
            LineageQuery.unlimited(),
            LineageQuery.maxDepth(1),
            LineageQuery.maxDepth(2),
            LineageQuery.inStages(Stage.PRODUCTION),
            LineageQuery.inStages(Stage.STAGING, Stage.ARCHIVED).withMaxDepth(3),
            LineageQuery.inStages(Stage.NONE));

    @TempDir
    static Path dir;
    private ModelRegistry writer;
    private SqliteEventStore store;
    private ModelRegistry folded;
    private LineageGraph graph;
    private final List<NodeId> versions = new ArrayList<>();
    private final TreeSet<NodeId> nodes = new TreeSet<>();

    @BeforeAll
    void generate() {
        Random random = new Random(5);
        writer = SqliteRegistry.options(dir).durability(Durability.NORMAL).builder().build();
        List<DatasetRef> data = List.of(
                DatasetRef.gitCommit("s3://lake/transactions", "3f2c1e0"),
                DatasetRef.gitCommit("s3://lake/transactions", "bad0001"),
                DatasetRef.deltaVersion("s3://lake/holdout", 3),
                DatasetRef.deltaVersion("s3://lake/holdout", 4),
                DatasetRef.icebergSnapshot("s3://lake/clicks", 77),
                DatasetRef.unversioned("s3://lake/raw"));
        List<String[]> registered = new ArrayList<>();
        for (int round = 0; round < 8; round++) {
            for (int m = 0; m < MODELS.size(); m++) {
                String model = MODELS.get(m);
                SemVer version = SemVer.of(1, round, 0);
                Registration.Builder r = Registration.of(model).version(version);
                int inputs = random.nextInt(3);
                for (int i = 0; i < inputs; i++) {
                    DatasetRef d = data.get(random.nextInt(data.size()));
                    try {
                        r.dataset(d);
                    } catch (dev.modelregistry.ValidationException duplicate) {
                        // drew the same snapshot twice
                    }
                }
                if (random.nextInt(3) == 0) {
                    r.evaluationSet(data.get(random.nextInt(5)));
                }
                if (random.nextInt(4) != 0) {
                    // Few commits, many scripts: a commit's label is the script of the first version (by
                    // model name, then version) that recorded it.
                    r.code("https://git.example/ml", "c" + random.nextInt(4), "train-" + model + "-" + round + ".py");
                }
                if (random.nextBoolean()) {
                    r.trainingRun("run-" + random.nextInt(10), null, null, Map.of());
                }
                if (random.nextInt(3) == 0) {
                    r.containerImage("sha256:" + "ab".repeat(31) + random.nextInt(3) + "0");
                }
                if (random.nextInt(4) == 0) {
                    r.environmentFile("envs/conda-" + random.nextInt(2) + ".lock");
                }
                int parents = registered.isEmpty() ? 0 : random.nextInt(3);
                for (int p = 0; p < parents; p++) {
                    String[] parent = registered.get(registered.size() - 1 - random.nextInt(Math.min(registered.size(), 8)));
                    try {
                        r.parent(parent[0], SemVer.parse(parent[1]), List.of("fine-tune", "distillation", "ensemble-member").get(p));
                    } catch (dev.modelregistry.ValidationException duplicate) {
                        // drew the same parent twice
                    }
                }
                writer.register(ALICE, r.build());
                registered.add(new String[] {model, version.toString()});
                versions.add(NodeId.version(model, version));
            }
        }
        for (String[] v : registered) {
            int move = random.nextInt(5);
            SemVer version = SemVer.parse(v[1]);
            if (move >= 1) {
                writer.promote(ALICE, v[0], version, Stage.STAGING, "");
            }
            if (move >= 3) {
                writer.promote(ALICE, v[0], version, Stage.PRODUCTION, "");
            }
            if (move == 2) {
                writer.promote(ALICE, v[0], version, Stage.ARCHIVED, "");
            }
        }
        store = SqliteEventStore.open(dir.resolve(SqliteRegistry.DATABASE_FILE));
        InMemoryEventStore copy = new InMemoryEventStore();
        for (ModelName model : store.models()) {
            copy.append(model, 0, store.read(model, 1));
        }
        folded = ModelRegistry.builder().eventStore(copy).build();
        graph = folded.lineage();
        for (NodeId v : versions) {
            nodes.add(v);
            for (LineageResult r : graph.upstream(v, LineageQuery.unlimited())) {
                nodes.add(r.id());
            }
        }
    }

    @AfterAll
    void close() {
        writer.close();
        store.close();
        folded.close();
    }

    @Test
    @DisplayName("the generated graph is not trivial: long chains, shared inputs, every kind of node, commits with several labels")
    void graphIsNonTrivial() {
        assertThat(nodes.stream().map(NodeId::kind).distinct()).containsExactlyInAnyOrder(NodeKind.values());
        int deepest = 0;
        for (NodeId v : versions) {
            for (LineageResult r : graph.upstream(v, LineageQuery.unlimited())) {
                deepest = Math.max(deepest, r.depth());
            }
        }
        assertThat(deepest).isGreaterThanOrEqualTo(5);
        assertThat(graph.downstream(NodeId.dataset(DatasetRef.gitCommit("s3://lake/transactions", "3f2c1e0")), LineageQuery.maxDepth(1)))
                .hasSizeGreaterThan(3);
        assertThat(nodes.stream().filter(n -> n.kind() == NodeKind.CODE).count()).isGreaterThanOrEqualTo(3);
    }

    @Test
    @DisplayName("answers upstream of every version as the graph does: nodes, depths, stages, labels, paths and order")
    void upstreamOfEveryVersion() {
        int compared = 0;
        for (NodeId v : versions) {
            String[] parts = v.id().split("@");
            for (LineageQuery q : QUERIES) {
                List<LineageResult> expected = graph.upstream(v, q);
                List<LineageResult> actual = store.upstream(ModelName.of(parts[0]), SemVer.parse(parts[1]), q).orElseThrow();
                assertThat(describe(actual)).as("upstream of %s, %s", v, q).isEqualTo(describe(expected));
                compared += expected.size();
            }
        }
        assertThat(compared).isGreaterThan(800);
    }

    @Test
    @DisplayName("answers downstream of every node (versions and every kind of input) as the graph does")
    void downstreamOfEveryNode() {
        int compared = 0;
        for (NodeId node : nodes) {
            for (LineageQuery q : QUERIES) {
                List<LineageResult> expected = graph.downstream(node, q);
                List<LineageResult> actual = store.downstream(node, q).orElseThrow();
                assertThat(describe(actual)).as("downstream of %s, %s", node, q).isEqualTo(describe(expected));
                compared += expected.size();
            }
        }
        assertThat(compared).isGreaterThan(800);
    }

    @Test
    @DisplayName("knows nothing of nodes no version recorded and of versions never registered")
    void unknownStarts() {
        assertThat(store.downstream(NodeId.dataset("s3://lake/never"), LineageQuery.unlimited())).isEmpty();
        assertThat(store.downstream(NodeId.version("omega", SemVer.parse("9.9.9")), LineageQuery.unlimited())).isEmpty();
        assertThat(store.upstream(ModelName.of("omega"), SemVer.parse("9.9.9"), LineageQuery.unlimited())).isEmpty();
        assertThat(store.upstream(ModelName.of("ghost"), SemVer.parse("1.0.0"), LineageQuery.unlimited())).isEmpty();
    }

    @Test
    @DisplayName("a freshly opened registry answers lineage queries from the tables without reading any model's log")
    void freshRegistryUsesTheTables() {
        CountingStore counting = new CountingStore(SqliteEventStore.open(dir.resolve(SqliteRegistry.DATABASE_FILE)));
        try (ModelRegistry fresh = ModelRegistry.builder().eventStore(counting).build()) {
            NodeId shared = NodeId.dataset(DatasetRef.gitCommit("s3://lake/transactions", "3f2c1e0"));
            for (LineageQuery q : QUERIES) {
                assertThat(describe(fresh.downstream(shared, q))).isEqualTo(describe(graph.downstream(shared, q)));
                NodeId last = versions.get(versions.size() - 1);
                String[] parts = last.id().split("@");
                assertThat(describe(fresh.upstream(parts[0], SemVer.parse(parts[1]), q))).isEqualTo(describe(graph.upstream(last, q)));
            }
            assertThat(counting.modelLogsRead()).isEmpty();

            assertThatThrownBy(() -> fresh.upstream("omega", SemVer.parse("9.9.9"), LineageQuery.unlimited()))
                    .isInstanceOf(NotFoundException.class).hasMessageContaining("9.9.9");
            assertThat(fresh.downstream(NodeId.dataset("s3://lake/never"), LineageQuery.unlimited())).isEmpty();
        }
    }

    @Test
    @DisplayName("sees a version registered by another registry at once, as a rebuilt graph does")
    void followsNewRegistrations(@TempDir Path own) {
        DatasetRef snapshot = DatasetRef.gitCommit("s3://lake/late", "feed001");
        NodeId base = NodeId.version("base", SemVer.parse("1.0.0"));
        NodeId late = NodeId.version("late", SemVer.parse("1.0.0"));
        try (ModelRegistry other = SqliteRegistry.open(own)) {
            other.register(ALICE, Registration.of("base").version("1.0.0").dataset(snapshot).build());
            CountingStore counting = new CountingStore(SqliteEventStore.open(own.resolve(SqliteRegistry.DATABASE_FILE)));
            try (ModelRegistry fresh = ModelRegistry.builder().eventStore(counting).build()) {
                assertThat(fresh.downstream(NodeId.dataset(snapshot), LineageQuery.unlimited())).extracting(LineageResult::id)
                        .containsExactly(base);
                fresh.lineage(); // a current graph answers while nothing changes ...
                other.register(ALICE, Registration.of("late").version("1.0.0").parent("base", SemVer.parse("1.0.0"), "fine-tune").build());
                // ... and once it is stale, the tables do.
                assertThat(fresh.downstream(NodeId.dataset(snapshot), LineageQuery.unlimited())).extracting(LineageResult::id)
                        .containsExactly(base, late);
                assertThat(describe(fresh.upstream("late", SemVer.parse("1.0.0"), LineageQuery.unlimited())))
                        .isEqualTo(describe(fresh.lineage().upstream(late, LineageQuery.unlimited())));
            }
        }
    }

    /** Everything a result shows: id, depth, node (label and stage) and the path, edge by edge. */
    private static List<String> describe(List<LineageResult> results) {
        return results.stream().map(r -> r.id() + " | " + r.depth() + " | " + r.node() + " | " + r.path()).toList();
    }
}
