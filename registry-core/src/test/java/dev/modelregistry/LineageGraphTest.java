package dev.modelregistry;

import static dev.modelregistry.Versions.version;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@DisplayName("The lineage graph")
class LineageGraphTest {
    static final DatasetRef TRANSACTIONS = DatasetRef.gitCommit("s3://lake/transactions", "a1b2c3");
    static final DatasetRef HOLDOUT = DatasetRef.deltaVersion("s3://lake/holdout", 7);
    static final DatasetRef CHARGEBACKS = DatasetRef.icebergSnapshot("s3://lake/chargebacks", 4810374591L);
    static final DatasetRef LABELS = DatasetRef.dvc("s3://lake/labels", "9ad8");

    static final ModelVersion BASE = version("fraud-base", "1.0.0").run("run-17").code("https://github.com/acme/fraud", "c0ffee")
            .image("sha256:aaaa").environment("conda.yaml").trainedOn(TRANSACTIONS).evaluatedOn(HOLDOUT).build();
    static final ModelVersion BASE_NEXT = version("fraud-base", "1.1.0").trainedOn(CHARGEBACKS).build();
    static final ModelVersion TUNED = version("fraud-eu", "1.0.0").trainedOn(LABELS)
            .derivedFrom("fraud-base", "1.0.0", "fine-tune").build();
    static final ModelVersion DISTILLED = version("fraud-edge", "2.0.0").derivedFrom("fraud-eu", "1.0.0", "distillation").build();
    static final ModelVersion DIRECT = version("fraud-us", "3.0.0").trainedOn(TRANSACTIONS, CHARGEBACKS).build();

    static final Map<String, Stage> STAGES = Map.of(
            "fraud-base@1.0.0", Stage.ARCHIVED,
            "fraud-base@1.1.0", Stage.PRODUCTION,
            "fraud-eu@1.0.0", Stage.STAGING,
            "fraud-edge@2.0.0", Stage.PRODUCTION,
            "fraud-us@3.0.0", Stage.NONE);

    static LineageGraph graph(List<ModelVersion> versions) {
        return LineageGraph.build(versions, v -> STAGES.get(v.toString()));
    }

    static final LineageGraph GRAPH = graph(List.of(BASE, BASE_NEXT, TUNED, DISTILLED, DIRECT));

    static NodeId v(String model, String version) {
        return NodeId.version(model, SemVer.parse(version));
    }

    static List<String> ids(List<LineageResult> results) {
        return results.stream().map(r -> r.id().id()).toList();
    }

    @Nested
    @DisplayName("when built")
    class Building {
        @Test
        @DisplayName("makes a node for each version and each recorded input, and an edge for each use")
        void nodesAndEdges() {
            LineageGraph g = graph(List.of(BASE));

            assertThat(g.nodeCount()).isEqualTo(7);
            assertThat(g.edgeCount()).isEqualTo(6);
            assertThat(g.findNode(NodeId.run("run-17"))).map(LineageNode::kind).contains(NodeKind.RUN);
            assertThat(g.findNode(NodeId.code("https://github.com/acme/fraud", "c0ffee"))).map(LineageNode::label)
                    .contains("https://github.com/acme/fraud@c0ffee train.py");
            assertThat(g.findNode(NodeId.image("sha256:aaaa"))).isPresent();
            assertThat(g.findNode(NodeId.environment("conda.yaml"))).isPresent();
            assertThat(g.findNode(NodeId.dataset("s3://lake/holdout@delta:7"))).isPresent();
            assertThat(g.findNode(v("fraud-base", "1.0.0"))).map(LineageNode::stage).contains(Optional.of(Stage.ARCHIVED));
        }

        @Test
        @DisplayName("adds no node for inputs that were not recorded")
        void onlyRecordedInputs() {
            LineageGraph g = graph(List.of(version("bare", "1.0.0").build()));

            assertThat(g.nodeCount()).isEqualTo(1);
            assertThat(g.edgeCount()).isZero();
        }

        @Test
        @DisplayName("keeps a parent that was not given as a version node without a stage")
        void missingParentIsANode() {
            LineageGraph g = graph(List.of(TUNED));

            assertThat(g.findNode(v("fraud-base", "1.0.0"))).hasValueSatisfying(n -> {
                assertThat(n.kind()).isEqualTo(NodeKind.VERSION);
                assertThat(n.stage()).isEmpty();
            });
        }

        @Test
        @DisplayName("shares one node between versions that used the same snapshot")
        void sharedSnapshot() {
            assertThat(GRAPH.downstream(NodeId.dataset(TRANSACTIONS), LineageQuery.maxDepth(1)))
                    .extracting(r -> r.id().id()).containsExactly("fraud-base@1.0.0", "fraud-us@3.0.0");
        }

        @Test
        @DisplayName("ignores build metadata in version identity")
        void buildMetadata() {
            assertThat(NodeId.version("m", SemVer.parse("1.0.0+build.7"))).isEqualTo(v("m", "1.0.0"));
        }

