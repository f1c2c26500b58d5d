package dev.modelregistry.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.modelregistry.DatasetRef;
import dev.modelregistry.Evaluation;
import dev.modelregistry.ModelRegistry;
import dev.modelregistry.NotFoundException;
import dev.modelregistry.Registration;
import dev.modelregistry.Stage;
import dev.modelregistry.ValidationException;
import dev.modelregistry.ComparisonReport;
import dev.modelregistry.Verdict;
import dev.modelregistry.VersionDiff;
import dev.modelregistry.EdgeType;
import dev.modelregistry.LineageQuery;
import dev.modelregistry.LineageResult;
import dev.modelregistry.LineageSubgraph;
import dev.modelregistry.NodeId;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The lineage and comparison part of the conformance suite: provenance recorded at registration,
 * upstream and downstream queries across models, pictures and OpenLineage, evaluations, and
 * apples-to-apples comparison.
 */
public abstract class LineageConformanceTests extends GovernanceConformanceTests {
    protected static final DatasetRef SNAPSHOT_BAD = DatasetRef.gitCommit("s3://data/transactions", "bad0001");
    protected static final DatasetRef SNAPSHOT_GOOD = DatasetRef.gitCommit("s3://data/transactions", "good002");
    protected static final DatasetRef EVAL_SET = DatasetRef.deltaVersion("s3://data/holdout", 3);

    // =====================================================================================
    @Nested
    @DisplayName("lineage across models")
    class Lineage {

        /**
         * base@1.0.0 trained on the bad snapshot; base@1.1.0 on the good one; a distilled model and
         * then a fine-tune of it derive from base@1.0.0; distilled@1.0.0 is in Production.
         */
        @BeforeEach
        void graph() {
            registry.register(ALICE, Registration.of("base").version("1.0.0").dataset(SNAPSHOT_BAD)
                    .code("https://git.example.org/base", "c0ffee1", "train.py")
                    .trainingRun("run-1", null, null, Map.of()).build());
            registry.register(ALICE, Registration.of("base").version("1.1.0").dataset(SNAPSHOT_GOOD).build());
            registry.register(ALICE, Registration.of("distilled").version("1.0.0")
                    .parent("base", v("1.0.0"), "distillation").dataset(SNAPSHOT_GOOD).build());
            registry.register(ALICE, Registration.of("tuned").version("1.0.0")
                    .parent("distilled", v("1.0.0"), "fine-tune").build());
            registry.promote(ALICE, "distilled", v("1.0.0"), Stage.STAGING, "");
            registry.promote(ALICE, "distilled", v("1.0.0"), Stage.PRODUCTION, "");
        }

        @Test
        @DisplayName("finds every version a data bug touches, directly or through derived models, with the linking path")
        void downstreamImpact() {
            List<LineageResult> all = registry.downstream(NodeId.dataset(SNAPSHOT_BAD), LineageQuery.unlimited());
            assertThat(all).extracting(LineageResult::id)
                    .containsExactly(NodeId.version("base", v("1.0.0")), NodeId.version("distilled", v("1.0.0")),
                            NodeId.version("tuned", v("1.0.0")));
            LineageResult tuned = all.get(2);
            assertThat(tuned.depth()).isEqualTo(3);
            assertThat(tuned.path()).extracting(e -> e.type())
                    .containsExactly(EdgeType.TRAINED_ON, EdgeType.DERIVED_FROM, EdgeType.DERIVED_FROM);

            List<LineageResult> inProduction = registry.downstream(NodeId.dataset(SNAPSHOT_BAD), LineageQuery.inStages(Stage.PRODUCTION));
            assertThat(inProduction).extracting(LineageResult::id).containsExactly(NodeId.version("distilled", v("1.0.0")));
            assertThat(registry.downstream(NodeId.dataset(SNAPSHOT_BAD), LineageQuery.maxDepth(1)))
                    .extracting(LineageResult::id).containsExactly(NodeId.version("base", v("1.0.0")));
            assertThat(registry.downstream(NodeId.code("https://git.example.org/base", "c0ffee1"), LineageQuery.unlimited()))
                    .hasSize(3);
        }

