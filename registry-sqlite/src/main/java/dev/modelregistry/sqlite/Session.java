package dev.modelregistry.sqlite;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;

/**
 * One JDBC connection with its prepared named statements, used by one thread at a time (the store
 * hands a session out under its write lock or from its reader pool, never to two threads at once).
 *
 * <p>Write transactions use JDBC's auto-commit switch rather than {@code commit()}: with
 * {@code transaction_mode=IMMEDIATE}, sqlite-jdbc's {@code commit()} and {@code rollback()} start
 * the next {@code BEGIN IMMEDIATE} at once, which would keep the database's write lock between
 * writes and block every other process. Switching auto-commit off issues {@code BEGIN IMMEDIATE},
 * switching it back on issues {@code COMMIT}, so the lock is held only while a write runs.
 */
final class Session implements AutoCloseable {
    private final Connection connection;
    private final Statements statements;
    private final Map<String, PreparedStatement> prepared = new HashMap<>();

    Session(Connection connection, Statements statements) {
        this.connection = connection;
        this.statements = statements;
    }

    Connection connection() {
        return connection;
    }

    /** The prepared statement called {@code name}, prepared once per session; parameters are cleared. */
    PreparedStatement named(String name) throws SQLException {
        PreparedStatement ps = prepared.get(name);
        if (ps == null) {
            ps = connection.prepareStatement(statements.sql(name));
            prepared.put(name, ps);
        } else {
            ps.clearParameters();
        }
        return ps;
    }

    /** {@code BEGIN IMMEDIATE}: waits up to the busy timeout for the database's write lock. */
    void beginImmediate() throws SQLException {
        try {
            connection.setAutoCommit(false);
        } catch (SQLException e) {
            backToAutoCommit();
            throw e;
        }
    }

    /** {@code COMMIT}. If it throws, the outcome is unknown to the caller. */
    void commit() throws SQLException {
        connection.setAutoCommit(true);
    }

    /** Undoes the open transaction, if any, and leaves the session ready for the next one. */
    void rollbackQuietly() {
        try {
            // rollback() also begins the next IMMEDIATE transaction; the switch below commits that empty one.
            connection.rollback();
        } catch (SQLException ignored) {
            // Either nothing was open or SQLite rolled back already; the switch below settles the state.
        }
        backToAutoCommit();
    }

    /**
     * After a failed {@code COMMIT}: SQLite may still hold the transaction open (it does after
     * {@code SQLITE_BUSY}); a plain {@code ROLLBACK} ends it so the next write can begin.
     */
    void forceRollback() {
        backToAutoCommit();
        try (java.sql.Statement st = connection.createStatement()) {
            st.execute(statements.sql("tx.rollback"));
        } catch (SQLException ignored) {
            // "no transaction is active": SQLite had rolled back already.
        }
    }

    private void backToAutoCommit() {
        try {
            connection.setAutoCommit(true);
        } catch (SQLException ignored) {
            // "cannot commit - no transaction is active": the session is in auto-commit mode again.
        }
    }

    @Override
    public void close() throws SQLException {
        SQLException first = null;
        for (PreparedStatement ps : prepared.values()) {
            try {
                ps.close();
            } catch (SQLException e) {
                first = first == null ? e : first;
            }
        }
        prepared.clear();
        try {
            connection.close();
        } catch (SQLException e) {
            first = first == null ? e : first;
        }
        if (first != null) {
            throw first;
        }
    }
}