        @Test
        @DisplayName("refuses a version given twice, naming it")
        void duplicate() {
            assertThatThrownBy(() -> graph(List.of(BASE, TUNED, BASE)))
                    .isInstanceOf(ValidationException.class).hasMessageContaining("fraud-base@1.0.0").hasMessageContaining("twice");
        }

        @Test
        @DisplayName("refuses a cycle of derived versions in bad data, naming the versions on it")
        void cycle() {
            List<ModelVersion> bad = List.of(
                    version("a", "1.0.0").derivedFrom("b", "1.0.0", "fine-tune").build(),
                    version("b", "1.0.0").derivedFrom("c", "1.0.0", "fine-tune").trainedOn(TRANSACTIONS).build(),
                    version("c", "1.0.0").derivedFrom("a", "1.0.0", "distillation").build());

            assertThatThrownBy(() -> graph(bad))
                    .isInstanceOf(ValidationException.class)
                    .hasMessageContaining("cycle")
                    .hasMessageContaining("a@1.0.0 -> b@1.0.0 -> c@1.0.0 -> a@1.0.0");
        }

        @Test
        @DisplayName("refuses a version derived from itself")
        void selfLoop() {
            assertThatThrownBy(() -> graph(List.of(version("a", "1.0.0").derivedFrom("a", "1.0.0", "fine-tune").build())))
                    .isInstanceOf(ValidationException.class).hasMessageContaining("a@1.0.0 -> a@1.0.0");
        }
    }

    @Nested
    @DisplayName("upstream")
    class Upstream {
        @Test
        @DisplayName("reports the full provenance through two levels of parents, ordered by depth then id")
        void throughParents() {
            List<LineageResult> results = GRAPH.upstream(v("fraud-edge", "2.0.0"), LineageQuery.unlimited());

            assertThat(results).extracting(LineageResult::depth).isSorted();
            assertThat(ids(results)).containsExactly(
                    "fraud-eu@1.0.0",
                    "fraud-base@1.0.0", "s3://lake/labels@dvc:9ad8",
                    "conda.yaml", "https://github.com/acme/fraud@c0ffee", "run-17",
                    "s3://lake/holdout@delta:7", "s3://lake/transactions@git:a1b2c3", "sha256:aaaa");
            assertThat(results).extracting(LineageResult::depth).containsExactly(1, 2, 2, 3, 3, 3, 3, 3, 3);
        }

        @Test
        @DisplayName("gives the path from the version to each input, edge by edge")
        void path() {
            LineageResult transactions = GRAPH.upstream(v("fraud-edge", "2.0.0"), LineageQuery.unlimited()).stream()
                    .filter(r -> r.id().equals(NodeId.dataset(TRANSACTIONS))).findFirst().orElseThrow();

            assertThat(transactions.path()).containsExactly(
                    new LineageEdge(v("fraud-edge", "2.0.0"), v("fraud-eu", "1.0.0"), EdgeType.DERIVED_FROM, "distillation"),
                    new LineageEdge(v("fraud-eu", "1.0.0"), v("fraud-base", "1.0.0"), EdgeType.DERIVED_FROM, "fine-tune"),
                    new LineageEdge(v("fraud-base", "1.0.0"), NodeId.dataset(TRANSACTIONS), EdgeType.TRAINED_ON, ""));
        }

        @Test
        @DisplayName("marks evaluation sets as used for evaluation on the edge")
        void evaluationEdge() {
            LineageResult holdout = GRAPH.upstream(v("fraud-base", "1.0.0"), LineageQuery.unlimited()).stream()
                    .filter(r -> r.id().equals(NodeId.dataset(HOLDOUT))).findFirst().orElseThrow();

            assertThat(holdout.path()).singleElement().extracting(LineageEdge::type).isEqualTo(EdgeType.EVALUATED_ON);
        }

        @Test
        @DisplayName("stops at the depth limit")
        void depthLimit() {
            assertThat(ids(GRAPH.upstream(v("fraud-edge", "2.0.0"), LineageQuery.maxDepth(2))))
                    .containsExactly("fraud-eu@1.0.0", "fraud-base@1.0.0", "s3://lake/labels@dvc:9ad8");
        }

        @Test
        @DisplayName("applies the stage filter to parent versions only, still walking through the others")
        void stageFilter() {
            List<LineageResult> results = GRAPH.upstream(v("fraud-edge", "2.0.0"), LineageQuery.inStages(Stage.PRODUCTION));

            assertThat(ids(results)).doesNotContain("fraud-eu@1.0.0", "fraud-base@1.0.0")
                    .contains("s3://lake/transactions@git:a1b2c3", "run-17");
        }
    }