        @Test
        @DisplayName("traces a version's full provenance through its parents")
        void upstream() {
            List<LineageResult> up = registry.upstream("tuned", v("1.0.0"), LineageQuery.unlimited());
            assertThat(up).extracting(LineageResult::id).contains(
                    NodeId.version("distilled", v("1.0.0")), NodeId.version("base", v("1.0.0")),
                    NodeId.dataset(SNAPSHOT_BAD), NodeId.dataset(SNAPSHOT_GOOD),
                    NodeId.code("https://git.example.org/base", "c0ffee1"), NodeId.run("run-1"));
            // A snapshot no version used has no impact: an empty answer, not an error.
            assertThat(registry.downstream(NodeId.dataset("s3://nowhere@v1"), LineageQuery.unlimited())).isEmpty();
        }

        @Test
        @DisplayName("refuses a parent that is not registered, so the graph stays acyclic, and changes nothing")
        void parentsMustExist() {
            assertThatThrownBy(() -> registry.register(ALICE, Registration.of("orphan").version("1.0.0")
                    .parent("ghost", v("1.0.0"), "fine-tune").build()))
                    .isInstanceOf(NotFoundException.class).hasMessageContaining("ghost@1.0.0");
            assertThatThrownBy(() -> registry.register(ALICE, Registration.of("base").version("2.0.0")
                    .parent("base", v("2.0.0"), "fine-tune").build()))
                    .isInstanceOf(ValidationException.class).hasMessageContaining("own parent");
            assertThat(registry.findModel("orphan")).isEmpty();
        }

        @Test
        @DisplayName("refuses a dataset without an exact version when exact data lineage is required")
        void exactLineage() {
            ModelRegistry strict = governedRegistry(b -> b.requireExactDataLineage(true));
            assertThatThrownBy(() -> strict.register(ALICE, Registration.of("loose").version("1.0.0")
                    .dataset(DatasetRef.unversioned("s3://data/latest")).build()))
                    .isInstanceOf(ValidationException.class).hasMessageContaining("s3://data/latest");
            strict.register(ALICE, Registration.of("strict").version("1.0.0")
                    .dataset(DatasetRef.queryAsOf("warehouse://sales", "select * from tx", clock.instant())).build());
            assertThat(strict.getVersion("strict", v("1.0.0")).datasets().get(0).version()).startsWith("asof:");
        }

        @Test
        @DisplayName("draws the impact as Graphviz DOT and Mermaid, and emits an OpenLineage run event")
        void pictures() throws Exception {
            // Results belong to the graph snapshot that produced them, so query and draw the same one.
            dev.modelregistry.LineageGraph graph = registry.lineage();
            List<LineageResult> impact = graph.downstream(NodeId.dataset(SNAPSHOT_BAD), LineageQuery.unlimited());
            LineageSubgraph picture = graph.subgraph(NodeId.dataset(SNAPSHOT_BAD), impact);
            assertThat(picture.toDot()).startsWith("digraph").contains("distilled@1.0.0");
            assertThat(picture.toMermaid()).startsWith("flowchart").contains("tuned@1.0.0");

            JsonNode event = new ObjectMapper().readTree(registry.openLineageEvent("base", v("1.0.0"), "model-registry"));
            assertThat(event.path("eventType").asText()).isEqualTo("COMPLETE");
            assertThat(event.path("inputs").toString()).contains("s3://data/transactions");
            assertThat(event.path("outputs").get(0).path("name").asText()).contains("base");
        }
    }

    // =====================================================================================
    @Nested
    @DisplayName("evaluations and comparison")
    class Comparing {

        @BeforeEach
        void evaluated() {
            register(MODEL, "1.0.0");
            register(MODEL, "1.1.0");
            registry.recordEvaluation(ALICE, MODEL, v("1.0.0"), new Evaluation(EVAL_SET, Map.of("auc", 0.90, "logloss", 0.30),
                    Map.of("gender:f", Map.of("tpr", 0.80), "gender:m", Map.of("tpr", 0.82)), Map.of("latency_p99_ms", 20.0)), "");
            registry.recordEvaluation(ALICE, MODEL, v("1.1.0"), new Evaluation(EVAL_SET, Map.of("auc", 0.92, "logloss", 0.35),
                    Map.of("gender:f", Map.of("tpr", 0.70), "gender:m", Map.of("tpr", 0.83)), Map.of("latency_p99_ms", 18.0)), "");
        }

