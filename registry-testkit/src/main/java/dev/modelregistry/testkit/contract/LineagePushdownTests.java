package dev.modelregistry.testkit.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.modelregistry.DatasetRef;
import dev.modelregistry.LineageGraph;
import dev.modelregistry.LineageQuery;
import dev.modelregistry.LineageResult;
import dev.modelregistry.ModelName;
import dev.modelregistry.ModelRegistry;
import dev.modelregistry.ModelVersion;
import dev.modelregistry.NodeId;
import dev.modelregistry.NodeKind;
import dev.modelregistry.NotFoundException;
import dev.modelregistry.Registration;
import dev.modelregistry.SemVer;
import dev.modelregistry.Stage;
import dev.modelregistry.VersionQuery;
import dev.modelregistry.spi.SupportsLineageQueries;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The equivalence suite of {@link SupportsLineageQueries}: over a {@link GeneratedHistory}, the
 * store answers upstream of every version and downstream of every node, for depth limits and stage
 * filters, exactly as the core's {@link LineageGraph} of the folded logs does (same nodes, depths,
 * stages, labels, paths and order), asked directly and through a freshly opened registry. Every
 * backend that implements the capability extends it.
 */
public abstract class LineagePushdownTests extends PushdownFixture {
    private static final List<LineageQuery> QUERIES = List.of(
            LineageQuery.unlimited(),
            LineageQuery.maxDepth(1),
            LineageQuery.maxDepth(2),
            LineageQuery.inStages(Stage.PRODUCTION),
            LineageQuery.inStages(Stage.STAGING, Stage.ARCHIVED).withMaxDepth(3),
            LineageQuery.inStages(Stage.NONE));

    /** The graph the fold builds. */
    protected LineageGraph graph;
    /** Every version of every model. */
    protected final List<NodeId> versions = new ArrayList<>();
    /** Every node: the versions and everything upstream of them. */
    protected final TreeSet<NodeId> nodes = new TreeSet<>();

    @BeforeAll
    void buildGraph() {
        graph = folded.lineage();
        for (String model : GeneratedHistory.models()) {
            for (ModelVersion v : folded.search(model, VersionQuery.builder().limit(VersionQuery.MAX_LIMIT).build()).items()) {
                versions.add(NodeId.version(model, v.version()));
            }
        }
        for (NodeId v : versions) {
            nodes.add(v);
            for (LineageResult r : graph.upstream(v, LineageQuery.unlimited())) {
                nodes.add(r.id());
            }
        }
    }

    /** One side's lineage answers: the index, or a registry over it. */
    protected interface Answers {
        List<LineageResult> upstream(NodeId version, LineageQuery query);

        List<LineageResult> downstream(NodeId node, LineageQuery query);

        static Answers of(ModelRegistry registry) {
            return new Answers() {
                public List<LineageResult> upstream(NodeId version, LineageQuery query) {
                    String[] parts = version.id().split("@");
                    return registry.upstream(parts[0], SemVer.parse(parts[1]), query);
                }

                public List<LineageResult> downstream(NodeId node, LineageQuery query) {
                    return registry.downstream(node, query);
                }
            };
        }

        static Answers of(SupportsLineageQueries index) {
            return new Answers() {
                public List<LineageResult> upstream(NodeId version, LineageQuery query) {
                    String[] parts = version.id().split("@");
                    return index.upstream(ModelName.of(parts[0]), SemVer.parse(parts[1]), query)
                            .orElseThrow(() -> new AssertionError("the index does not know " + version));
                }

                public List<LineageResult> downstream(NodeId node, LineageQuery query) {
                    return index.downstream(node, query).orElseThrow(() -> new AssertionError("the index does not know " + node));
                }
            };
        }
    }

    private SupportsLineageQueries index() {
        return capability(SupportsLineageQueries.class);
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
        assertThat(graph.downstream(NodeId.dataset(GeneratedHistory.SHARED), LineageQuery.maxDepth(1))).hasSizeGreaterThan(3);
        assertThat(nodes.stream().filter(n -> n.kind() == NodeKind.CODE).count()).isGreaterThanOrEqualTo(3);
    }

