package dev.modelregistry.sqlite;

import dev.modelregistry.EventCodec;
import dev.modelregistry.IntegrityException;
import dev.modelregistry.LogEntry;
import dev.modelregistry.ModelName;
import dev.modelregistry.Sha256;
import dev.modelregistry.ValidationException;
import dev.modelregistry.spi.SupportsStorageAudit;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Reads the logs of one {@link SqliteEventStore}: as entries, for the core, and as stored, for
 * {@code verify()}: the rows uninterpreted, and the head each models row recorded in the same
 * transaction as every append.
 */
final class LogReader implements SupportsStorageAudit {
    private final Path file;
    private final ReaderPool readers;

    LogReader(Path file, ReaderPool readers) {
        this.file = file;
        this.readers = readers;
    }

    List<LogEntry> read(ModelName model, long fromSequence) {
        return rows("read the log of " + model, model, fromSequence, (sequence, text) -> {
            LogEntry entry = EventCodec.fromJson(text);
            if (entry.sequence() != sequence || !entry.model().equals(model)) {
                throw new IntegrityException("Row " + sequence + " of the log of " + model + " in " + file
                        + " holds entry " + entry.sequence() + " of " + entry.model());
            }
            return entry;
        });
    }

    /** What one row of a log becomes. */
    @FunctionalInterface
    private interface Row<T> {
        T of(long sequence, String text);
    }

    /** The rows of {@code model}'s log from {@code fromSequence} on, in order, each made into a {@code T}. */
    private <T> List<T> rows(String what, ModelName model, long fromSequence, Row<T> row) {
        Objects.requireNonNull(model, "model");
        return readers.withReader(what, s -> {
            PreparedStatement ps = s.named("log.read");
            ps.setString(1, model.value());
            ps.setLong(2, fromSequence);
            List<T> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(row.of(rs.getLong(1), rs.getString(2)));
                }
            }
            return List.copyOf(out);
        });
    }

    long lastSequence(ModelName model) {
        Objects.requireNonNull(model, "model");
        return readers.withReader("read the last sequence of " + model, s -> {
            PreparedStatement ps = s.named("log.last_sequence");
            ps.setString(1, model.value());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0L;
            }
        });
    }

    List<ModelName> models() {
        return readers.withReader("list the models", s -> IndexQueries.modelNames(s, "model.names"));
    }

    /** Every row of the model's log, its text as stored; rows are the only copy. */
    @Override
    public List<StoredEntry> storedEntries(ModelName model) {
        return rows("read the stored log of " + model, model, 1,
                (sequence, text) -> new StoredEntry(sequence, file + " log_entries row (" + model + ", " + sequence + ")", text, true));
    }

    /**
     * Where the log ends as the store recorded it in the same transaction as every append: the
     * sequence and hash of the last entry, in the model's row of {@code models} (schema 3). A log
     * that ends before it had entries deleted from its end, whatever they held; one whose entry there
     * hashes otherwise had it replaced (even with every hash after an edit recomputed). When the
     * query tables (versions, stage_history) refer to an entry beyond the models row's head, or the
     * row records none, their furthest sequence is the head (without a hash): the models row was
     * changed too, or never written by an append.
     */
    @Override
    public Optional<RecordedHead> recordedHead(ModelName model) {
        Objects.requireNonNull(model, "model");
        return readers.withReader("read the recorded end of the log of " + model, s -> {
            PreparedStatement ps = s.named("audit.recorded_head");
            ps.setString(1, model.value());
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.<RecordedHead>empty();
                }
                long head = rs.getLong(1);
                boolean recorded = !rs.wasNull();
                String hash = rs.getString(2);
                long indexed = rs.getLong(3);
                if (recorded && head >= indexed && head > 0) {
                    return Optional.of(new RecordedHead(head, Optional.ofNullable(hash).map(h -> headHash(model, h)),
                            file + " models row (" + model + ")"));
                }
                return indexed > 0 ? Optional.of(new RecordedHead(indexed, Optional.empty(),
                        "the query tables (versions, stage_history) of " + file)) : Optional.<RecordedHead>empty();
            }
        });
    }

    private Sha256 headHash(ModelName model, String hex) {
        try {
            return Sha256.of(hex);
        } catch (ValidationException e) {
            throw new IntegrityException("The models row of " + model + " in " + file + " records the head hash "
                    + hex + ", which is not a SHA-256 (it was edited): " + e.getMessage());
        }
    }
}
