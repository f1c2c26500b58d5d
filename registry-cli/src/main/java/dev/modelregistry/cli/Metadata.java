package dev.modelregistry.cli;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.modelregistry.Bump;
import dev.modelregistry.DatasetRef;
import dev.modelregistry.ModelCard;
import dev.modelregistry.Registration;
import dev.modelregistry.SemVer;
import dev.modelregistry.Signature;
import dev.modelregistry.ValidationException;
import dev.modelregistry.internal.util.MessageText;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * The metadata file of {@code register}: a JSON object whose fields map one to one onto
 * {@link Registration.Builder} calls, so every value is validated by the library, with its message.
 * The file is read completely before anything is stored; an unknown field, a value of the wrong
 * type or malformed JSON is a {@link ValidationException} naming the file and the field.
 *
 * <pre>{@code
 * {"model": "fraud-detector", "version": "1.5.0", "tags": ["fraud-detector-2023-10-27"],
 *  "framework": "tribuo", "frameworkVersion": "4.3.1", "metrics": {"auc": 0.912},
 *  "hyperparameters": {"learningRate": 0.05}, "signature": {"inputs": [{"name": "amount", "type": "double"}],
 *  "outputs": [{"name": "fraud_probability", "type": "double"}]},
 *  "datasets": ["s3://data/transactions@git:3f2c1e0"], "code": {"repository": "https://git.example.org/risk/fraud",
 *  "commit": "9b1d2aa", "script": "train/Train.java"}, "modelCard": {"intendedUse": "…"}, "reason": "nightly retrain"}
 * }</pre>
 */
final class Metadata {
    static final Set<String> FIELDS = Set.of("model", "version", "bump", "tags", "framework", "frameworkVersion",
            "hyperparameters", "signature", "metrics", "datasets", "evaluationSets", "trainingRun", "code",
            "containerImage", "environmentFile", "parents", "description", "labels", "modelCard", "reason");

    private static final ObjectMapper STRICT = JsonMapper.builder()
            .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .build();

    private static final Set<String> SIGNATURE_FIELDS = Set.of("inputs", "outputs");
    private static final Set<String> RUN_FIELDS = Set.of("id", "start", "end", "parameters");
    private static final Set<String> CODE_FIELDS = Set.of("repository", "commit", "script");
    private static final Set<String> PARENT_FIELDS = Set.of("model", "version", "relation");

    private final String source;
    private final JsonNode root;

    private Metadata(String source, JsonNode root) {
        this.source = source;
        this.root = root;
    }

    /** Parses the text of {@code source}; only the JSON shape is checked here, values when applied. */
    static Metadata parse(String source, String json) {
        JsonNode root;
        try {
            root = STRICT.readTree(json);
        } catch (JsonParseException e) {
            throw new ValidationException("Malformed JSON in " + source + " at line " + e.getLocation().getLineNr()
                    + ", column " + e.getLocation().getColumnNr() + ": " + e.getOriginalMessage());
        } catch (JsonProcessingException e) {
            throw new ValidationException("Malformed JSON in " + source + ": " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw new ValidationException("Metadata in " + source + " must be a JSON object, was " + (root == null || root.isMissingNode()
                    ? "empty" : root.getNodeType().name().toLowerCase(Locale.ROOT)));
        }
        for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            String field = it.next();
            if (!FIELDS.contains(field)) {
                throw new ValidationException("Unknown field " + MessageText.quote(field) + " in " + source + "; known fields: "
                        + new java.util.TreeSet<>(FIELDS));
            }
        }
        return new Metadata(source, root);
    }

    static Metadata empty() {
        return new Metadata("(no metadata file)", STRICT.createObjectNode());
    }

    Optional<String> model() {
        return text("model");
    }

    Optional<String> version() {
        return text("version");
    }

    Optional<String> bump() {
        return text("bump");
    }

    Optional<String> reason() {
        return text("reason");
    }

