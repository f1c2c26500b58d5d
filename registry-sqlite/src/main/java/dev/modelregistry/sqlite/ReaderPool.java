package dev.modelregistry.sqlite;

import dev.modelregistry.StorageException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;
import org.sqlite.SQLiteConfig;

/**
 * The reader connections of one {@link SqliteEventStore}, and whether the store is open. A read
 * borrows a connection (an idle one, or a new one under load), runs, and hands it back; at most
 * {@value #MAX_IDLE_READERS} stay open while idle, the others are closed when handed back, as is
 * one whose work failed. In WAL mode a reader never blocks the writer nor another reader.
 */
final class ReaderPool {
    static final int MAX_IDLE_READERS = 4;

    /** Work on a borrowed connection. */
    @FunctionalInterface
    interface SqlWork<T> {
        T run(Session session) throws SQLException;
    }

    private final Path file;
    private final SQLiteConfig config;
    private final Statements statements;
    private final ConcurrentLinkedDeque<Session> idle = new ConcurrentLinkedDeque<>();
    private final AtomicInteger idleCount = new AtomicInteger();
    private volatile boolean closed;

    ReaderPool(Path file, SQLiteConfig config, Statements statements) {
        this.file = file;
        this.config = config;
        this.statements = statements;
    }

    /** Runs {@code work} on a reader; {@code what} completes "Cannot … in file" when it fails. */
    <T> T withReader(String what, SqlWork<T> work) {
        ensureOpen();
        Session session = borrow();
        boolean healthy = false;
        try {
            T result = work.run(session);
            healthy = true;
            return result;
        } catch (SQLException e) {
            throw new StorageException("Cannot " + what + " in " + file + ": " + e.getMessage(), e);
        } finally {
            giveBack(session, healthy);
        }
    }

    /** Refuses every use once the store is closed. */
    void ensureOpen() {
        if (closed) {
            throw new StorageException("The SQLite event store on " + file + " is closed");
        }
    }

    private Session borrow() {
        Session s = idle.pollFirst();
        if (s != null) {
            idleCount.decrementAndGet();
            return s;
        }
        return Connections.connect(file, config, statements);
    }

    private void giveBack(Session s, boolean healthy) {
        if (healthy && !closed) {
            if (idleCount.incrementAndGet() <= MAX_IDLE_READERS) {
                idle.offerFirst(s);
                // close() may have drained the pool just before the offer.
                if (closed && idle.remove(s)) {
                    Connections.closeQuietly(s, null);
                }
                return;
            }
            idleCount.decrementAndGet();
        }
        Connections.closeQuietly(s, null);
    }

    /**
     * Marks the store closed and closes the idle readers; readers in use are closed when they are
     * handed back. False when it was closed already.
     */
    boolean close() {
        if (closed) {
            return false;
        }
        closed = true;
        Session s;
        while ((s = idle.pollFirst()) != null) {
            Connections.closeQuietly(s, null);
        }
        return true;
    }
}
