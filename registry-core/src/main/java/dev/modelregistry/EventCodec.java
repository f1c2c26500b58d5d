package dev.modelregistry;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import com.fasterxml.jackson.core.JsonGenerator;
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
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

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
            // Absent fields (null, empty Optional, empty collection) are left out, so a field added in a
            // later release leaves the hashes of older entries unchanged. What a caller put inside a map
            // is data, not an absent field: an empty label value, parameter or list stays (content
            // inclusion ALWAYS), so the stored record keeps every value the caller gave.
            .defaultPropertyInclusion(JsonInclude.Value.construct(JsonInclude.Include.NON_EMPTY, JsonInclude.Include.ALWAYS))
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
        if (entry.hasSealedJson()) {
            return entry.toJson();
        }
        Encoded e = encode(entry);
        return e.withHash(entry.hash());
    }

    /** Reads an entry written by {@link #toJson}; a text that is not one is an {@link IntegrityException}. */
    public static LogEntry fromJson(String json) {
        try {
            JsonNode tree = MAPPER.readTree(json);
            if (tree == null || !tree.isObject()) {
                throw new IntegrityException("Stored log entry is not readable: not a JSON object");
            }
            for (java.util.Iterator<String> names = tree.fieldNames(); names.hasNext(); ) {
                String name = names.next();
                if (!FIELDS.contains(name)) {
                    throw new IntegrityException("Stored log entry is not readable: unknown field " + Names.quote(name));
                }
            }
            return new LogEntry(
                    MAPPER.treeToValue(tree.get("model"), ModelName.class),
                    tree.path("sequence").asLong(0),
                    MAPPER.treeToValue(tree.get("time"), Instant.class),
                    text(tree, "principal"),
                    text(tree, "reason"),
                    MAPPER.treeToValue(tree.get("prevHash"), Sha256.class),
                    MAPPER.treeToValue(tree.get("hash"), Sha256.class),
                    MAPPER.treeToValue(tree.get("event"), RegistryEvent.class));
        } catch (IntegrityException e) {
            throw e;
        } catch (JsonProcessingException | RuntimeException e) {
            throw new IntegrityException("Stored log entry is not readable: " + e.getMessage());
        }
    }

    private static final java.util.Set<String> FIELDS =
            java.util.Set.of("event", "hash", "model", "prevHash", "principal", "reason", "sequence", "time");

    private static String text(JsonNode tree, String field) {
        JsonNode n = tree.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isTextual()) {
            throw new IntegrityException("Stored log entry is not readable: " + field + " is not a string");
        }
        return n.textValue();
    }

    /** The SHA-256 of the canonical JSON of {@code entry} without its {@code hash} field. */
    public static Sha256 computeHash(LogEntry entry) {
        return Sha256.digest(encode(entry).bytes);
    }

    /** What {@link LogEntry#seal} keeps: the hash, and the canonical JSON of the whole entry with it. */
    record Sealed(Sha256 hash, String json) {
    }

    /** Hashes and writes {@code unsealed} (whose hash field is ignored) in one serialisation. */
    static Sealed seal(LogEntry unsealed) {
        Encoded e = encode(unsealed);
        Sha256 hash = Sha256.digest(e.bytes);
        return new Sealed(hash, e.withHash(hash));
    }

    /**
     * The canonical JSON of an entry without its hash, and where the hash goes in it. Keys are sorted,
     * so {@code "hash"} falls between {@code "event"}, always first, and {@code "model"}: the entry is
     * written once, the event as a tree (so its keys, type id included, are sorted like every other
     * object) and the envelope field by field, and the hash is spliced in at the mark.
     */
    private static Encoded encode(LogEntry entry) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(512);
        try (JsonGenerator g = MAPPER.getFactory().createGenerator(out)) {
            g.writeStartObject();
            g.writeFieldName("event");
            MAPPER.writeTree(g, MAPPER.valueToTree(entry.event()));
            g.flush();
            int mark = out.size();
            g.writeStringField("model", entry.model().value());
            g.writeStringField("prevHash", entry.prevHash().toString());
            g.writeStringField("principal", entry.principal());
            if (!entry.reason().isEmpty()) {
                g.writeStringField("reason", entry.reason());
            }
            g.writeNumberField("sequence", entry.sequence());
            g.writeStringField("time", java.time.format.DateTimeFormatter.ISO_INSTANT.format(entry.time()));
            g.writeEndObject();
            g.flush();
            return new Encoded(out.toByteArray(), mark);
        } catch (java.io.IOException e) {
            throw new StorageException("Cannot write log entry as JSON: " + e.getMessage(), e);
        }
    }

    private record Encoded(byte[] bytes, int mark) {
        String withHash(Sha256 hash) {
            String head = new String(bytes, 0, mark, StandardCharsets.UTF_8);
            String tail = new String(bytes, mark, bytes.length - mark, StandardCharsets.UTF_8);
            return head + ",\"hash\":\"" + hash + "\"" + tail;
        }
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