    /** Everything but model, version, bump and reason, onto {@code b}; the library validates each value. */
    void applyTo(Registration.Builder b) {
        strings("tags").forEach(b::tag);
        if (root.has("framework") || root.has("frameworkVersion")) {
            b.framework(text("framework").orElse(""), text("frameworkVersion").orElse(""));
        }
        object("hyperparameters").forEach(b::hyperparameter);
        if (root.has("signature")) {
            JsonNode s = known("signature", objectNode("signature", root.get("signature")), SIGNATURE_FIELDS);
            b.signature(Signature.of(fields("signature.inputs", s.get("inputs")), fields("signature.outputs", s.get("outputs"))));
        }
        forEachField("metrics", (name, v) -> b.metric(name, number("metrics." + key(name), v)));
        datasets("datasets").forEach(b::dataset);
        datasets("evaluationSets").forEach(b::evaluationSet);
        if (root.has("trainingRun")) {
            JsonNode r = known("trainingRun", objectNode("trainingRun", root.get("trainingRun")), RUN_FIELDS);
            Map<String, String> parameters = new LinkedHashMap<>();
            if (r.has("parameters")) {
                objectNode("trainingRun.parameters", r.get("parameters")).properties()
                        .forEach(e -> parameters.put(e.getKey(), string("trainingRun.parameters." + key(e.getKey()), e.getValue())));
            }
            b.trainingRun(opt(r, "trainingRun", "id").orElse(""), instant(r, "start"), instant(r, "end"), parameters);
        }
        if (root.has("code")) {
            JsonNode c = known("code", objectNode("code", root.get("code")), CODE_FIELDS);
            b.code(opt(c, "code", "repository").orElse(""), opt(c, "code", "commit").orElse(""), opt(c, "code", "script").orElse(""));
        }
        text("containerImage").ifPresent(b::containerImage);
        text("environmentFile").ifPresent(b::environmentFile);
        for (JsonNode p : array("parents")) {
            JsonNode parent = known("parents[]", objectNode("parents[]", p), PARENT_FIELDS);
            b.parent(opt(parent, "parents[]", "model").orElse(""), SemVer.parse(opt(parent, "parents[]", "version").orElse("")),
                    opt(parent, "parents[]", "relation").orElse(""));
        }
        text("description").ifPresent(b::description);
        forEachField("labels", (k, v) -> b.label(k, string("labels." + key(k), v)));
        if (root.has("modelCard")) {
            b.modelCard(modelCard(objectNode("modelCard", root.get("modelCard"))));
        }
    }

    private ModelCard modelCard(JsonNode c) {
        ModelCard.Builder card = ModelCard.builder();
        opt(c, "modelCard", "intendedUse").ifPresent(card::intendedUse);
        opt(c, "modelCard", "limitations").ifPresent(card::limitations);
        opt(c, "modelCard", "ethicalConsiderations").ifPresent(card::ethicalConsiderations);
        opt(c, "modelCard", "trainingData").ifPresent(card::trainingData);
        opt(c, "modelCard", "evaluation").ifPresent(card::evaluation);
        if (c.has("owners")) {
            for (JsonNode o : arrayNode("modelCard.owners", c.get("owners"))) {
                card.owner(string("modelCard.owners[]", o));
            }
        }
        if (c.has("sections")) {
            objectNode("modelCard.sections", c.get("sections")).properties()
                    .forEach(e -> card.section(e.getKey(), string("modelCard.sections." + key(e.getKey()), e.getValue())));
        }
        known("modelCard", c, Set.of("intendedUse", "limitations", "ethicalConsiderations", "trainingData", "evaluation", "owners", "sections"));
        return card.build();
    }

    private List<Signature.Field> fields(String path, JsonNode node) {
        List<Signature.Field> out = new ArrayList<>();
        if (node == null) {
            return out;
        }
        for (JsonNode f : arrayNode(path, node)) {
            JsonNode field = known(path + "[]", objectNode(path + "[]", f), Set.of("name", "type", "hasDefault"));
            String name = opt(field, path, "name").orElse("");
            String type = opt(field, path, "type").orElse("");
            boolean hasDefault = field.has("hasDefault") && bool(path + "[].hasDefault", field.get("hasDefault"));
            out.add(new Signature.Field(name, type, hasDefault));
        }
        return out;
    }

    /** {@code "uri@version"}, or an object with {@code uri}, {@code version}, {@code contentHash}, {@code query}. */
    private List<DatasetRef> datasets(String field) {
        List<DatasetRef> out = new ArrayList<>();
        for (JsonNode d : array(field)) {
            if (d.isTextual()) {
                String id = d.asText();
                out.add(id.lastIndexOf('@') > 0 ? DatasetRef.parse(id) : DatasetRef.unversioned(id));
            } else {
                JsonNode o = known(field + "[]", objectNode(field + "[]", d), Set.of("uri", "version", "contentHash", "query"));
                out.add(new DatasetRef(opt(o, field, "uri").orElse(""), opt(o, field, "version").orElse(""),
                        opt(o, field, "contentHash").orElse(""), opt(o, field, "query").orElse("")));
            }
        }
        return out;
    }

