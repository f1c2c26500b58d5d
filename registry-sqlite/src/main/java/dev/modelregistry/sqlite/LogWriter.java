package dev.modelregistry.sqlite;

import dev.modelregistry.ConcurrentUpdateException;
import dev.modelregistry.EventCodec;
import dev.modelregistry.IntegrityException;
import dev.modelregistry.LogEntry;
import dev.modelregistry.ModelName;
import dev.modelregistry.StorageException;
import dev.modelregistry.StorageStateUnknownException;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/**
 * The write side of one {@link SqliteEventStore}: its one write connection, behind a lock, and the
 * append. An append is one {@code BEGIN IMMEDIATE} transaction, which takes the database's write
 * lock before it reads the end of the log, so writers (threads or processes) serialise instead of
 * failing on a stale snapshot. In it, the compare-and-swap ("the log still ends at N"), the check
 * that the log still ends where its models row recorded, the entries, the query tables
 * ({@link Projection}) and the new head; a {@code COMMIT} that fails is settled by reading back.
 */
final class LogWriter {
    private final Path file;
    private final Duration busyTimeout;
    private final Session writer;
    private final Runnable ensureOpen;
    private final ReentrantLock lock = new ReentrantLock();
    private final AtomicLong commits = new AtomicLong();

    LogWriter(Path file, Duration busyTimeout, Session writer, Runnable ensureOpen) {
        this.file = file;
        this.busyTimeout = busyTimeout;
        this.writer = writer;
        this.ensureOpen = ensureOpen;
    }

    /** See {@link SqliteEventStore#append}; {@code entries} is not empty. */
    void append(ModelName model, long expectedLastSequence, List<LogEntry> entries) {
        lock.lock();
        try {
            ensureOpen.run();
            appendLocked(model, expectedLastSequence, entries);
        } finally {
            lock.unlock();
        }
    }

    /** How many appends this writer committed: it only grows. */
    long commits() {
        return commits.get();
    }

    /** Closes the write connection once the append in progress, if any, is done. */
    void close() {
        lock.lock();
        try {
            Connections.closeQuietly(writer, null);
        } finally {
            lock.unlock();
        }
    }

    private void appendLocked(ModelName model, long expected, List<LogEntry> entries) {
        String range = "entries " + entries.get(0).sequence() + "-" + entries.get(entries.size() - 1).sequence()
                + " of the log of " + model;
        try {
            writer.beginImmediate();
        } catch (SQLException e) {
            throw new StorageException("Cannot take the write lock of " + file + " to append " + range
                    + " within the busy timeout of " + busyTimeout + ": " + e.getMessage(), e);
        }
        try {
            ModelRow row = modelRow(writer, model);
            long last = row == null ? 0 : lastSequence(writer, row.id());
            if (row != null) {
                checkRecordedHead(model, row, last, expected, entries.get(0));
            }
            if (last != expected) {
                endUnchanged();
                throw new ConcurrentUpdateException("Log of " + model + " ends at " + last + ", not at the expected " + expected);
            }
            LogEntry head = entries.get(entries.size() - 1);
            long modelId = row == null ? insertModel(writer, model, head) : row.id();
            Projection projection = new Projection(writer, modelId, model);
            for (LogEntry entry : entries) {
                insertLogEntry(writer, modelId, entry);
                projection.apply(entry);
            }
            if (row != null) {
                advanceHead(writer, modelId, head);
            }
        } catch (SQLException e) {
            writer.rollbackQuietly();
            if (e instanceof SQLiteException se && se.getResultCode() == SQLiteErrorCode.SQLITE_CONSTRAINT_PRIMARYKEY) {
                throw new ConcurrentUpdateException("Log of " + model + " already has an entry where " + range
                        + " would go: " + e.getMessage());
            }
            throw new StorageException("Cannot append " + range + " to " + file + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            writer.rollbackQuietly();
            throw e;
        }
        try {
            writer.commit();
        } catch (SQLException e) {
            writer.forceRollback();
            settleFailedCommit(model, entries.get(entries.size() - 1), range, e);
        }
        commits.incrementAndGet();
    }

    /**
     * A {@code COMMIT} that failed (the disk full, an I/O error) stored the whole transaction or
     * nothing: SQLite commits atomically, and the transaction has ended. Reading the log's entry at
     * the last appended sequence tells which: returns when it is this append's (it was stored after
     * all), throws {@link StorageException} when it is not (nothing was stored), and only when that
     * read fails too, {@link StorageStateUnknownException}.
     */
    private void settleFailedCommit(ModelName model, LogEntry last, String range, SQLException failure) {
        String stored;
        try {
            PreparedStatement ps = writer.named("log.hash_at");
            ps.setString(1, model.value());
            ps.setLong(2, last.sequence());
            try (ResultSet rs = ps.executeQuery()) {
                stored = rs.next() ? rs.getString(1) : null;
            }
        } catch (SQLException readBack) {
            failure.addSuppressed(readBack);
            throw new StorageStateUnknownException("Committing " + range + " to " + file + " failed, and reading the log"
                    + " back failed too; the entries may or may not be stored, read the log to find out: " + failure.getMessage(), failure);
        }
        if (!last.hash().hex().equals(stored)) {
            throw new StorageException("Committing " + range + " to " + file + " failed and nothing was stored: "
                    + failure.getMessage(), failure);
        }
        // The entries are this append's: the commit reported a failure after it had taken effect.
    }

    /** Ends a write transaction that changed nothing, without waiting for anything. */
    private void endUnchanged() {
        try {
            writer.commit();
        } catch (SQLException e) {
            writer.forceRollback();
        }
    }


    /**
     * A model's row as the append reads it: its id and the head it recorded (schema 3), or null
     * for a model without a row. {@code headSequence} is -1 and {@code headHash} null where the row
     * records no head (a row written by other means than an append).
     */
    private record ModelRow(long id, long headSequence, String headHash) {
    }

    private static ModelRow modelRow(Session s, ModelName model) throws SQLException {
        PreparedStatement ps = s.named("model.head");
        ps.setString(1, model.value());
        try (ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
                return null;
            }
            long id = rs.getLong(1);
            long headSequence = rs.getLong(2);
            if (rs.wasNull()) {
                headSequence = -1;
            }
            return new ModelRow(id, headSequence, rs.getString(3));
        }
    }

