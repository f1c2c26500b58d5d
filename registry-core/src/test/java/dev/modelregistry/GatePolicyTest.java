package dev.modelregistry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

@DisplayName("A gate policy")
class GatePolicyTest {
    private static final String P = "/transitions/STAGING->PRODUCTION";

    /** Every built-in type with non-default settings, so a round trip exercises every field. */
    static GatePolicy everyGate() {
        return GatePolicy.builder()
                .transition(Stage.STAGING, Stage.PRODUCTION,
                        Gates.metricThreshold("auc", Comparison.AT_LEAST, 0.85).on("s3://data/holdout@v3"),
                        Gates.metricThreshold("error_rate", Comparison.LESS_THAN, 0.1).withName("errors"),
                        Gates.noRegression("log_loss", 0.005).lowerIsBetter().on("s3://data/holdout@v3"),
                        Gates.fairness("tpr", "gender:", 0.05).on("s3://data/holdout@v3"),
                        Gates.artifactSize(500_000_000L),
                        Gates.operationalBudget("latency_p99_ms", 25).on("s3://data/holdout@v3"),
                        Gates.businessKpi("revenue_uplift", Comparison.GREATER_THAN, 0.0),
                        Gates.documentation("intended-use", "limitations").withFeatureList().withDatasetLineage(),
                        Gates.manualApproval(2, "approver").withDistinctFromAuthor(false).withDistinctFromRequester(true),
                        Gates.custom("bias-audit"))
                .transition(Stage.NONE, Stage.STAGING, Gates.documentation().withFeatureList())
                .transition(Stage.ARCHIVED, Stage.STAGING)
                .build();
    }

    @Nested
    @DisplayName("built in Java")
    class BuiltInJava {

        @Test
        @DisplayName("lists the gates of each transition in order, and none for a transition it does not mention")
        void gatesFor() {
            GatePolicy policy = everyGate();

            assertThat(policy.gatesFor(Stage.STAGING, Stage.PRODUCTION)).extracting(GateSpec::name).containsExactly(
                    "metric-threshold", "errors", "no-regression", "fairness", "artifact-size", "operational-budget",
                    "business-kpi", "documentation", "manual-approval", "bias-audit");
            assertThat(policy.gatesFor(Stage.NONE, Stage.STAGING)).hasSize(1);
            assertThat(policy.gatesFor(Stage.ARCHIVED, Stage.STAGING)).isEmpty();
            assertThat(policy.transitions().keySet()).extracting(Object::toString)
                    .containsExactly("NONE->STAGING", "STAGING->PRODUCTION");
            assertThat(policy.gatesFor(Stage.PRODUCTION, Stage.ARCHIVED)).isEmpty();
            assertThat(GatePolicy.empty().gatesFor(Stage.STAGING, Stage.PRODUCTION)).isEmpty();
        }

        @Test
        @DisplayName("names the custom gates it refers to")
        void customGateNames() {
            assertThat(everyGate().customGateNames()).containsExactly("bias-audit");
            assertThat(GatePolicy.empty().customGateNames()).isEmpty();
        }

        @Test
        @DisplayName("refuses two gates with one name in a transition, at the call")
        void duplicateNames() {
            GatePolicy.Builder builder = GatePolicy.builder();

            assertThatThrownBy(() -> builder.transition(Stage.STAGING, Stage.PRODUCTION,
                    Gates.artifactSize(1), Gates.manualApproval(1, "approver"), Gates.artifactSize(2)))
                    .isInstanceOf(PolicyException.class)
                    .hasMessage(P + "/2/name: duplicate gate name \"artifact-size\" (also gate 0); "
                            + "give each gate of a transition its own name");
        }

