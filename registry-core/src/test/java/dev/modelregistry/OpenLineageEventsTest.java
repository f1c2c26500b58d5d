package dev.modelregistry;

import dev.modelregistry.internal.lineage.OpenLineageEvents;


import static dev.modelregistry.LineageGraphTest.HOLDOUT;
import static dev.modelregistry.LineageGraphTest.TRANSACTIONS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.IntNode;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@DisplayName("OpenLineage registration events")
class OpenLineageEventsTest {
    static final UUID RUN = UUID.fromString("0190b5c4-7c1e-7d2a-9f00-123456789abc");
    static final Instant TIME = Instant.parse("2024-05-01T10:05:00Z");
    static final Sha256 DIGEST = Sha256.of("a".repeat(64));

    static ModelVersion version() {
        ModelVersion v = Versions.version("fraud-eu", "1.2.0").run("run-17").code("https://github.com/acme/fraud", "c0ffee")
                .image("sha256:aaaa").environment("conda.yaml")
                .trainedOn(TRANSACTIONS, DatasetRef.queryAsOf("warehouse.sales", "select * from orders", TIME))
                .evaluatedOn(HOLDOUT).derivedFrom("fraud-base", "1.0.0", "fine-tune").build();
        return new ModelVersion(v.model(), v.version(), List.of("eu-2024-05"), v.author(), v.createdAt(), v.framework(),
                v.frameworkVersion(), Map.of("depth", IntNode.valueOf(6)), v.signature(), v.metrics(),
                List.of(new ArtifactRef("model.onnx", URI.create("mem://artifacts/aaaa"), DIGEST, 1234, "application/onnx")),
                v.provenance(), "EU fine-tune", Map.of("team", "risk"));
    }

    static JsonNode event() throws Exception {
        return new ObjectMapper().readTree(OpenLineageEvents.registrationEvent(version(), "model-registry", TIME, RUN));
    }

    @Nested
    @DisplayName("follow the RunEvent schema")
    class Schema {
        @Test
        @DisplayName("with every required top-level field, typed as the spec says")
        void topLevel() throws Exception {
            JsonNode e = event();

            assertThat(e.get("eventType").asText()).isEqualTo("COMPLETE");
            assertThat(Instant.parse(e.get("eventTime").asText())).isEqualTo(TIME);
            assertThat(URI.create(e.get("producer").asText()).isAbsolute()).isTrue();
            assertThat(e.get("schemaURL").asText()).isEqualTo("https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent");
            assertThat(UUID.fromString(e.at("/run/runId").asText())).isEqualTo(RUN);
            assertThat(e.at("/run/facets").isObject()).isTrue();
            assertThat(e.at("/job/namespace").asText()).isEqualTo("model-registry");
            assertThat(e.at("/job/name").asText()).isEqualTo("fraud-eu");
            assertThat(e.get("inputs").isArray()).isTrue();
            assertThat(e.get("outputs").isArray()).isTrue();
        }

        @Test
        @DisplayName("with _producer and an absolute _schemaURL on every facet")
        void facets() throws Exception {
            List<JsonNode> facets = new ArrayList<>();
            JsonNode e = event();
            e.at("/run/facets").forEach(facets::add);
            e.at("/job/facets").forEach(facets::add);
            for (String side : List.of("inputs", "outputs")) {
                e.get(side).forEach(d -> d.get("facets").forEach(facets::add));
            }

            assertThat(facets).hasSizeGreaterThan(8).allSatisfy(f -> {
                assertThat(URI.create(f.get("_producer").asText()).isAbsolute()).isTrue();
                assertThat(URI.create(f.get("_schemaURL").asText()).isAbsolute()).isTrue();
            });
            assertThat(e.at("/job/facets/jobType/processingType").asText()).isEqualTo("BATCH");
        }
    }

    @Nested
    @DisplayName("list as inputs")
    class Inputs {
        @Test
        @DisplayName("the dataset snapshots with namespace and name from the URI and the exact version in the version facet")
        void snapshots() throws Exception {
            JsonNode first = event().get("inputs").get(0);

            assertThat(first.get("namespace").asText()).isEqualTo("s3://lake");
            assertThat(first.get("name").asText()).isEqualTo("transactions");
            assertThat(first.at("/facets/version/datasetVersion").asText()).isEqualTo("git:a1b2c3");
            assertThat(first.at("/facets/modelRegistry/role").asText()).isEqualTo("training");
            assertThat(first.at("/facets/modelRegistry/datasetRef").asText()).isEqualTo(TRANSACTIONS.id());
        }