    /** Upstream of every version and downstream of every node, for every query, {@code actual} answers as the graph does. */
    protected void assertSameAsTheGraph(Answers actual) {
        int compared = 0;
        for (NodeId v : versions) {
            for (LineageQuery q : QUERIES) {
                List<LineageResult> expected = graph.upstream(v, q);
                assertThat(describe(actual.upstream(v, q))).as("upstream of %s, %s", v, q).isEqualTo(describe(expected));
                compared += expected.size();
            }
        }
        for (NodeId node : nodes) {
            for (LineageQuery q : QUERIES) {
                List<LineageResult> expected = graph.downstream(node, q);
                assertThat(describe(actual.downstream(node, q))).as("downstream of %s, %s", node, q).isEqualTo(describe(expected));
                compared += expected.size();
            }
        }
        assertThat(compared).isGreaterThan(1600);
    }

    /** Everything a result shows: id, depth, node (label and stage) and the path, edge by edge. */
    protected static List<String> describe(List<LineageResult> results) {
        return results.stream().map(r -> r.id() + " | " + r.depth() + " | " + r.node() + " | " + r.path()).toList();
    }

    @Nested
    @DisplayName("the store's index")
    class Index {

        @Test
        @DisplayName("answers upstream of every version and downstream of every node as the graph does: nodes, depths, stages, labels, paths and order")
        void sameAsTheGraph() {
            assertSameAsTheGraph(Answers.of(index()));
        }

        @Test
        @DisplayName("knows nothing of nodes no version recorded and of versions never registered")
        void unknownStarts() {
            SupportsLineageQueries index = index();
            assertThat(index.downstream(NodeId.dataset("s3://lake/never"), LineageQuery.unlimited())).isEmpty();
            assertThat(index.downstream(NodeId.version("omega", SemVer.parse("9.9.9")), LineageQuery.unlimited())).isEmpty();
            assertThat(index.upstream(ModelName.of("omega"), SemVer.parse("9.9.9"), LineageQuery.unlimited())).isEmpty();
            assertThat(index.upstream(ModelName.of("ghost"), SemVer.parse("1.0.0"), LineageQuery.unlimited())).isEmpty();
        }
    }

    @Nested
    @DisplayName("a freshly opened registry")
    class FreshRegistry {

        @Test
        @DisplayName("answers upstream and downstream as the graph does, and reports what it does not know as the fold does")
        void sameAsTheGraph() throws Exception {
            try (ModelRegistry fresh = freshRegistry()) {
                assertSameAsTheGraph(Answers.of(fresh));
                assertThatThrownBy(() -> fresh.upstream("omega", SemVer.parse("9.9.9"), LineageQuery.unlimited()))
                        .isInstanceOf(NotFoundException.class).hasMessageContaining("9.9.9");
                assertThat(fresh.downstream(NodeId.dataset("s3://lake/never"), LineageQuery.unlimited())).isEmpty();
            }
        }

        @Test
        @DisplayName("sees a version another registry registered at once, as a rebuilt graph does")
        void followsNewRegistrations() throws Exception {
            DatasetRef snapshot = DatasetRef.gitCommit("s3://lake/late", "feed001");
            NodeId base = NodeId.version("base", SemVer.parse("1.0.0"));
            NodeId late = NodeId.version("late", SemVer.parse("1.0.0"));
            try (ModelRegistry other = registryOnOwnStorage("follow"); ModelRegistry fresh = registryOnOwnStorage("follow")) {
                other.register(GeneratedHistory.ALICE, Registration.of("base").version("1.0.0").dataset(snapshot).build());
                assertThat(fresh.downstream(NodeId.dataset(snapshot), LineageQuery.unlimited())).extracting(LineageResult::id)
                        .containsExactly(base);
                fresh.lineage(); // a current graph answers while nothing changes ...
                other.register(GeneratedHistory.ALICE, Registration.of("late").version("1.0.0")
                        .parent("base", SemVer.parse("1.0.0"), "fine-tune").build());
                // ... and once it is stale, the index does.
                assertThat(fresh.downstream(NodeId.dataset(snapshot), LineageQuery.unlimited())).extracting(LineageResult::id)
                        .containsExactly(base, late);
                assertThat(describe(fresh.upstream("late", SemVer.parse("1.0.0"), LineageQuery.unlimited())))
                        .isEqualTo(describe(fresh.lineage().upstream(late, LineageQuery.unlimited())));
            }
        }
    }
}
