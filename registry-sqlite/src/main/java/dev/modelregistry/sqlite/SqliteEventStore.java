package dev.modelregistry.sqlite;

import dev.modelregistry.ConcurrentUpdateException;
import dev.modelregistry.IntegrityException;
import dev.modelregistry.ModelName;
import dev.modelregistry.ModelVersion;
import dev.modelregistry.Page;
import dev.modelregistry.SemVer;
import dev.modelregistry.Sha256;
import dev.modelregistry.Stage;
import dev.modelregistry.StorageException;
import dev.modelregistry.StorageStateUnknownException;
import dev.modelregistry.ValidationException;
import dev.modelregistry.VersionQuery;
import dev.modelregistry.VersionRange;
import dev.modelregistry.RequestId;
import dev.modelregistry.ApprovalRecorded;
import dev.modelregistry.EventCodec;
import dev.modelregistry.PromotionRequested;
import dev.modelregistry.Approval;
import dev.modelregistry.GateReport;
import dev.modelregistry.LineageGraph;
import dev.modelregistry.LineageQuery;
import dev.modelregistry.LineageResult;
import dev.modelregistry.NodeId;
import dev.modelregistry.LogEntry;
import dev.modelregistry.VersionRegistered;
import dev.modelregistry.EventStore;
import dev.modelregistry.spi.SupportsLineageQueries;
import dev.modelregistry.spi.SupportsRequestQueries;
import dev.modelregistry.spi.SupportsStorageAudit;
import dev.modelregistry.spi.SupportsVersionQueries;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

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
 * change signal, and a pool of reader connections (up to {@value #MAX_IDLE_READERS} idle, more opened
 * on demand under load and closed when returned): every thread may call every method.
 *
 * <p><b>Change signal.</b> {@link #changeToken()} adds {@code PRAGMA data_version} of a dedicated
 * connection (which moves whenever any other connection, in this process or another, commits) to a
 * counter of this store's own commits. Both only grow, so the sum changes on every commit anywhere.
 *
 * <p><b>Durability.</b> See {@link Durability}: {@code FULL} (default) survives power loss,
 * {@code NORMAL} survives a crash of the application or a killed process.
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

    static final int MAX_IDLE_READERS = 4;

    private final Path file;
    private final Durability durability;
    private final Duration busyTimeout;
    private final Statements statements = Statements.get();
    private final SQLiteConfig readerConfig;
    private final ReentrantLock writeLock = new ReentrantLock();
    private final Session writer;
    private final Session signal;
    private final ConcurrentLinkedDeque<Session> idleReaders = new ConcurrentLinkedDeque<>();
    private final AtomicInteger idleCount = new AtomicInteger();
    private final AtomicLong ownCommits = new AtomicLong();
    private volatile boolean closed;

    private SqliteEventStore(Path file, Durability durability, Duration busyTimeout, SQLiteConfig readerConfig,
                             Session writer, Session signal) {
        this.file = file;
        this.durability = durability;
        this.busyTimeout = busyTimeout;
        this.readerConfig = readerConfig;
        this.writer = writer;
        this.signal = signal;
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
            return SqliteEventStore.open(file.toAbsolutePath().normalize(),
                    durability != null ? durability : Durability.FULL,
                    busyTimeout != null ? busyTimeout : DEFAULT_BUSY_TIMEOUT);
        }
    }

    private static SqliteEventStore open(Path file, Durability durability, Duration busyTimeout) {
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
            return new SqliteEventStore(file, durability, busyTimeout, readerConfig, writer, signal);
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

    private static Session connect(Path file, SQLiteConfig config, Statements statements) {
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

    // ================================================================ writing

    @Override
    public void append(ModelName model, long expectedLastSequence, List<LogEntry> entries) {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(entries, "entries");
        if (entries.isEmpty()) {
            return;
        }
        writeLock.lock();
        try {
            ensureOpen();
            appendLocked(model, expectedLastSequence, entries);
        } finally {
            writeLock.unlock();
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
        ownCommits.incrementAndGet();
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

    private long modelId(Session s, ModelName model) throws SQLException {
        PreparedStatement ps = s.named("model.id");
        ps.setString(1, model.value());
        try (ResultSet rs = ps.executeQuery()) {
            return rs.next() ? rs.getLong(1) : -1;
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

    // ================================================================ storage audit

    /** Every row of the model's log, its text as stored; rows are the only copy. */
    @Override
    public List<StoredEntry> storedEntries(ModelName model) {
        Objects.requireNonNull(model, "model");
        return withReader("read the stored log of " + model, s -> {
            PreparedStatement ps = s.named("log.read");
            ps.setString(1, model.value());
            ps.setLong(2, 1);
            List<StoredEntry> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long sequence = rs.getLong(1);
                    out.add(new StoredEntry(sequence, file + " log_entries row (" + model + ", " + sequence + ")", rs.getString(2), true));
                }
            }
            return List.copyOf(out);
        });
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
        return withReader("read the recorded end of the log of " + model, s -> {
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

    // ================================================================ reading the logs

    @Override
    public List<LogEntry> read(ModelName model, long fromSequence) {
        Objects.requireNonNull(model, "model");
        return withReader("read the log of " + model, s -> {
            PreparedStatement ps = s.named("log.read");
            ps.setString(1, model.value());
            ps.setLong(2, fromSequence);
            List<LogEntry> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long sequence = rs.getLong(1);
                    LogEntry entry = EventCodec.fromJson(rs.getString(2));
                    if (entry.sequence() != sequence || !entry.model().equals(model)) {
                        throw new IntegrityException("Row " + sequence + " of the log of " + model + " in " + file
                                + " holds entry " + entry.sequence() + " of " + entry.model());
                    }
                    out.add(entry);
                }
            }
            return List.copyOf(out);
        });
    }

    @Override
    public long lastSequence(ModelName model) {
        Objects.requireNonNull(model, "model");
        return withReader("read the last sequence of " + model, s -> {
            PreparedStatement ps = s.named("log.last_sequence");
            ps.setString(1, model.value());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0L;
            }
        });
    }

    /** A model name read back from the database; the registry's own log has a reserved name. */
    private static ModelName storedName(String name) {
        return name.equals(ModelName.SYSTEM.value()) ? ModelName.SYSTEM : ModelName.of(name);
    }

    @Override
    public List<ModelName> models() {
        return withReader("list the models", s -> {
            List<ModelName> out = new ArrayList<>();
            try (ResultSet rs = s.named("model.names").executeQuery()) {
                while (rs.next()) {
                    out.add(storedName(rs.getString(1)));
                }
            }
            return List.copyOf(out);
        });
    }

    @Override
    public long changeToken() {
        long own = ownCommits.get();
        synchronized (signal) {
            ensureOpen();
            try (ResultSet rs = signal.named("meta.data_version").executeQuery()) {
                rs.next();
                return rs.getLong(1) + own;
            } catch (SQLException e) {
                throw new StorageException("Cannot read the change signal (PRAGMA data_version) of " + file + ": " + e.getMessage(), e);
            }
        }
    }

    // ================================================================ answering queries

    @Override
    public Optional<ModelVersion> findVersion(ModelName model, SemVer version) {
        Objects.requireNonNull(version, "version");
        return findOne("find " + model + "@" + version, "find.version", model, ps -> ps.setBytes(2, PrecedenceKey.of(version)));
    }

    @Override
    public Optional<ModelVersion> findByTag(ModelName model, String tag) {
        Objects.requireNonNull(tag, "tag");
        return findOne("find tag " + tag + " of " + model, "find.by_tag", model, ps -> ps.setString(2, tag));
    }

    @Override
    public Optional<ModelVersion> findCurrent(ModelName model, Stage stage) {
        Objects.requireNonNull(stage, "stage");
        return findOne("find the version in " + stage + " of " + model, "find.current", model, ps -> ps.setString(2, stage.name()));
    }

    @Override
    public Optional<ModelVersion> findLatest(ModelName model) {
        return findOne("find the latest version of " + model, "find.latest", model, ps -> { });
    }

    /**
     * Walks the versions from the highest down and returns the first the range contains: ranges are
     * tested in Java, with the core's own semantics, and the walk reads only version texts until it
     * finds the match.
     */
    @Override
    public Optional<ModelVersion> findHighest(ModelName model, VersionRange range) {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(range, "range");
        return withReader("find the highest version of " + model + " in " + range, s -> {
            long modelId = modelId(s, model);
            if (modelId < 0) {
                return Optional.<ModelVersion>empty();
            }
            PreparedStatement scan = s.named("find.versions_by_precedence_desc");
            scan.setLong(1, modelId);
            long match = -1;
            try (ResultSet rs = scan.executeQuery()) {
                while (rs.next()) {
                    if (range.contains(SemVer.parse(rs.getString(1)))) {
                        match = rs.getLong(2);
                        break;
                    }
                }
            }
            if (match < 0) {
                return Optional.<ModelVersion>empty();
            }
            PreparedStatement entry = s.named("log.entry");
            entry.setLong(1, modelId);
            entry.setLong(2, match);
            try (ResultSet rs = entry.executeQuery()) {
                return rs.next() ? Optional.of(versionOf(rs.getString(1))) : Optional.<ModelVersion>empty();
            }
        });
    }

    @Override
    public Page<ModelVersion> search(ModelName model, VersionQuery query) {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(query, "query");
        return withReader("search the versions of " + model, s -> {
            long modelId = modelId(s, model);
            if (modelId < 0) {
                return new Page<ModelVersion>(List.of(), null);
            }
            SearchStatement search = SearchStatement.of(statements, modelId, query);
            List<ModelVersion> rows = new ArrayList<>(query.limit() + 1);
            try (PreparedStatement ps = s.connection().prepareStatement(search.sql())) {
                search.bind(ps);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        rows.add(versionOf(rs.getString(1)));
                    }
                }
            }
            if (rows.size() <= query.limit()) {
                return new Page<>(rows, null);
            }
            List<ModelVersion> items = rows.subList(0, query.limit());
            return new Page<>(items, query.cursorAfter(items.get(items.size() - 1)));
        });
    }

    // ================================================================ lineage and requests

    /**
     * A recursive CTE over {@code lineage_edges} finds the versions within the depth limit upstream of
     * the start (and the versions that give its code commits their labels); a {@link LineageGraph} of
     * just those versions, in the full graph's order, then walks them, so paths, order and the stage
     * filter are the core's own.
     */
    @Override
    public Optional<List<LineageResult>> upstream(ModelName model, SemVer version, LineageQuery query) {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(query, "query");
        return withReader("trace the lineage upstream of " + model + "@" + version, s -> {
            PreparedStatement find = s.named("lineage.find_version_node");
            find.setString(1, model.value());
            find.setBytes(2, PrecedenceKey.of(version));
            long node;
            try (ResultSet rs = find.executeQuery()) {
                if (!rs.next()) {
                    return Optional.<List<LineageResult>>empty();
                }
                node = rs.getLong(1);
            }
            return Optional.of(slice(s, "lineage.upstream_slice", node, query).upstream(NodeId.version(model, version), query));
        });
    }

    /** As {@link #upstream}, walking the edges backwards from any node. */
    @Override
    public Optional<List<LineageResult>> downstream(NodeId start, LineageQuery query) {
        Objects.requireNonNull(start, "node");
        Objects.requireNonNull(query, "query");
        return withReader("trace the lineage downstream of " + start, s -> {
            PreparedStatement find = s.named("lineage.find_node");
            find.setString(1, start.kind().name());
            find.setString(2, start.id());
            long node;
            try (ResultSet rs = find.executeQuery()) {
                if (!rs.next()) {
                    return Optional.<List<LineageResult>>empty();
                }
                node = rs.getLong(1);
            }
            return Optional.of(slice(s, "lineage.downstream_slice", node, query).downstream(start, query));
        });
    }

    /** The lineage graph of the versions one slice statement returns, in its order, with their current stages. */
    private LineageGraph slice(Session s, String statement, long startNode, LineageQuery query) throws SQLException {
        PreparedStatement ps = s.named(statement);
        ps.setLong(1, startNode);
        ps.setInt(2, query.maxDepth());
        List<ModelVersion> versions = new ArrayList<>();
        Map<ModelVersion, Stage> stages = new IdentityHashMap<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                ModelVersion v = versionOf(rs.getString(1));
                versions.add(v);
                stages.put(v, Stage.of(rs.getString(2)));
            }
        }
        return LineageGraph.build(versions, stages::get);
    }

    @Override
    public List<LogEntry> openRequestEntries(ModelName model) {
        Objects.requireNonNull(model, "model");
        return withReader("list the open requests of " + model, s -> {
            long modelId = modelId(s, model);
            if (modelId < 0) {
                return List.<LogEntry>of();
            }
            PreparedStatement ps = s.named("request.entries");
            ps.setLong(1, modelId);
            List<LogEntry> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(EventCodec.fromJson(rs.getString(2)));
                }
            }
            return List.copyOf(out);
        });
    }

    @Override
    public List<ModelName> modelsWithOpenRequests() {
        return withReader("list the models with open requests", s -> {
            List<ModelName> out = new ArrayList<>();
            try (ResultSet rs = s.named("request.models").executeQuery()) {
                while (rs.next()) {
                    out.add(storedName(rs.getString(1)));
                }
            }
            return List.copyOf(out);
        });
    }

    @FunctionalInterface
    private interface Binder {
        void bind(PreparedStatement ps) throws SQLException;
    }

    private Optional<ModelVersion> findOne(String what, String statement, ModelName model, Binder more) {
        Objects.requireNonNull(model, "model");
        return withReader(what, s -> {
            PreparedStatement ps = s.named(statement);
            ps.setString(1, model.value());
            more.bind(ps);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(versionOf(rs.getString(1))) : Optional.<ModelVersion>empty();
            }
        });
    }

    private ModelVersion versionOf(String entryJson) {
        LogEntry entry = EventCodec.fromJson(entryJson);
        if (!(entry.event() instanceof VersionRegistered r)) {
            throw new IntegrityException("Entry " + entry.sequence() + " of " + entry.model() + " in " + file
                    + " is indexed as a registration but holds " + entry.event().getClass().getSimpleName());
        }
        return r.version();
    }

    // ================================================================ connections

    @FunctionalInterface
    private interface SqlWork<T> {
        T run(Session session) throws SQLException;
    }

    private <T> T withReader(String what, SqlWork<T> work) {
        ensureOpen();
        Session session = borrowReader();
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

    private Session borrowReader() {
        Session s = idleReaders.pollFirst();
        if (s != null) {
            idleCount.decrementAndGet();
            return s;
        }
        return connect(file, readerConfig, statements);
    }

    private void giveBack(Session s, boolean healthy) {
        if (healthy && !closed) {
            if (idleCount.incrementAndGet() <= MAX_IDLE_READERS) {
                idleReaders.offerFirst(s);
                // close() may have drained the pool just before the offer.
                if (closed && idleReaders.remove(s)) {
                    closeQuietly(s, null);
                }
                return;
            }
            idleCount.decrementAndGet();
        }
        closeQuietly(s, null);
    }

    private void ensureOpen() {
        if (closed) {
            throw new StorageException("The SQLite event store on " + file + " is closed");
        }
    }

    /** Closes every connection. Readers in use are closed when they are handed back. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        writeLock.lock();
        try {
            closeQuietly(writer, null);
        } finally {
            writeLock.unlock();
        }
        synchronized (signal) {
            closeQuietly(signal, null);
        }
        Session s;
        while ((s = idleReaders.pollFirst()) != null) {
            closeQuietly(s, null);
        }
    }

    private static void closeQuietly(Session s, Throwable primary) {
        try {
            s.close();
        } catch (SQLException e) {
            if (primary != null) {
                primary.addSuppressed(e);
            }
        }
    }

    @Override
    public String toString() {
        return "SqliteEventStore[" + file + ", " + durability + "]";
    }

}