        @Test
        @DisplayName("refuses a transition given twice, one that does not change stage, and null gates")
        void badTransitions() {
            GatePolicy.Builder builder = GatePolicy.builder().transition(Stage.STAGING, Stage.PRODUCTION);

            assertThatThrownBy(() -> builder.transition(Stage.STAGING, Stage.PRODUCTION, Gates.artifactSize(1)))
                    .hasMessage(P + ": transition STAGING->PRODUCTION is already defined in this policy");
            assertThatThrownBy(() -> builder.transition(Stage.STAGING, Stage.STAGING))
                    .hasMessage("transition STAGING->STAGING does not change stage");
            assertThatThrownBy(() -> builder.transition(Stage.NONE, Stage.STAGING, (GateSpec) null))
                    .hasMessage("/transitions/NONE->STAGING/0: a gate must not be null");
        }

        @Test
        @DisplayName("refuses invalid gate settings with a message naming the gate, the field and the value")
        void invalidSpecs() {
            assertThatThrownBy(() -> Gates.noRegression("auc", -0.5))
                    .isInstanceOf(PolicyException.class).isInstanceOf(ValidationException.class)
                    .hasMessage("no-regression gate: tolerance must not be negative, was -0.5");
            assertThatThrownBy(() -> Gates.manualApproval(0, "approver"))
                    .hasMessage("manual-approval gate: approvals must be at least 1, was 0");
            assertThatThrownBy(() -> Gates.metricThreshold("auc", Comparison.AT_LEAST, Double.NaN))
                    .hasMessage("metric-threshold gate: value must be a finite number, was NaN");
            assertThatThrownBy(() -> Gates.metricThreshold("auc", Comparison.AT_LEAST, 0.8).on("holdout"))
                    .hasMessage("metric-threshold gate: evaluationSet must be a dataset id uri@version such as "
                            + "\"s3://data/holdout@v3\", was \"holdout\"");
            assertThatThrownBy(() -> Gates.fairness(" ", "gender:", 0.1))
                    .hasMessage("fairness gate: metric must not be blank");
            assertThatThrownBy(() -> Gates.documentation("limitations", "Limitations"))
                    .hasMessage("documentation gate: modelCardSections/1 names section \"Limitations\" twice "
                            + "(section names are case-insensitive)");
            assertThatThrownBy(() -> Comparison.fromSymbol("=>"))
                    .hasMessage("unknown operator \"=>\"; expected one of >=, >, <=, <, ==");
        }

        @Test
        @DisplayName("gives a gate its type as its name unless named")
        void defaultNames() {
            assertThat(Gates.fairness("tpr", "gender:", 0.1).name()).isEqualTo("fairness");
            assertThat(Gates.fairness("tpr", "gender:", 0.1).withName("gender-tpr").name()).isEqualTo("gender-tpr");
            assertThat(Gates.custom("bias-audit").name()).isEqualTo("bias-audit");
        }
    }

    @Nested
    @DisplayName("as JSON")
    class AsJson {

        @Test
        @DisplayName("reads the documented example, filling in names and defaults")
        void example() {
            GatePolicy policy = GatePolicy.fromJson("""
                    {"version": 1, "transitions": {"STAGING->PRODUCTION": [
                      {"type":"metric-threshold","metric":"auc","operator":">=","value":0.85,"evaluationSet":"s3://data/holdout@v3"},
                      {"type":"no-regression","metric":"auc","tolerance":0.01},
                      {"type":"manual-approval","approvals":1,"role":"approver"} ]}}
                    """);

            assertThat(policy.gatesFor(Stage.STAGING, Stage.PRODUCTION)).containsExactly(
                    new GateSpec.MetricThreshold("metric-threshold", "auc", Comparison.AT_LEAST, 0.85, "s3://data/holdout@v3"),
                    new GateSpec.NoRegression("no-regression", "auc", 0.01, true, ""),
                    new GateSpec.ManualApproval("manual-approval", 1, "approver", true, false));
        }

