package dev.modelregistry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** JSON values inside metadata: converted, checked (finite numbers, bounded depth) and copied. */
final class Json {
    static final ObjectMapper MAPPER = new ObjectMapper()
            .configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

    private Json() {
    }

    /** Converts any Jackson-serialisable value (numbers, strings, lists, maps, records) to a JSON tree. */
    static JsonNode toTree(String what, Object value) {
        // Jackson converts recursively: a value nested thousands deep, or a map that contains
        // itself, would overflow the stack before the depth check below could refuse it.
        checkDepth(what, value, 0);
        try {
            JsonNode node = MAPPER.valueToTree(value);
            return check(what, node == null ? MAPPER.nullNode() : node, 0);
        } catch (IllegalArgumentException e) {
            throw new ValidationException("Value of " + what + " is not representable as JSON: " + e.getMessage(), e);
        }
    }

    static Map<String, JsonNode> immutableObjectMap(String what, Map<String, JsonNode> values) {
        if (values == null || values.isEmpty()) {
            return Map.of();
        }
        Map<String, JsonNode> copy = new TreeMap<>();
        values.forEach((k, v) -> {
            if (k == null || k.isEmpty() || k.length() > Names.MAX_LENGTH) {
                throw new ValidationException("Invalid " + what + " key " + Names.quote(k) + ": must be 1-" + Names.MAX_LENGTH + " characters");
            }
            Names.checkText(what + " key", k, Names.MAX_LENGTH);
            checkDepth(what + "." + k, v, 0);
            copy.put(k, check(what + "." + k, v == null ? MAPPER.nullNode() : v.deepCopy(), 0));
        });
        int size = bytes(copy);
        if (size > Limits.MAX_HYPERPARAMETER_BYTES) {
            throw new MetadataTooLargeException(what + " take " + size + " bytes as JSON; the limit is " + Limits.MAX_HYPERPARAMETER_BYTES);
        }
        return Collections.unmodifiableMap(copy);
    }

    /** Refuses maps, collections, arrays and JSON trees nested deeper than the limit (a cycle is infinitely deep). */
    private static void checkDepth(String path, Object value, int depth) {
        if (depth > Limits.MAX_JSON_DEPTH) {
            throw new MetadataTooLargeException("JSON value of " + path + " is nested deeper than " + Limits.MAX_JSON_DEPTH
                    + " levels (or contains itself)");
        }
        if (value instanceof Map<?, ?> map) {
            for (Object child : map.values()) {
                checkDepth(path, child, depth + 1);
            }
        } else if (value instanceof Iterable<?> items) { // lists, sets, and JSON trees (a node iterates its children)
            for (Object child : items) {
                checkDepth(path, child, depth + 1);
            }
        } else if (value instanceof Object[] array) {
            for (Object child : array) {
                checkDepth(path, child, depth + 1);
            }
        }
    }

    private static JsonNode check(String path, JsonNode node, int depth) {
        if (depth > Limits.MAX_JSON_DEPTH) {
            throw new MetadataTooLargeException("JSON value of " + path + " is nested deeper than " + Limits.MAX_JSON_DEPTH + " levels");
        }
        if (node.isNumber() && (node.isDouble() || node.isFloat()) && !Double.isFinite(node.doubleValue())) {
            throw new ValidationException("JSON value of " + path + " must be a finite number, was " + node.doubleValue());
        }
        if (node.isContainerNode()) {
            List<JsonNode> children = new ArrayList<>();
            node.elements().forEachRemaining(children::add);
            for (JsonNode child : children) {
                check(path, child, depth + 1);
            }
        }
        return node;
    }

    static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    static int bytes(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value).length;
        } catch (JsonProcessingException e) {
            throw new ValidationException("Value is not representable as JSON: " + e.getOriginalMessage(), e);
        }
    }
}
