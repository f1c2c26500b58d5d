package dev.modelregistry.sqlite;

import dev.modelregistry.EventStore;
import dev.modelregistry.LineageQuery;
import dev.modelregistry.LineageResult;
import dev.modelregistry.LogEntry;
import dev.modelregistry.ModelName;
import dev.modelregistry.ModelVersion;
import dev.modelregistry.NodeId;
import dev.modelregistry.Page;
import dev.modelregistry.SemVer;
import dev.modelregistry.Stage;
import dev.modelregistry.StorageException;
import dev.modelregistry.VersionQuery;
import dev.modelregistry.VersionRange;
import dev.modelregistry.spi.SupportsLineageQueries;
import dev.modelregistry.spi.SupportsRequestQueries;
import dev.modelregistry.spi.SupportsStorageAudit;
import dev.modelregistry.spi.SupportsVersionQueries;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Model logs in one SQLite database file, with query tables (versions, tags, labels, metrics,
 * stage holders, stage history, lineage nodes and edges, open requests and their decisions) updated
 * in the same transaction as every append, so that reads can be answered in SQL
 * ({@link SupportsVersionQueries}, {@link SupportsLineageQueries}, {@link SupportsRequestQueries})
 * instead of by folding whole logs. The same transaction records in the model's {@code models} row
 * where its log ends (sequence and hash of the last entry), which {@link #recordedHead} hands to
 * {@code verify()} and which every append checks before it writes ({@link SupportsStorageAudit}).
 *
 * <pre>{@code
 * EventStore store = SqliteEventStore.builder(Path.of("registry.db"))
 *     .durability(Durability.NORMAL)
 *     .busyTimeout(Duration.ofSeconds(30))
 *     .open();
 * }</pre>
 *
 * <p><b>Concurrency.</b> The file is in WAL mode: readers never block the writer nor each other.
 * Every write is one {@code BEGIN IMMEDIATE} transaction, which takes the database's write lock
 * before it reads the end of the log, so two writers (threads or processes) serialise instead of
 * failing on a stale snapshot; a writer waits up to the busy timeout for the lock. The
 * compare-and-swap is "the log of this model still ends at N" checked inside that transaction, and
 * the primary key {@code (model_id, sequence)} makes a second entry at one position impossible
 * anyway. In one JVM, the store keeps one write connection behind a lock, one connection for the
 * change signal, and a pool of reader connections (up to {@value ReaderPool#MAX_IDLE_READERS} idle,
 * more opened on demand under load and closed when returned): every thread may call every method.
 *
 * <p><b>Change signal.</b> {@link #changeToken()} adds {@code PRAGMA data_version} of a dedicated
 * connection (which moves whenever any other connection, in this process or another, commits) to a
 * counter of this store's own commits. Both only grow, so the sum changes on every commit anywhere.
 *
 * <p><b>Durability.</b> See {@link Durability}: {@code FULL} (default) survives power loss,
 * {@code NORMAL} survives a crash of the application or a killed process.
 *
 * <p><b>Inside.</b> The store is a face over its parts: {@link LogWriter} appends, {@link ReaderPool}
 * lends reader connections, {@link LogReader} reads the logs (as entries, and as stored for
 * {@code verify()}) and {@link IndexQueries} answers from the query tables.
 *
 * <p><b>Files it refuses.</b> A file that is not an SQLite database, an SQLite database without the
 * registry marker ({@code PRAGMA application_id}) that already has tables, and a registry database
 * written by a newer schema version are refused with a {@link StorageException} before anything is
 * written to them.
 */
public final class SqliteEventStore implements EventStore, SupportsVersionQueries, SupportsLineageQueries,
        SupportsRequestQueries, SupportsStorageAudit {
    /** The busy timeout unless another is chosen: how long a write waits for another writer's lock. */
    public static final Duration DEFAULT_BUSY_TIMEOUT = Duration.ofSeconds(15);

    private final Path file;
    private final Durability durability;
    private final Duration busyTimeout;
    private final ReaderPool readers;
    private final LogWriter writer;
    private final Session signal;
    private final IndexQueries queries;
    private final LogReader log;

    private SqliteEventStore(Path file, Durability durability, Duration busyTimeout, Connections connections) {
        Statements statements = Statements.get();
        this.file = file;
        this.durability = durability;
        this.busyTimeout = busyTimeout;
        this.readers = new ReaderPool(file, connections.readerConfig(), statements);
        this.writer = new LogWriter(file, busyTimeout, connections.writer(), readers::ensureOpen);
        this.signal = connections.signal();
        this.queries = new IndexQueries(file, readers, statements);
        this.log = new LogReader(file, readers);
    }

    /** Opens (creating and migrating if needed) the registry database {@code dbFile} with default settings. */
    public static SqliteEventStore open(Path dbFile) {
        return builder(dbFile).open();
    }

    /** Settings for opening {@code dbFile}; each may be given once. */
    public static Builder builder(Path dbFile) {
        return new Builder(dbFile);
    }

    /** The database file. */
    public Path file() {
        return file;
    }

    public Durability durability() {
        return durability;
    }

    public Duration busyTimeout() {
        return busyTimeout;
    }

    // ================================================================ opening

    /** Chooses how a {@link SqliteEventStore} is opened. */
    public static final class Builder {
        private final Path file;
        private Durability durability;
        private Duration busyTimeout;

        private Builder(Path file) {
            this.file = Objects.requireNonNull(file, "dbFile");
        }

        /** {@link Durability#FULL} unless chosen. */
        public Builder durability(Durability durability) {
            if (this.durability != null) {
                throw new IllegalStateException("durability was already set to " + this.durability);
            }
            this.durability = Objects.requireNonNull(durability, "durability");
            return this;
        }

        /** How long a write waits for another writer (thread or process) to finish; 15 s unless chosen. */
        public Builder busyTimeout(Duration timeout) {
            if (this.busyTimeout != null) {
                throw new IllegalStateException("busyTimeout was already set to " + this.busyTimeout);
            }
            Objects.requireNonNull(timeout, "busyTimeout");
            if (timeout.isNegative() || timeout.isZero() || timeout.toMillis() > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("busyTimeout must be between 1 ms and " + Integer.MAX_VALUE
                        + " ms, was " + timeout);
            }
            this.busyTimeout = timeout;
            return this;
        }

        /**
         * Opens the database: checks without writing that the file is empty or a registry database
         * of a known schema, then applies pending migrations.
         *
         * @throws StorageException the file is refused or cannot be opened; the message names it and why
         */
        public SqliteEventStore open() {
            Path normalized = file.toAbsolutePath().normalize();
            Durability chosen = durability != null ? durability : Durability.FULL;
            Duration timeout = busyTimeout != null ? busyTimeout : DEFAULT_BUSY_TIMEOUT;
            return new SqliteEventStore(normalized, chosen, timeout, Connections.open(normalized, chosen, timeout));
        }
    }

    // ================================================================ the log

    @Override
    public void append(ModelName model, long expectedLastSequence, List<LogEntry> entries) {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(entries, "entries");
        if (!entries.isEmpty()) {
            writer.append(model, expectedLastSequence, entries);
        }
    }

    @Override
    public List<LogEntry> read(ModelName model, long fromSequence) {
        return log.read(model, fromSequence);
    }

    @Override
    public long lastSequence(ModelName model) {
        return log.lastSequence(model);
    }

    @Override
    public List<ModelName> models() {
        return log.models();
    }

    @Override
    public long changeToken() {
        long own = writer.commits();
        synchronized (signal) {
            readers.ensureOpen();
            try (ResultSet rs = signal.named("meta.data_version").executeQuery()) {
                rs.next();
                return rs.getLong(1) + own;
            } catch (SQLException e) {
                throw new StorageException("Cannot read the change signal (PRAGMA data_version) of " + file + ": " + e.getMessage(), e);
            }
        }
    }

    // ================================================================ the query tables and the stored log

    @Override
    public Optional<ModelVersion> findVersion(ModelName model, SemVer version) {
        return queries.findVersion(model, version);
    }

    @Override
    public Optional<ModelVersion> findByTag(ModelName model, String tag) {
        return queries.findByTag(model, tag);
    }

    @Override
    public Optional<ModelVersion> findCurrent(ModelName model, Stage stage) {
        return queries.findCurrent(model, stage);
    }

    @Override
    public Optional<ModelVersion> findHighest(ModelName model, VersionRange range) {
        return queries.findHighest(model, range);
    }

    @Override
    public Optional<ModelVersion> findLatest(ModelName model) {
        return queries.findLatest(model);
    }

    @Override
    public Page<ModelVersion> search(ModelName model, VersionQuery query) {
        return queries.search(model, query);
    }

    @Override
    public Optional<List<LineageResult>> upstream(ModelName model, SemVer version, LineageQuery query) {
        return queries.upstream(model, version, query);
    }

    @Override
    public Optional<List<LineageResult>> downstream(NodeId node, LineageQuery query) {
        return queries.downstream(node, query);
    }

    @Override
    public List<LogEntry> openRequestEntries(ModelName model) {
        return queries.openRequestEntries(model);
    }

    @Override
    public List<ModelName> modelsWithOpenRequests() {
        return queries.modelsWithOpenRequests();
    }

    @Override
    public List<StoredEntry> storedEntries(ModelName model) {
        return log.storedEntries(model);
    }

    @Override
    public Optional<RecordedHead> recordedHead(ModelName model) {
        return log.recordedHead(model);
    }

    // ================================================================ closing

    /** Closes every connection. Readers in use are closed when they are handed back. */
    @Override
    public void close() {
        if (!readers.close()) {
            return;
        }
        writer.close();
        synchronized (signal) {
            Connections.closeQuietly(signal, null);
        }
    }

    @Override
    public String toString() {
        return "SqliteEventStore[" + file + ", " + durability + "]";
    }
}
