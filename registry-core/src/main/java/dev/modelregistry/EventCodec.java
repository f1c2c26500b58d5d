package dev.modelregistry;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.nio.charset.StandardCharsets;

/**
 * The one canonical JSON form of log entries, used for hashing and by every backend that stores
 * entries as text. Canonical means: object keys sorted at every depth, no whitespace, empty values
 * omitted (so a field added in a later release leaves the hashes of older entries unchanged),
 * instants in ISO-8601, and doubles written by Jackson's own shortest-representation writer so the
 * text does not depend on the JDK's {@code Double.toString}.
 */
public final class EventCodec {
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .enable(JsonNodeFeature.WRITE_PROPERTIES_SORTED)
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
            .enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER)
            .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .serializationInclusion(JsonInclude.Include.NON_EMPTY)
            // Only record components are data; derived "isX()" helpers on value types are not.
            .visibility(PropertyAccessor.IS_GETTER, JsonAutoDetect.Visibility.NONE)
            .build();

    static {
        MAPPER.getFactory().setStreamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(200).build());
    }

    private EventCodec() {
    }

    /** The canonical JSON of a whole entry, hash included. */
    public static String toJson(LogEntry entry) {
        return new String(canonicalBytes(MAPPER.valueToTree(entry)), StandardCharsets.UTF_8);
    }

    /** Reads an entry written by {@link #toJson}; a text that is not one is an {@link IntegrityException}. */
    public static LogEntry fromJson(String json) {
        try {
            return MAPPER.readValue(json, LogEntry.class);
        } catch (JsonProcessingException | RuntimeException e) {
            throw new IntegrityException("Stored log entry is not readable: " + e.getMessage());
        }
    }

    /** The SHA-256 of the canonical JSON of {@code entry} without its {@code hash} field. */
    public static Sha256 computeHash(LogEntry entry) {
        ObjectNode tree = MAPPER.valueToTree(entry);
        tree.remove("hash");
        return Sha256.digest(canonicalBytes(tree));
    }

    /**
     * The canonical JSON of any value (keys sorted, no whitespace, empty values omitted), as bytes:
     * the one byte form that is hashed and signed.
     */
    public static byte[] canonicalJson(Object value) {
        return canonicalBytes(MAPPER.valueToTree(value));
    }

    /** The canonical JSON size of any value, for size limits. */
    public static int sizeOf(Object value) {
        return canonicalBytes(MAPPER.valueToTree(value)).length;
    }

    private static byte[] canonicalBytes(Object tree) {
        try {
            return MAPPER.writeValueAsBytes(tree);
        } catch (JsonProcessingException e) {
            throw new StorageException("Cannot write log entry as JSON: " + e.getOriginalMessage(), e);
        }
    }
}
