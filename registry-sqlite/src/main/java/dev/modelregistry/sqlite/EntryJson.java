package dev.modelregistry.sqlite;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.modelregistry.IntegrityException;
import dev.modelregistry.event.EventCodec;
import dev.modelregistry.event.LogEntry;

/**
 * Reads stored entry text back into entries with {@link EventCodec#fromJson}.
 *
 * <p>The canonical JSON of a registration includes {@code "declared"} inside the signature: Jackson
 * writes {@code Signature.isDeclared()}, a value derived from the inputs and outputs, but the
 * {@code Signature} record has no such component, so {@code EventCodec.fromJson} refuses the text it
 * wrote itself. The stored text must stay exactly what was hashed, so the derived field is dropped
 * here, on the way in, and only there; writing the entry again (to verify its hash) derives the same
 * value. Text without the field is passed through untouched.
 */
final class EntryJson {
    private static final ObjectMapper TREES = JsonMapper.builder().build();
    private static final String DERIVED = "\"declared\":";

    private EntryJson() {
    }

    static LogEntry read(String json) {
        if (!json.contains(DERIVED)) {
            return EventCodec.fromJson(json);
        }
        try {
            JsonNode tree = TREES.readTree(json);
            JsonNode signature = tree.path("event").path("version").path("signature");
            if (signature instanceof ObjectNode node) {
                node.remove("declared");
            }
            return EventCodec.fromJson(TREES.writeValueAsString(tree));
        } catch (JsonProcessingException e) {
            throw new IntegrityException("Stored log entry is not readable: " + e.getOriginalMessage());
        }
    }
}