    /**
     * Refuses to append to a log that no longer ends where its models row says, or whose last entry
     * is not the one appended there (what the new entries link to): someone changed the file behind
     * the store's back, and appending would overwrite the record that shows it. Nothing is written;
     * {@code verify()} names the change.
     */
    private void checkRecordedHead(ModelName model, ModelRow row, long last, long expected, LogEntry first) {
        if (row.headSequence() >= 0 && row.headSequence() != last) {
            endUnchanged();
            throw new IntegrityException("The log of " + model + " in " + file + " ends at " + last + " but its models row"
                    + " records that it reached " + row.headSequence() + ": entries were deleted from its end or added behind"
                    + " the store's back; nothing was written (verify() names the change)");
        }
        if (row.headHash() != null && last == expected && expected > 0 && !row.headHash().equals(first.prevHash().hex())) {
            endUnchanged();
            throw new IntegrityException("Entry " + last + " of the log of " + model + " in " + file + " has hash "
                    + first.prevHash().hex() + " but its models row recorded " + row.headHash() + " when it was written:"
                    + " it was replaced behind the store's back; nothing was written (verify() names the change)");
        }
    }

    private static long insertModel(Session s, ModelName model, LogEntry head) throws SQLException {
        PreparedStatement ps = s.named("model.insert");
        ps.setString(1, model.value());
        ps.setLong(2, head.sequence());
        ps.setString(3, head.hash().hex());
        try (ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** The models row's record of the end of the log: one UPDATE per append, of a row the append already read. */
    private static void advanceHead(Session s, long modelId, LogEntry head) throws SQLException {
        PreparedStatement ps = s.named("model.advance_head");
        ps.setLong(1, head.sequence());
        ps.setString(2, head.hash().hex());
        ps.setLong(3, modelId);
        ps.executeUpdate();
    }

    private static long lastSequence(Session s, long modelId) throws SQLException {
        PreparedStatement ps = s.named("log.last_sequence_by_id");
        ps.setLong(1, modelId);
        try (ResultSet rs = ps.executeQuery()) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }

    private static void insertLogEntry(Session s, long modelId, LogEntry entry) throws SQLException {
        PreparedStatement ps = s.named("log.insert");
        ps.setLong(1, modelId);
        ps.setLong(2, entry.sequence());
        ps.setString(3, entry.event().getClass().getSimpleName());
        ps.setString(4, entry.time().toString());
        ps.setString(5, entry.prevHash().hex());
        ps.setString(6, entry.hash().hex());
        ps.setString(7, EventCodec.toJson(entry));
        ps.executeUpdate();
    }
}