    @Nested
    @DisplayName("downstream")
    class Downstream {
        @Test
        @DisplayName("finds every version that used a snapshot, directly or through derived models, with paths and stages")
        void impact() {
            List<LineageResult> results = GRAPH.downstream(NodeId.dataset(TRANSACTIONS), LineageQuery.unlimited());

            assertThat(ids(results)).containsExactly("fraud-base@1.0.0", "fraud-us@3.0.0", "fraud-eu@1.0.0", "fraud-edge@2.0.0");
            assertThat(results).extracting(LineageResult::depth).containsExactly(1, 1, 2, 3);
            assertThat(results).extracting(LineageResult::stage).containsExactly(
                    Optional.of(Stage.ARCHIVED), Optional.of(Stage.NONE), Optional.of(Stage.STAGING), Optional.of(Stage.PRODUCTION));
            assertThat(results.get(3).path()).extracting(LineageEdge::from).containsExactly(
                    v("fraud-base", "1.0.0"), v("fraud-eu", "1.0.0"), v("fraud-edge", "2.0.0"));
            assertThat(results.get(3).path().get(0).to()).isEqualTo(NodeId.dataset(TRANSACTIONS));
        }

        @Test
        @DisplayName("reports only versions in the asked stages but walks through archived and staging ones")
        void productionOnly() {
            List<LineageResult> results = GRAPH.downstream(NodeId.dataset(TRANSACTIONS), LineageQuery.inStages(Stage.PRODUCTION));

            assertThat(results).singleElement().satisfies(r -> {
                assertThat(r.id()).isEqualTo(v("fraud-edge", "2.0.0"));
                assertThat(r.depth()).isEqualTo(3);
                assertThat(r.path()).hasSize(3);
            });
            assertThat(ids(GRAPH.downstream(NodeId.dataset(TRANSACTIONS), LineageQuery.inStages(Stage.PRODUCTION, Stage.STAGING))))
                    .containsExactly("fraud-eu@1.0.0", "fraud-edge@2.0.0");
        }

        @Test
        @DisplayName("starts from a code commit, a run, an image or a version as well")
        void otherStarts() {
            assertThat(ids(GRAPH.downstream(NodeId.code("https://github.com/acme/fraud", "c0ffee"), LineageQuery.unlimited())))
                    .containsExactly("fraud-base@1.0.0", "fraud-eu@1.0.0", "fraud-edge@2.0.0");
            assertThat(ids(GRAPH.downstream(NodeId.run("run-17"), LineageQuery.maxDepth(1)))).containsExactly("fraud-base@1.0.0");
            assertThat(ids(GRAPH.downstream(NodeId.image("sha256:aaaa"), LineageQuery.maxDepth(2))))
                    .containsExactly("fraud-base@1.0.0", "fraud-eu@1.0.0");
            assertThat(ids(GRAPH.downstream(v("fraud-eu", "1.0.0"), LineageQuery.unlimited()))).containsExactly("fraud-edge@2.0.0");
        }

        @Test
        @DisplayName("stops at the depth limit")
        void depthLimit() {
            assertThat(ids(GRAPH.downstream(NodeId.dataset(TRANSACTIONS), LineageQuery.maxDepth(2))))
                    .containsExactly("fraud-base@1.0.0", "fraud-us@3.0.0", "fraud-eu@1.0.0");
        }

        @Test
        @DisplayName("gives the same results and paths whatever order the versions were given in")
        void deterministic() {
            List<ModelVersion> reversed = new ArrayList<>(List.of(BASE, BASE_NEXT, TUNED, DISTILLED, DIRECT));
            Collections.reverse(reversed);
            LineageGraph other = graph(reversed);

            assertThat(other.downstream(NodeId.dataset(TRANSACTIONS), LineageQuery.unlimited()).toString())
                    .isEqualTo(GRAPH.downstream(NodeId.dataset(TRANSACTIONS), LineageQuery.unlimited()).toString());
        }

        @Test
        @DisplayName("refuses an unknown start node, naming it")
        void unknown() {
            assertThatThrownBy(() -> GRAPH.downstream(NodeId.dataset("s3://lake/nowhere@git:0"), LineageQuery.unlimited()))
                    .isInstanceOf(NotFoundException.class).hasMessageContaining("dataset s3://lake/nowhere@git:0");
            assertThatThrownBy(() -> GRAPH.upstream(v("ghost", "9.9.9"), LineageQuery.unlimited()))
                    .isInstanceOf(NotFoundException.class).hasMessageContaining("ghost@9.9.9");
        }
    }

    @Nested
    @DisplayName("queries")
    class Queries {
        @Test
        @DisplayName("refuse a depth below one, naming it")
        void badDepth() {
            assertThatThrownBy(() -> LineageQuery.maxDepth(0)).isInstanceOf(ValidationException.class).hasMessageContaining("was 0");
        }

        @Test
        @DisplayName("combine a depth limit with a stage filter")
        void combine() {
            LineageQuery q = LineageQuery.inStages(Stage.PRODUCTION).withMaxDepth(2);

            assertThat(q.maxDepth()).isEqualTo(2);
            assertThat(q.stages()).containsExactly(Stage.PRODUCTION);
            assertThat(GRAPH.downstream(NodeId.dataset(TRANSACTIONS), q)).isEmpty();
        }
    }
}