        @Test
        @DisplayName("round-trips: reading what it wrote gives an equal policy and the same text")
        void roundTrip() {
            GatePolicy policy = everyGate();

            GatePolicy back = GatePolicy.fromJson(policy.toJson());

            assertThat(back).isEqualTo(policy).hasSameHashCodeAs(policy);
            assertThat(back.toJson()).isEqualTo(policy.toJson());
            assertThat(back.gatesFor(Stage.STAGING, Stage.PRODUCTION))
                    .isEqualTo(policy.gatesFor(Stage.STAGING, Stage.PRODUCTION));
            assertThat(GatePolicy.fromJson(GatePolicy.empty().toJson())).isEqualTo(GatePolicy.empty());
        }

        @Test
        @DisplayName("is canonical: sorted keys, no whitespace, defaults written out, the same whatever the build order")
        void canonical() {
            GatePolicy a = GatePolicy.builder()
                    .transition(Stage.STAGING, Stage.PRODUCTION, Gates.manualApproval(1, "approver"))
                    .transition(Stage.NONE, Stage.STAGING, Gates.artifactSize(1000))
                    .build();
            GatePolicy b = GatePolicy.builder()
                    .transition(Stage.NONE, Stage.STAGING, Gates.artifactSize(1000))
                    .transition(Stage.STAGING, Stage.PRODUCTION, Gates.manualApproval(1, "approver"))
                    .build();

            assertThat(a.toJson()).isEqualTo(b.toJson()).isEqualTo("{\"transitions\":{"
                    + "\"NONE->STAGING\":[{\"maxBytes\":1000,\"name\":\"artifact-size\",\"type\":\"artifact-size\"}],"
                    + "\"STAGING->PRODUCTION\":[{\"approvals\":1,\"distinctFromAuthor\":true,\"distinctFromRequester\":false,"
                    + "\"name\":\"manual-approval\",\"role\":\"approver\",\"type\":\"manual-approval\"}]},\"version\":1}");
            assertThat(a).isEqualTo(b);
        }

        @Test
        @DisplayName("accepts stage names in any case and writes them in upper case")
        void stageCase() {
            GatePolicy policy = GatePolicy.fromJson(json("{'version':1,'transitions':{'staging->production':"
                    + "[{'type':'custom','name':'audit'}]}}"));

            assertThat(policy.transitions()).containsOnlyKeys(new GatePolicy.Transition(Stage.STAGING, Stage.PRODUCTION));
            assertThat(policy.toJson()).contains("\"STAGING->PRODUCTION\":[{");
        }

        @Test
        @DisplayName("gate specs are Jackson-serialisable with the log's canonical settings, type names included")
        void jacksonBinding() throws Exception {
            ObjectMapper canonical = JsonMapper.builder()
                    .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
                    .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
                    .enable(JsonNodeFeature.WRITE_PROPERTIES_SORTED)
                    .serializationInclusion(JsonInclude.Include.NON_EMPTY)
                    .visibility(PropertyAccessor.IS_GETTER, JsonAutoDetect.Visibility.NONE)
                    .build();
            List<GateSpec> gates = everyGate().gatesFor(Stage.STAGING, Stage.PRODUCTION);

            String json = canonical.writerFor(new TypeReference<List<GateSpec>>() { }).writeValueAsString(gates);
            List<GateSpec> back = canonical.readValue(json, new TypeReference<List<GateSpec>>() { });

            assertThat(back).isEqualTo(gates);
            assertThat(canonical.writeValueAsString(gates.get(0))).isEqualTo("{\"type\":\"metric-threshold\","
                    + "\"evaluationSet\":\"s3://data/holdout@v3\",\"metric\":\"auc\",\"name\":\"metric-threshold\","
                    + "\"operator\":\">=\",\"value\":0.85}");
        }

