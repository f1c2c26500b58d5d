package dev.modelregistry.s3;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.modelregistry.IntegrityException;
import dev.modelregistry.ModelName;
import dev.modelregistry.EventCodec;
import dev.modelregistry.LogEntry;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The text of log and snapshot objects. Entries are stored exactly as {@link EventCodec#toJson}
 * writes them — canonical JSON, which never contains a raw line break — one per line:
 *
 * <ul>
 *   <li>a log object holds one append: a single entry is the entry's JSON and nothing else; a batch
 *       of k entries (a promotion that displaces a holder) is k lines, numbered from the sequence
 *       number in the object's key;</li>
 *   <li>a snapshot object is a header line {@code {"from":a,"model":"m","to":s}} followed by the
 *       entries a..s, one per line.</li>
 * </ul>
 *
 * Decoding checks that the entries belong to the model and are numbered without gaps from where the
 * key says, so a misplaced or tampered object is an {@link IntegrityException} naming the key.
 */
final class LogObjects {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    /** A snapshot: the entries {@code from..to} of one model. */
    record Segment(long from, long to, List<LogEntry> entries) {
    }

    private LogObjects() {
    }

    static byte[] encodeBatch(List<LogEntry> entries) {
        StringBuilder text = new StringBuilder();
        for (LogEntry e : entries) {
            if (!text.isEmpty()) {
                text.append('\n');
            }
            text.append(EventCodec.toJson(e));
        }
        return text.toString().getBytes(StandardCharsets.UTF_8);
    }

    static List<LogEntry> decodeBatch(String where, ModelName model, long first, byte[] body) {
        return decodeLines(where, model, first, lines(new String(body, StandardCharsets.UTF_8)), 0);
    }

    static byte[] encodeSegment(ModelName model, long from, long to, List<LogEntry> entries) {
        String header = "{\"from\":" + from + ",\"model\":" + MAPPER.valueToTree(model.value()) + ",\"to\":" + to + "}";
        return (header + "\n" + new String(encodeBatch(entries), StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
    }

    static Segment decodeSegment(String where, ModelName model, long to, byte[] body) {
        List<String> lines = lines(new String(body, StandardCharsets.UTF_8));
        JsonNode header;
        try {
            header = MAPPER.readTree(lines.get(0));
        } catch (Exception e) {
            throw new IntegrityException("Snapshot " + where + " has no readable header: " + e.getMessage());
        }
        long from = header.path("from").asLong(-1);
        if (from < 1 || header.path("to").asLong(-1) != to || !model.value().equals(header.path("model").asText())) {
            throw new IntegrityException("Snapshot " + where + " has header " + lines.get(0) + ", expected model " + model + " up to " + to);
        }
        List<LogEntry> entries = decodeLines(where, model, from, lines, 1);
        if (entries.size() != to - from + 1) {
            throw new IntegrityException("Snapshot " + where + " holds " + entries.size() + " entries, expected " + (to - from + 1));
        }
        return new Segment(from, to, entries);
    }

    /** The lines of a stored object, uninterpreted (for the storage audit). */
    static List<String> lines(byte[] body) {
        return lines(new String(body, StandardCharsets.UTF_8));
    }

    /** The first sequence number a snapshot header names, or -1 when the header is not one. */
    static long segmentStart(String header) {
        try {
            return MAPPER.readTree(header).path("from").asLong(-1);
        } catch (Exception e) {
            return -1;
        }
    }

    static LogEntry parseEntry(String where, String line) {
        LogEntry e;
        try {
            e = EventCodec.fromJson(line);
        } catch (IntegrityException ex) {
            throw new IntegrityException("Log object " + where + " holds an unreadable entry: " + ex.getMessage());
        }
        // Reading is lenient about nothing, and the text must also be exactly what the codec writes,
        // so an entry edited by hand (even only reformatted) is caught before its hash is checked.
        if (!EventCodec.toJson(e).equals(line)) {
            throw new IntegrityException("Log object " + where + " holds entry " + e.sequence()
                    + " whose text is not the canonical JSON of its content");
        }
        return e;
    }

    private static List<String> lines(String text) {
        List<String> lines = new ArrayList<>();
        int start = 0;
        for (int i = 0; i <= text.length(); i++) {
            if (i == text.length() || text.charAt(i) == '\n') {
                if (i > start) {
                    lines.add(text.substring(start, i));
                }
                start = i + 1;
            }
        }
        return lines;
    }

    private static List<LogEntry> decodeLines(String where, ModelName model, long first, List<String> lines, int skip) {
        if (lines.size() <= skip) {
            throw new IntegrityException("Log object " + where + " is empty");
        }
        List<LogEntry> entries = new ArrayList<>(lines.size() - skip);
        long expected = first;
        for (String line : lines.subList(skip, lines.size())) {
            LogEntry e = parseEntry(where, line);
            if (e.sequence() != expected || !e.model().equals(model)) {
                throw new IntegrityException("Log object " + where + " holds entry " + e.sequence() + " of " + e.model()
                        + " where entry " + expected + " of " + model + " belongs");
            }
            entries.add(e);
            expected++;
        }
        return entries;
    }
}