    private Instant instant(JsonNode parent, String field) {
        Optional<String> text = opt(parent, "trainingRun", field);
        try {
            return text.map(Instant::parse).orElse(null);
        } catch (DateTimeParseException e) {
            throw invalid("trainingRun." + field, MessageText.quote(text.get()) + " is not an ISO-8601 instant such as 2026-11-26T09:00:00Z");
        }
    }

    private Optional<String> text(String field) {
        return root.has(field) ? Optional.of(string(field, root.get(field))) : Optional.empty();
    }

    private Optional<String> opt(JsonNode parent, String path, String field) {
        return parent.has(field) ? Optional.of(string(path + "." + field, parent.get(field))) : Optional.empty();
    }

    private List<String> strings(String field) {
        List<String> out = new ArrayList<>();
        for (JsonNode n : array(field)) {
            out.add(string(field + "[]", n));
        }
        return out;
    }

    private List<JsonNode> array(String field) {
        return root.has(field) ? arrayNode(field, root.get(field)) : List.of();
    }

    private Map<String, Object> object(String field) {
        Map<String, Object> out = new LinkedHashMap<>();
        if (root.has(field)) {
            objectNode(field, root.get(field)).properties().forEach(e -> out.put(e.getKey(), e.getValue()));
        }
        return out;
    }

    private void forEachField(String field, BiConsumer<String, JsonNode> action) {
        if (root.has(field)) {
            objectNode(field, root.get(field)).properties().forEach(e -> action.accept(e.getKey(), e.getValue()));
        }
    }

    private List<JsonNode> arrayNode(String path, JsonNode node) {
        if (!node.isArray()) {
            throw invalid(path, "must be an array, was " + kind(node));
        }
        List<JsonNode> out = new ArrayList<>();
        node.forEach(out::add);
        return out;
    }

    private JsonNode objectNode(String path, JsonNode node) {
        if (!node.isObject()) {
            throw invalid(path, "must be an object, was " + kind(node));
        }
        return node;
    }

    private String string(String path, JsonNode node) {
        if (!node.isTextual()) {
            throw invalid(path, "must be a string, was " + kind(node));
        }
        return node.asText();
    }

    private double number(String path, JsonNode node) {
        if (!node.isNumber()) {
            throw invalid(path, "must be a number, was " + kind(node));
        }
        return node.asDouble();
    }

    private boolean bool(String path, JsonNode node) {
        if (!node.isBoolean()) {
            throw invalid(path, "must be true or false, was " + kind(node));
        }
        return node.asBoolean();
    }

    /** The kind of a value, and the value itself when it is a scalar, quoted and cut to a readable length. */
    private static String kind(JsonNode node) {
        String type = node.getNodeType().name().toLowerCase(Locale.ROOT);
        if (node.isNull()) {
            return type;
        }
        if (node.isTextual()) {
            return type + " " + MessageText.quote(node.asText());
        }
        if (node.isValueNode()) {
            String value = node.toString();
            return type + " " + (value.length() > 64 ? value.substring(0, 64) + "...(" + value.length() + " chars)" : value);
        }
        return type;
    }

    /** A field of a nested object must be one the object has: a misspelt field is refused, not silently dropped. */
    private JsonNode known(String path, JsonNode node, Set<String> fields) {
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!fields.contains(f)) {
                throw invalid(path + "." + key(f), "is not a known field; known fields: " + new java.util.TreeSet<>(fields));
            }
        }
        return node;
    }

    /** A key from the file as part of a path in a message: as it is when it is a plain name, quoted otherwise. */
    private static String key(String name) {
        return name.matches("[A-Za-z0-9_.:-]{1,128}") ? name : MessageText.quote(name);
    }

    private ValidationException invalid(String path, String problem) {
        return new ValidationException("Invalid metadata in " + source + ": " + path + " " + problem);
    }

    /** The bump named in the file or on the command line. */
    static Bump bump(String text) {
        try {
            return Bump.valueOf(text.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ValidationException("Invalid bump " + MessageText.quote(text) + ": expected one of " + List.of(Bump.values()));
        }
    }
}
