package dev.modelregistry.testkit;

import dev.modelregistry.ConcurrentUpdateException;
import dev.modelregistry.IntegrityException;
import dev.modelregistry.ModelName;
import dev.modelregistry.ModelRegistry;
import dev.modelregistry.NotFoundException;
import dev.modelregistry.Sha256;
import dev.modelregistry.StorageException;
import dev.modelregistry.EventCodec;
import dev.modelregistry.LogEntry;
import dev.modelregistry.ArtifactStore;
import dev.modelregistry.EventStore;
import dev.modelregistry.StoredArtifact;
import dev.modelregistry.spi.SupportsStorageAudit;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;

/**
 * The tamper-evidence suite on memory stores that keep entries as text, as a database row would,
 * plus a separate record of where each log ended (as a backend's index does), so the core's audit is
 * checked without any file or server. The in-memory backend itself has nothing to tamper with from
 * outside the process.
 */
class InMemoryTamperEvidenceTest extends TamperEvidenceConformanceTests {
    private TextEventStore events;
    private BytesArtifactStore artifacts;

    @Override
    protected Backend openBackend(Path dir) {
        events = new TextEventStore();
        artifacts = new BytesArtifactStore();
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

    @Override
    protected void flipArtifactByte(Sha256 digest) {
        artifacts.blobs.get(digest)[0] ^= 0x01;
    }

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

    /** Artifact bytes by digest, held by reference so a test can flip one. */
    static final class BytesArtifactStore implements ArtifactStore {
        final Map<Sha256, byte[]> blobs = new ConcurrentHashMap<>();

        @Override
        public StoredArtifact put(InputStream content) {
            byte[] bytes;
            try {
                bytes = content.readAllBytes();
            } catch (IOException e) {
                throw new StorageException("Cannot read artifact content: " + e.getMessage(), e);
            }
            Sha256 digest = Sha256.digest(bytes);
            blobs.putIfAbsent(digest, bytes);
            return new StoredArtifact(digest, bytes.length, URI.create("memory:sha256/" + digest));
        }

        @Override
        public InputStream open(Sha256 digest) {
            byte[] bytes = blobs.get(digest);
            if (bytes == null) {
                throw new NotFoundException("No artifact with SHA-256 " + digest);
            }
            return new ByteArrayInputStream(bytes.clone());
        }

        @Override
        public Optional<StoredArtifact> find(Sha256 digest) {
            byte[] bytes = blobs.get(digest);
            return bytes == null ? Optional.empty()
                    : Optional.of(new StoredArtifact(digest, bytes.length, URI.create("memory:sha256/" + digest)));
        }
    }
}