        @Test
        @DisplayName("a whole policy binds with Jackson as its canonical document, validated on the way in")
        void jacksonPolicy() throws Exception {
            ObjectMapper canonical = JsonMapper.builder()
                    .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
                    .enable(JsonNodeFeature.WRITE_PROPERTIES_SORTED)
                    .build();
            record PolicyChanged(String reason, GatePolicy policy) { }
            GatePolicy policy = everyGate();

            String json = canonical.writeValueAsString(new PolicyChanged("tighten auc", policy));
            PolicyChanged back = canonical.readValue(json, PolicyChanged.class);

            assertThat(json).isEqualTo("{\"policy\":" + policy.toJson() + ",\"reason\":\"tighten auc\"}");
            assertThat(back.policy()).isEqualTo(policy);
            assertThatThrownBy(() -> canonical.readValue("{\"policy\":{\"version\":2},\"reason\":\"x\"}", PolicyChanged.class))
                    .hasRootCauseInstanceOf(PolicyException.class)
                    .hasRootCauseMessage("/version: unsupported version number 2; this library reads version 1");
        }

        @Test
        @DisplayName("names the JSON path of a bad operator, as in the documentation")
        void operatorMessage() {
            assertThatThrownBy(() -> GatePolicy.fromJson(doc("{'type':'metric-threshold','metric':'auc','operator':'=>','value':0.85}")))
                    .isInstanceOf(PolicyException.class)
                    .hasMessage("/transitions/STAGING->PRODUCTION/0/operator: unknown operator \"=>\"; "
                            + "expected one of >=, >, <=, <, ==");
        }

        @ParameterizedTest(name = "[{index}] {0}")
        @DisplayName("refuses a malformed document with the path of the problem")
        @MethodSource("dev.modelregistry.GatePolicyTest#malformed")
        void malformed(String description, String json, String path, String problem) {
            assertThatThrownBy(() -> GatePolicy.fromJson(json))
                    .isInstanceOfSatisfying(PolicyException.class, e -> {
                        assertThat(e.path()).isEqualTo(path);
                        assertThat(e.getMessage()).startsWith(path.isEmpty() ? problem : path + ": " + problem);
                    });
        }
    }

    /** A policy document with the given gates on STAGING->PRODUCTION; single quotes stand for double quotes. */
    static String doc(String gates) {
        return ("{'version':1,'transitions':{'STAGING->PRODUCTION':[" + gates + "]}}").replace('\'', '"');
    }

    static String json(String text) {
        return text.replace('\'', '"');
    }