        @Test
        @DisplayName("a query-as-of snapshot under the event's namespace, with its query")
        void query() throws Exception {
            JsonNode second = event().get("inputs").get(1);

            assertThat(second.get("namespace").asText()).isEqualTo("model-registry");
            assertThat(second.get("name").asText()).isEqualTo("warehouse.sales");
            assertThat(second.at("/facets/modelRegistry/query").asText()).isEqualTo("select * from orders");
        }

        @Test
        @DisplayName("evaluation sets, marked as such, and parent versions with their relation")
        void evaluationAndParents() throws Exception {
            JsonNode inputs = event().get("inputs");

            assertThat(inputs).hasSize(4);
            assertThat(inputs.get(2).at("/facets/modelRegistry/role").asText()).isEqualTo("evaluation");
            assertThat(inputs.get(3).get("name").asText()).isEqualTo("fraud-base");
            assertThat(inputs.get(3).at("/facets/version/datasetVersion").asText()).isEqualTo("1.0.0");
            assertThat(inputs.get(3).at("/facets/modelRegistry/relation").asText()).isEqualTo("fine-tune");
        }

        @Test
        @DisplayName("derive namespace and name like the OpenLineage naming conventions")
        void naming() {
            assertThat(OpenLineageEvents.location("s3://bucket/a/b.parquet", "ns")).containsExactly("s3://bucket", "a/b.parquet");
            assertThat(OpenLineageEvents.location("file:///data/x.csv", "ns")).containsExactly("file", "/data/x.csv");
            assertThat(OpenLineageEvents.location("postgres://db:5432/shop.public.orders", "ns"))
                    .containsExactly("postgres://db:5432", "shop.public.orders");
            assertThat(OpenLineageEvents.location("not a uri", "ns")).containsExactly("ns", "not a uri");
        }
    }

    @Nested
    @DisplayName("describe the output")
    class Output {
        @Test
        @DisplayName("as the model version, with the registry fields in the custom facet")
        void registryFacet() throws Exception {
            JsonNode out = event().get("outputs").get(0);
            JsonNode f = out.at("/facets/modelRegistry");

            assertThat(out.get("namespace").asText()).isEqualTo("model-registry");
            assertThat(out.get("name").asText()).isEqualTo("fraud-eu");
            assertThat(out.at("/facets/version/datasetVersion").asText()).isEqualTo("1.2.0");
            assertThat(f.get("model").asText()).isEqualTo("fraud-eu");
            assertThat(f.get("author").asText()).isEqualTo("alice");
            assertThat(f.get("framework").asText()).isEqualTo("tribuo");
            assertThat(f.at("/artifacts/0/sha256").asText()).isEqualTo(DIGEST.hex());
            assertThat(f.at("/artifacts/0/size").isNumber()).isTrue();
            assertThat(f.at("/code/commit").asText()).isEqualTo("c0ffee");
            assertThat(f.at("/hyperparameters/depth").asInt()).isEqualTo(6);
            assertThat(f.at("/labels/team").asText()).isEqualTo("risk");
            assertThat(f.get("containerImageDigest").asText()).isEqualTo("sha256:aaaa");
            assertThat(f.has("stage")).isFalse();
        }

        @Test
        @DisplayName("with the training run in a run facet")
        void trainingRun() throws Exception {
            JsonNode t = event().at("/run/facets/modelRegistryTrainingRun");

            assertThat(t.get("trainingRunId").asText()).isEqualTo("run-17");
            assertThat(t.at("/parameters/epochs").asText()).isEqualTo("10");
        }
    }

    @Test
    @DisplayName("refuse a blank namespace")
    void blankNamespace() {
        assertThatThrownBy(() -> OpenLineageEvents.registrationEvent(version(), " ", TIME, RUN))
                .isInstanceOf(ValidationException.class).hasMessageContaining("namespace");
    }
}
