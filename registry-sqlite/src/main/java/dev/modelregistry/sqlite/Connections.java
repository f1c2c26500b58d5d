package dev.modelregistry.sqlite;

import dev.modelregistry.StorageException;
import dev.modelregistry.ValidationException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/**
 * Opening a registry database: a first look that changes nothing (a file that is not a registry
 * database, or is one of a newer schema, is refused before anything is written to it), then the
 * write connection, which applies pending migrations, and the connection for the change signal.
 * Reader connections are opened on demand with {@link #readerConfig}.
 */
record Connections(Session writer, Session signal, SQLiteConfig readerConfig) {

    static Connections open(Path file, Durability durability, Duration busyTimeout) {
        if (file.toString().indexOf('?') >= 0) {
            throw new ValidationException("Database path " + file + " contains '?', which the SQLite JDBC URL reserves for options");
        }
        if (Files.isDirectory(file)) {
            throw new StorageException("Database path " + file + " is a directory, not a database file");
        }
        try {
            Path parent = file.getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
        } catch (IOException e) {
            throw new StorageException("Cannot create the folder of " + file + ": " + e.getMessage(), e);
        }
        int timeoutMillis = (int) busyTimeout.toMillis();
        Statements statements = Statements.get();

        // First look without changing anything: the writer's settings (WAL) would rewrite the header.
        SQLiteConfig probeConfig = new SQLiteConfig();
        probeConfig.setBusyTimeout(timeoutMillis);
        try (Session probe = connect(file, probeConfig, statements)) {
            Migrator.inspect(probe, file);
        } catch (SQLException e) {
            throw new StorageException("Cannot close the probe connection to " + file + ": " + e.getMessage(), e);
        }

        SQLiteConfig writerConfig = baseConfig(durability, timeoutMillis);
        writerConfig.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
        SQLiteConfig readerConfig = baseConfig(durability, timeoutMillis);
        Session writer = connect(file, writerConfig, statements);
        Session signal = null;
        try {
            Migrator.migrate(writer, file);
            signal = connect(file, readerConfig, statements);
            return new Connections(writer, signal, readerConfig);
        } catch (RuntimeException e) {
            closeQuietly(writer, e);
            if (signal != null) {
                closeQuietly(signal, e);
            }
            throw e;
        }
    }

    private static SQLiteConfig baseConfig(Durability durability, int timeoutMillis) {
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(durability == Durability.FULL ? SQLiteConfig.SynchronousMode.FULL : SQLiteConfig.SynchronousMode.NORMAL);
        config.setBusyTimeout(timeoutMillis);
        config.enforceForeignKeys(true);
        return config;
    }

    /** Opens a connection to {@code file} with {@code config}, naming a file that is not a database as such. */
    static Session connect(Path file, SQLiteConfig config, Statements statements) {
        try {
            return new Session(config.createConnection("jdbc:sqlite:" + file), statements);
        } catch (SQLiteException e) {
            if (e.getResultCode() == SQLiteErrorCode.SQLITE_NOTADB) {
                throw new StorageException(file + " is not a model registry database: it is not an SQLite database ("
                        + e.getMessage() + "); refusing to change it", e);
            }
            throw new StorageException("Cannot open " + file + ": " + e.getMessage(), e);
        } catch (SQLException e) {
            throw new StorageException("Cannot open " + file + ": " + e.getMessage(), e);
        }
    }

    /** Closes {@code s}; a failure is added to {@code primary} when there is one, and is otherwise of no use to anyone. */
    static void closeQuietly(Session s, Throwable primary) {
        try {
            s.close();
        } catch (SQLException e) {
            if (primary != null) {
                primary.addSuppressed(e);
            }
        }
    }
}