        @Test
        @DisplayName("reports deltas with each metric's direction, operational deltas, and the worse slices")
        void report() {
            ComparisonReport report = registry.compare(MODEL, v("1.0.0"), v("1.1.0"), EVAL_SET, 0.02);
            assertThat(report.metrics()).anySatisfy(r -> {
                assertThat(r.metric()).isEqualTo("auc");
                assertThat(r.verdict()).isEqualTo(Verdict.BETTER);
            }).anySatisfy(r -> {
                assertThat(r.metric()).isEqualTo("logloss");
                assertThat(r.verdict()).isEqualTo(Verdict.WORSE);
            });
            assertThat(report.operational()).singleElement().satisfies(r -> assertThat(r.verdict()).isEqualTo(Verdict.BETTER));
            assertThat(report.worseSlices()).singleElement().satisfies(s -> assertThat(s.slice()).isEqualTo("gender:f"));
            assertThat(report.toMarkdown()).contains("| auc");
            assertThat(report.toText()).contains("gender:f");
            assertThat(report.toJson()).contains("\"logloss\"");
            assertThat(registry.evaluations(MODEL, v("1.1.0"))).hasSize(1);
        }

        @Test
        @DisplayName("refuses to compare numbers measured on different sets, naming the sets each version has")
        void differentSets() {
            DatasetRef other = DatasetRef.deltaVersion("s3://data/holdout", 4);
            assertThatThrownBy(() -> registry.compare(MODEL, v("1.0.0"), v("1.1.0"), other, 0.0))
                    .isInstanceOf(ValidationException.class).hasMessageContaining(EVAL_SET.id()).hasMessageContaining(other.id());
            assertThatThrownBy(() -> registry.compare(MODEL, v("1.0.0"), v("1.1.0")))
                    .isInstanceOf(ValidationException.class).hasMessageContaining("canonical");
            registry.setCanonicalEvaluationSet(ALICE, MODEL, EVAL_SET, "");
            assertThat(registry.compare(MODEL, v("1.0.0"), v("1.1.0")).evaluationSet()).isEqualTo(EVAL_SET);
        }

        @Test
        @DisplayName("refuses a metric the catalog does not know until it is declared")
        void undeclaredMetric() {
            register(MODEL, "1.2.0");
            registry.recordEvaluation(ALICE, MODEL, v("1.2.0"), Evaluation.of(EVAL_SET, Map.of("auc", 0.9, "uplift_score", 1.2)), "");
            assertThatThrownBy(() -> registry.compare(MODEL, v("1.0.0"), v("1.2.0"), EVAL_SET, 0.0))
                    .isInstanceOf(ValidationException.class).hasMessageContaining("uplift_score");
        }

        @Test
        @DisplayName("diffs two versions structurally")
        void diff() {
            registry.register(ALICE, Registration.of(MODEL).version("2.0.0").hyperparameter("depth", 8)
                    .dataset(SNAPSHOT_GOOD).framework("xgboost", "2.0.3").build());
            VersionDiff diff = registry.diff(MODEL, v("1.0.0"), v("2.0.0"));
            assertThat(diff.isEmpty()).isFalse();
            assertThat(diff.changes(VersionDiff.Group.HYPERPARAMETERS)).extracting(VersionDiff.Change::key).containsExactly("depth");
            assertThat(diff.changes(VersionDiff.Group.FRAMEWORK)).isNotEmpty();
            assertThat(diff.changes(VersionDiff.Group.DATASETS)).isNotEmpty();
            assertThat(registry.diff(MODEL, v("1.0.0"), v("1.1.0")).changes(VersionDiff.Group.HYPERPARAMETERS)).isEmpty();
        }
    }
}