    static Stream<Arguments> malformed() {
        String mt = "'type':'metric-threshold','metric':'auc','operator':'>=','value':0.85";
        return Stream.of(
                arguments("truncated JSON", "{\"version\":1,", "", "malformed JSON at line 1, column 14"),
                arguments("a syntax error on line 3", "{\n  \"version\": 1,\n  \"transitions\": {,}\n}", "",
                        "malformed JSON at line 3, column 19"),
                arguments("trailing content", json("{'version':1} {}"), "", "malformed JSON at line 1, column 15"),
                arguments("a duplicate key", json("{'version':1,'version':1}"), "", "malformed JSON at line 1, column 23: Duplicate field 'version'"),
                arguments("an empty document", "  ", "", "the policy document is empty"),
                arguments("an array at the root", "[]", "", "a gate policy must be a JSON object, got an array"),
                arguments("an unknown top-level field", json("{'version':1,'transitons':{}}"), "/transitons",
                        "unknown field \"transitons\" in a gate policy; known fields: transitions, version"),
                arguments("a missing version", json("{'transitions':{}}"), "/version", "missing required field; expected 1"),
                arguments("an unsupported version", json("{'version':2,'transitions':{}}"), "/version",
                        "unsupported version number 2; this library reads version 1"),
                arguments("a version written as a string", json("{'version':'1'}"), "/version",
                        "unsupported version string \"1\""),
                arguments("transitions that are not an object", json("{'version':1,'transitions':[]}"), "/transitions",
                        "expected an object mapping FROM->TO to lists of gates, got an array"),
                arguments("a transition key without an arrow", json("{'version':1,'transitions':{'STAGING=>PRODUCTION':[]}}"),
                        "/transitions/STAGING=>PRODUCTION",
                        "invalid transition \"STAGING=>PRODUCTION\"; expected FROM->TO, e.g. STAGING->PRODUCTION"),
                arguments("a transition key with two arrows", json("{'version':1,'transitions':{'A->B->C':[]}}"),
                        "/transitions/A->B->C", "invalid transition \"A->B->C\"; expected FROM->TO"),
                arguments("an invalid stage name", json("{'version':1,'transitions':{'STAGING->PROD UCTION':[]}}"),
                        "/transitions/STAGING->PROD UCTION", "invalid transition \"STAGING->PROD UCTION\": Invalid stage name"),
                arguments("a slash in a transition key, escaped in the path", json("{'version':1,'transitions':{'A/B->C':[]}}"),
                        "/transitions/A~1B->C", "invalid transition \"A/B->C\""),
                arguments("a transition that does not change stage", json("{'version':1,'transitions':{'STAGING->staging':[]}}"),
                        "/transitions/STAGING->staging", "transition STAGING->STAGING does not change stage"),
                arguments("one transition given twice in different case",
                        json("{'version':1,'transitions':{'staging->production':[],'STAGING->PRODUCTION':[]}}"),
                        P, "transition STAGING->PRODUCTION is given twice (also as \"staging->production\")"),
                arguments("gates that are not an array", json("{'version':1,'transitions':{'STAGING->PRODUCTION':{}}}"),
                        P, "expected an array of gates, got an object"),
                arguments("a gate that is not an object", doc("'auc >= 0.85'"), P + "/0",
                        "expected a gate object with a \"type\", got string \"auc >= 0.85\""),
                arguments("a gate without a type", doc("{'metric':'auc'}"), P + "/0/type",
                        "missing required field; known types: artifact-size, business-kpi, custom, documentation, "
                                + "fairness, manual-approval, metric-threshold, no-regression, operational-budget"),
                arguments("an unknown gate type", doc("{'type':'metric_threshold'}"), P + "/0/type",
                        "unknown gate type \"metric_threshold\"; known types: artifact-size, business-kpi, custom, "
                                + "documentation, fairness, manual-approval, metric-threshold, no-regression, operational-budget"),
                arguments("a type that is not a string", doc("{'type':3}"), P + "/0/type",
                        "expected a string naming the gate type, got number 3"),
                arguments("an unknown field in a gate", doc("{" + mt + ",'treshold':0.9}"), P + "/0/treshold",
                        "unknown field \"treshold\" in a metric-threshold gate; known fields: evaluationSet, metric, name, "
                                + "operator, type, value"),
                arguments("a missing metric", doc("{'type':'metric-threshold','operator':'>=','value':0.85}"),
                        P + "/0/metric", "missing required field"),
                arguments("a blank metric", doc("{'type':'metric-threshold','metric':' ','operator':'>=','value':0.85}"),
                        P + "/0/metric", "must not be blank"),
                arguments("a bad operator", doc("{'type':'metric-threshold','metric':'auc','operator':'=>','value':0.85}"),
                        P + "/0/operator", "unknown operator \"=>\"; expected one of >=, >, <=, <, =="),
                arguments("an operator that is not a string", doc("{'type':'business-kpi','kpi':'uplift','operator':1,'value':0}"),
                        P + "/0/operator", "expected an operator string (one of >=, >, <=, <, ==), got number 1"),
                arguments("a missing operator", doc("{'type':'metric-threshold','metric':'auc','value':0.85}"),
                        P + "/0/operator", "missing required field"),
                arguments("a threshold written as a string", doc("{'type':'metric-threshold','metric':'auc','operator':'>=','value':'0.85'}"),
                        P + "/0/value", "expected a number, got string \"0.85\""),
                arguments("a NaN threshold", doc("{'type':'metric-threshold','metric':'auc','operator':'>=','value':NaN}"),
                        P + "/0/value", "must be a finite number, got NaN"),
                arguments("an infinite budget", doc("{'type':'operational-budget','figure':'latency_p99_ms','max':Infinity}"),
                        P + "/0/max", "must be a finite number, got Infinity"),
                arguments("a number too large for a double", doc("{'type':'fairness','metric':'tpr','slicePrefix':'gender:','maxGap':1e999}"),
                        P + "/0/maxGap", "must be a finite number"),
                arguments("a null evaluation set", doc("{" + mt + ",'evaluationSet':null}"), P + "/0/evaluationSet",
                        "expected a string, got null"),
                arguments("an evaluation set without a version", doc("{" + mt + ",'evaluationSet':'s3://data/holdout'}"),
                        P + "/0/evaluationSet", "must be a dataset id uri@version"),
                arguments("a negative tolerance", doc("{'type':'no-regression','metric':'auc','tolerance':-0.01}"),
                        P + "/0/tolerance", "must not be negative, was -0.01"),
                arguments("higherIsBetter that is not a boolean", doc("{'type':'no-regression','metric':'auc','tolerance':0,'higherIsBetter':'yes'}"),
                        P + "/0/higherIsBetter", "expected true or false, got string \"yes\""),
                arguments("a negative gap bound", doc("{'type':'fairness','metric':'tpr','slicePrefix':'gender:','maxGap':-1}"),
                        P + "/0/maxGap", "must not be negative, was -1"),
                arguments("a missing slice prefix", doc("{'type':'fairness','metric':'tpr','maxGap':0.1}"),
                        P + "/0/slicePrefix", "missing required field"),
                arguments("negative maxBytes", doc("{'type':'artifact-size','maxBytes':-1}"), P + "/0/maxBytes",
                        "must not be negative, was -1"),
                arguments("fractional maxBytes", doc("{'type':'artifact-size','maxBytes':1.5}"), P + "/0/maxBytes",
                        "expected an integer, got number 1.5"),
                arguments("maxBytes beyond a long", doc("{'type':'artifact-size','maxBytes':99999999999999999999}"),
                        P + "/0/maxBytes", "integer 99999999999999999999 is out of range"),
                arguments("zero approvals", doc("{'type':'manual-approval','approvals':0,'role':'approver'}"),
                        P + "/0/approvals", "must be at least 1, was 0"),
                arguments("approvals written as a word", doc("{'type':'manual-approval','approvals':'two','role':'approver'}"),
                        P + "/0/approvals", "expected an integer, got string \"two\""),
                arguments("a manual approval without a role", doc("{'type':'manual-approval','approvals':1}"),
                        P + "/0/role", "missing required field"),
                arguments("model card sections that are not a list", doc("{'type':'documentation','modelCardSections':'limitations'}"),
                        P + "/0/modelCardSections", "expected an array of strings, got string \"limitations\""),
                arguments("a model card section that is not a string", doc("{'type':'documentation','modelCardSections':['limitations',7]}"),
                        P + "/0/modelCardSections/1", "expected a string, got number 7"),
                arguments("a custom gate without a name", doc("{'type':'custom'}"), P + "/0/name", "missing required field"),
                arguments("two gates of one type without names", doc("{'type':'artifact-size','maxBytes':1},{'type':'artifact-size','maxBytes':2}"),
                        P + "/1/name", "duplicate gate name \"artifact-size\" (also gate 0)"),
                arguments("two gates named alike", doc("{'type':'artifact-size','maxBytes':1,'name':'size'},{'type':'custom','name':'x'},"
                        + "{'type':'fairness','name':'size','metric':'tpr','slicePrefix':'g:','maxGap':0.1}"),
                        P + "/2/name", "duplicate gate name \"size\" (also gate 0)"),
                arguments("a problem in a later transition", json("{'version':1,'transitions':{'STAGING->PRODUCTION':[],"
                        + "'NONE->STAGING':[{'type':'custom','name':'a'},{'type':'manual-approval','approvals':1,'role':'approver','extra':1}]}}"),
                        "/transitions/NONE->STAGING/1/extra", "unknown field \"extra\" in a manual-approval gate"),
                arguments("null as a document", "null", "", "a gate policy must be a JSON object, got null"));
    }
}
