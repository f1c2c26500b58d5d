package dev.modelregistry.testkit;

import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.spy;

import dev.modelregistry.ConcurrentUpdateException;
import dev.modelregistry.IntegrityException;
import dev.modelregistry.ModelName;
import dev.modelregistry.ModelRegistry;
import dev.modelregistry.Sha256;
import dev.modelregistry.EventCodec;
import dev.modelregistry.LogEntry;
import dev.modelregistry.EventStore;
import dev.modelregistry.memory.InMemoryArtifactStore;
import dev.modelregistry.spi.SupportsStorageAudit;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;

/**
 * The tamper-evidence suite on a memory store that keeps entries as text, as a database row would,
 * plus a separate record of where each log ended (as a backend's index does), and on the in-memory
 * artifact store spied to hand out a flipped byte, so the core's audit is checked without any file or
 * server. The in-memory event store itself has nothing to tamper with from outside the process.
 */
class InMemoryTamperEvidenceTest extends TamperEvidenceConformanceTests {
    private TextEventStore events;
    private InMemoryArtifactStore artifacts;

    @Override
    protected Backend openBackend(Path dir) {
        events = new TextEventStore();
        artifacts = spy(new InMemoryArtifactStore());
        return () -> ModelRegistry.builder().eventStore(events).artifactStore(artifacts);
    }

    @Override
    protected void rewriteStoredEntry(String model, long sequence, UnaryOperator<String> edit) {
        events.rows(model).computeIfPresent(sequence, (k, text) -> edit.apply(text));
    }

    @Override
    protected void deleteStoredEntry(String model, long sequence) {
        events.rows(model).remove(sequence);
    }

    @Override
    protected void swapStoredEntries(String model, long a, long b) {
        TreeMap<Long, String> rows = events.rows(model);
        String first = rows.get(a);
        rows.put(a, rows.get(b));
        rows.put(b, first);
    }

    @Override
    protected void deleteTail(String model, long fromSequence) {
        events.rows(model).tailMap(fromSequence, true).clear();
    }

    /** From now on the store hands out the bytes under {@code digest} with the first one flipped. */
    @Override
    protected void flipArtifactByte(Sha256 digest) {
        doAnswer(open -> {
            byte[] bytes = ((InputStream) open.callRealMethod()).readAllBytes();
            bytes[0] ^= 0x01;
            return new ByteArrayInputStream(bytes);
        }).when(artifacts).open(digest);
    }

    // Kept hand-written: the tampering hooks edit its rows as text, and the suite needs its SupportsStorageAudit view of them.
    /** Entries as canonical JSON text by sequence number, and the furthest sequence ever appended. */
    static final class TextEventStore implements EventStore, SupportsStorageAudit {
        private final Map<ModelName, TreeMap<Long, String>> logs = new ConcurrentHashMap<>();
        private final Map<ModelName, Long> heads = new ConcurrentHashMap<>();
        private long changes;

        synchronized TreeMap<Long, String> rows(String model) {
            changes++;
            return logs.get(ModelName.of(model));
        }

        @Override
        public synchronized void append(ModelName model, long expectedLastSequence, List<LogEntry> entries) {
            if (entries.isEmpty()) {
                return;
            }
            if (lastSequence(model) != expectedLastSequence) {
                throw new ConcurrentUpdateException("Log of " + model + " moved past " + expectedLastSequence);
            }
            TreeMap<Long, String> rows = logs.computeIfAbsent(model, m -> new TreeMap<>());
            for (LogEntry e : entries) {
                rows.put(e.sequence(), EventCodec.toJson(e));
            }
            heads.put(model, entries.get(entries.size() - 1).sequence());
            changes++;
        }

        @Override
        public synchronized List<LogEntry> read(ModelName model, long fromSequence) {
            List<LogEntry> out = new ArrayList<>();
            for (Map.Entry<Long, String> row : logs.getOrDefault(model, new TreeMap<>()).tailMap(fromSequence, true).entrySet()) {
                LogEntry e = EventCodec.fromJson(row.getValue());
                if (e.sequence() != row.getKey()) {
                    throw new IntegrityException("Row " + row.getKey() + " of " + model + " holds entry " + e.sequence());
                }
                out.add(e);
            }
            return out;
        }

        @Override
        public synchronized long lastSequence(ModelName model) {
            TreeMap<Long, String> rows = logs.get(model);
            return rows == null || rows.isEmpty() ? 0 : rows.lastKey();
        }

        @Override
        public synchronized List<ModelName> models() {
            return logs.keySet().stream().filter(m -> lastSequence(m) > 0).sorted().toList();
        }

        @Override
        public synchronized long changeToken() {
            return changes;
        }

        @Override
        public synchronized List<StoredEntry> storedEntries(ModelName model) {
            List<StoredEntry> out = new ArrayList<>();
            logs.getOrDefault(model, new TreeMap<>()).forEach((seq, text) ->
                    out.add(new StoredEntry(seq, "memory row (" + model + ", " + seq + ")", text, true)));
            return out;
        }

        @Override
        public synchronized Optional<RecordedHead> recordedHead(ModelName model) {
            Long head = heads.get(model);
            return head == null ? Optional.empty() : Optional.of(new RecordedHead(head, Optional.empty(), "the store's index"));
        }
    }
}
