package dev.modelregistry;

import dev.modelregistry.internal.util.MessageText;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.modelregistry.GatePolicy.Transition;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Reads and writes gate policy documents. Reading walks a JSON tree by hand rather than binding it,
 * so that every refusal names its JSON Pointer and says what was expected, in words a policy author
 * can act on; writing lets Jackson serialise the {@link GateSpec} records, configured like the event
 * log's canonical form, so a policy stored in an event and a policy file look the same.
 */
final class PolicyCodec {
    private static final ObjectMapper WRITER = JsonMapper.builder()
            .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .enable(JsonNodeFeature.WRITE_PROPERTIES_SORTED)
            .enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER)
            .defaultPropertyInclusion(JsonInclude.Value.construct(JsonInclude.Include.NON_EMPTY, JsonInclude.Include.USE_DEFAULTS))
            .visibility(PropertyAccessor.IS_GETTER, JsonAutoDetect.Visibility.NONE)
            .build();

    /**
     * Duplicate keys are refused (a second "operator" silently winning is how policies go wrong);
     * NaN and Infinity are let through the parser only to be refused with their path.
     */
    private static final ObjectMapper READER = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    static {
        READER.getFactory().setStreamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64).build());
    }

    private static final Set<String> TOP_LEVEL = new TreeSet<>(List.of("version", "transitions"));

    /** Each gate type: the fields it accepts and how to build it from them. */
    private record GateType(Set<String> fields, Function<Fields, GateSpec> build) {
        GateType(List<String> fields, Function<Fields, GateSpec> build) {
            this(withType(fields), build);
        }

        private static Set<String> withType(List<String> fields) {
            Set<String> all = new TreeSet<>(fields);
            all.add("type");
            return all;
        }
    }

    private static final Map<String, GateType> TYPES = new TreeMap<>(Map.of(
            GateSpec.MetricThreshold.TYPE, new GateType(List.of("name", "metric", "operator", "value", "evaluationSet"),
                    f -> new GateSpec.MetricThreshold(f.optionalString("name"), f.string("metric"),
                            f.operator("operator"), f.number("value"), f.optionalString("evaluationSet"))),
            GateSpec.NoRegression.TYPE, new GateType(List.of("name", "metric", "tolerance", "higherIsBetter", "evaluationSet"),
                    f -> new GateSpec.NoRegression(f.optionalString("name"), f.string("metric"), f.number("tolerance"),
                            f.bool("higherIsBetter", true), f.optionalString("evaluationSet"))),
            GateSpec.Fairness.TYPE, new GateType(List.of("name", "metric", "slicePrefix", "maxGap", "evaluationSet"),
                    f -> new GateSpec.Fairness(f.optionalString("name"), f.string("metric"), f.string("slicePrefix"),
                            f.number("maxGap"), f.optionalString("evaluationSet"))),
            GateSpec.ArtifactSize.TYPE, new GateType(List.of("name", "maxBytes"),
                    f -> new GateSpec.ArtifactSize(f.optionalString("name"), f.integer("maxBytes"))),
            GateSpec.OperationalBudget.TYPE, new GateType(List.of("name", "figure", "max", "evaluationSet"),
                    f -> new GateSpec.OperationalBudget(f.optionalString("name"), f.string("figure"), f.number("max"),
                            f.optionalString("evaluationSet"))),
            GateSpec.BusinessKpi.TYPE, new GateType(List.of("name", "kpi", "operator", "value", "evaluationSet"),
                    f -> new GateSpec.BusinessKpi(f.optionalString("name"), f.string("kpi"), f.operator("operator"),
                            f.number("value"), f.optionalString("evaluationSet"))),
            GateSpec.Documentation.TYPE, new GateType(List.of("name", "modelCardSections", "requireFeatureList", "requireDatasetLineage"),
                    f -> new GateSpec.Documentation(f.optionalString("name"), f.strings("modelCardSections"),
                            f.bool("requireFeatureList", false), f.bool("requireDatasetLineage", false))),
            GateSpec.ManualApproval.TYPE, new GateType(List.of("name", "approvals", "role", "distinctFromAuthor", "distinctFromRequester"),
                    f -> new GateSpec.ManualApproval(f.optionalString("name"), f.intValue("approvals"), f.string("role"),
                            f.bool("distinctFromAuthor", true), f.bool("distinctFromRequester", false))),
            GateSpec.Custom.TYPE, new GateType(List.of("name"),
                    f -> new GateSpec.Custom(f.string("name")))));

    private PolicyCodec() {
    }

    /**
     * The written document. Its declared {@code List<GateSpec>} is what makes Jackson write each
     * gate's {@code type}: type ids follow declared types, so a gate inside an untyped map would lose it.
     */
    private record Document(int version, Map<String, List<GateSpec>> transitions) {
    }

    static String write(GatePolicy policy) {
        try {
            return WRITER.writeValueAsString(tree(policy));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A validated gate policy could not be written as JSON", e);
        }
    }

    /** The policy document as a tree; written with sorted properties it is the canonical text. */
    static JsonNode tree(GatePolicy policy) {
        Map<String, List<GateSpec>> transitions = new TreeMap<>();
        policy.transitions().forEach((t, gates) -> transitions.put(t.toString(), gates));
        return WRITER.valueToTree(new Document(GatePolicy.VERSION, transitions));
    }

    static GatePolicy read(String json) {
        if (json == null) {
            throw new PolicyException("", "the policy document is null");
        }
        JsonNode root;
        try {
            root = READER.readTree(json);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
            throw new PolicyException("", "malformed JSON" + where + ": " + e.getOriginalMessage());
        }
        return read(root);
    }

    static GatePolicy read(JsonNode root) {
        if (root == null || root.isMissingNode()) {
            throw new PolicyException("", "the policy document is empty");
        }
        if (!root.isObject()) {
            throw new PolicyException("", "a gate policy must be a JSON object, got " + describe(root));
        }
        refuseUnknown(root, "", TOP_LEVEL, "in a gate policy");
        JsonNode version = root.get("version");
        if (version == null) {
            throw new PolicyException("/version", "missing required field; expected " + GatePolicy.VERSION);
        }
        if (!version.canConvertToExactIntegral() || version.asLong() != GatePolicy.VERSION) {
            throw new PolicyException("/version", "unsupported version " + describe(version)
                    + "; this library reads version " + GatePolicy.VERSION);
        }
        JsonNode transitions = root.get("transitions");
        if (transitions == null) {
            return GatePolicy.empty();
        }
        if (!transitions.isObject()) {
            throw new PolicyException("/transitions", "expected an object mapping FROM->TO to lists of gates, got "
                    + describe(transitions));
        }
        Map<Transition, String> keys = new LinkedHashMap<>();
        GatePolicy.Builder builder = GatePolicy.builder();
        for (Map.Entry<String, JsonNode> entry : transitions.properties()) {
            String path = "/transitions/" + GatePolicy.pointer(entry.getKey());
            Transition transition;
            try {
                transition = Transition.parse(entry.getKey());
            } catch (PolicyException e) {
                throw e.under(path);
            }
            String earlier = keys.putIfAbsent(transition, entry.getKey());
            if (earlier != null) {
                throw new PolicyException(path, "transition " + transition + " is given twice (also as "
                        + MessageText.quote(earlier) + ")");
            }
            builder.transition(transition.from(), transition.to(), gates(entry.getValue(), path));
        }
        return builder.build();
    }

    private static List<GateSpec> gates(JsonNode node, String path) {
        if (!node.isArray()) {
            throw new PolicyException(path, "expected an array of gates, got " + describe(node));
        }
        List<GateSpec> gates = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            gates.add(gate(node.get(i), path + "/" + i));
        }
        GatePolicy.checkGates(path, gates);
        return gates;
    }

    private static GateSpec gate(JsonNode node, String path) {
        if (!node.isObject()) {
            throw new PolicyException(path, "expected a gate object with a \"type\", got " + describe(node));
        }
        JsonNode typeNode = node.get("type");
        if (typeNode == null) {
            throw new PolicyException(path + "/type", "missing required field; known types: " + String.join(", ", TYPES.keySet()));
        }
        if (!typeNode.isTextual()) {
            throw new PolicyException(path + "/type", "expected a string naming the gate type, got " + describe(typeNode));
        }
        GateType type = TYPES.get(typeNode.textValue());
        if (type == null) {
            throw new PolicyException(path + "/type", "unknown gate type " + MessageText.quote(typeNode.textValue())
                    + "; known types: " + String.join(", ", TYPES.keySet()));
        }
        refuseUnknown(node, path, type.fields(), "in a " + typeNode.textValue() + " gate");
        try {
            return type.build().apply(new Fields((ObjectNode) node));
        } catch (PolicyException e) {
            throw e.under(path);
        }
    }

    private static void refuseUnknown(JsonNode node, String path, Set<String> known, String where) {
        for (Map.Entry<String, JsonNode> field : node.properties()) {
            String name = field.getKey();
            if (!known.contains(name)) {
                throw new PolicyException(path + "/" + GatePolicy.pointer(name), "unknown field " + MessageText.quote(name)
                        + " " + where + "; known fields: " + String.join(", ", known));
            }
        }
    }

    /** A JSON value for a message: its kind, and the value itself when it is short. */
    static String describe(JsonNode node) {
        if (node.isNull()) {
            return "null";
        }
        if (node.isTextual()) {
            return "string " + MessageText.quote(node.textValue());
        }
        if (node.isNumber()) {
            return "number " + node.asText();
        }
        if (node.isBoolean()) {
            return "boolean " + node.asText();
        }
        return node.isArray() ? "an array" : "an object";
    }

    /**
     * The fields of one gate object. Problems are reported relative to the gate ({@code /operator});
     * {@link #gate} puts the gate's own path in front.
     */
    private record Fields(ObjectNode node) {

        String string(String field) {
            String value = optionalString(field);
            if (value == null) {
                throw new PolicyException("/" + field, "missing required field");
            }
            return value;
        }

        String optionalString(String field) {
            JsonNode value = node.get(field);
            if (value == null) {
                return null;
            }
            if (!value.isTextual()) {
                throw new PolicyException("/" + field, "expected a string, got " + describe(value));
            }
            return value.textValue();
        }

        double number(String field) {
            JsonNode value = required(field);
            if (!value.isNumber()) {
                throw new PolicyException("/" + field, "expected a number, got " + describe(value));
            }
            if (!Double.isFinite(value.doubleValue())) {
                throw new PolicyException("/" + field, "must be a finite number, got " + value.asText());
            }
            return value.doubleValue();
        }

        long integer(String field) {
            JsonNode value = required(field);
            if (!value.isNumber() || !value.canConvertToExactIntegral()) {
                throw new PolicyException("/" + field, "expected an integer, got " + describe(value));
            }
            if (!value.canConvertToLong()) {
                throw new PolicyException("/" + field, "integer " + value.asText() + " is out of range");
            }
            return value.asLong();
        }

        int intValue(String field) {
            long value = integer(field);
            if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
                throw new PolicyException("/" + field, "integer " + value + " is out of range");
            }
            return (int) value;
        }

        boolean bool(String field, boolean absent) {
            JsonNode value = node.get(field);
            if (value == null) {
                return absent;
            }
            if (!value.isBoolean()) {
                throw new PolicyException("/" + field, "expected true or false, got " + describe(value));
            }
            return value.booleanValue();
        }

        Comparison operator(String field) {
            JsonNode value = required(field);
            if (!value.isTextual()) {
                throw new PolicyException("/" + field, "expected an operator string (one of " + Comparison.symbols()
                        + "), got " + describe(value));
            }
            try {
                return Comparison.fromSymbol(value.textValue());
            } catch (PolicyException e) {
                throw e.under("/" + field);
            }
        }

        List<String> strings(String field) {
            JsonNode value = node.get(field);
            if (value == null) {
                return List.of();
            }
            if (!value.isArray()) {
                throw new PolicyException("/" + field, "expected an array of strings, got " + describe(value));
            }
            List<String> out = new ArrayList<>();
            for (int i = 0; i < value.size(); i++) {
                JsonNode item = value.get(i);
                if (!item.isTextual()) {
                    throw new PolicyException("/" + field + "/" + i, "expected a string, got " + describe(item));
                }
                out.add(item.textValue());
            }
            return out;
        }

        private JsonNode required(String field) {
            JsonNode value = node.get(field);
            if (value == null) {
                throw new PolicyException("/" + field, "missing required field");
            }
            return value;
        }
    }
}
