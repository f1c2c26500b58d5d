package dev.modelregistry.benchmarks.sqlite;

import dev.modelregistry.Bump;
import dev.modelregistry.ModelName;
import dev.modelregistry.ModelRegistry;
import dev.modelregistry.ModelVersion;
import dev.modelregistry.Principal;
import dev.modelregistry.Registration;
import dev.modelregistry.EventCodec;
import dev.modelregistry.LogEntry;
import dev.modelregistry.VersionRegistered;
import dev.modelregistry.sqlite.Durability;
import dev.modelregistry.sqlite.SqliteEventStore;
import dev.modelregistry.sqlite.SqliteRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Registering a metadata-only version (the core's planning and hashing, the audit event, the query
 * rows, one BEGIN IMMEDIATE transaction) against the baseline of a raw JDBC transaction inserting an
 * equivalent row set into the same schema, with the same pragmas, in the same run: the rows a
 * registration stores — one log row with JSON of the same size, one version row, one label, two
 * metrics, the version's lineage node (schema 2) and the model row's recorded head (schema 3).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class SqliteRegisterBenchmark {
    @Param({"FULL", "NORMAL"})
    public Durability durability;

    private Path dir;
    private ModelRegistry registry;
    private Connection raw;
    private PreparedStatement insertLog;
    private PreparedStatement insertVersion;
    private PreparedStatement insertLabel;
    private PreparedStatement insertMetric;
    private PreparedStatement insertLineageNode;
    private PreparedStatement advanceHead;
    private String entryJson;
    private long sequence;
    private int minor;
    private final Principal pipeline = Principal.of("pipeline");

    @Setup(Level.Trial)
    public void open() throws Exception {
        dir = Files.createTempDirectory("sqlite-register-bench");
        registry = SqliteRegistry.options(dir.resolve("registry")).durability(durability).open();
        registry.register(pipeline, registration());

        Path rawDb = dir.resolve("raw.db");
        SqliteEventStore.builder(rawDb).durability(durability).open().close(); // same schema
        raw = BenchData.sameSettingsAsStore(durability).createConnection("jdbc:sqlite:" + rawDb);
        raw.createStatement().execute("INSERT INTO models (model_id, name) VALUES (1, 'fraud')");
        insertLog = raw.prepareStatement("INSERT INTO log_entries (model_id, sequence, event_type, time, prev_hash, hash, entry_json) VALUES (1, ?, 'VersionRegistered', ?, ?, ?, ?)");
        insertVersion = raw.prepareStatement("INSERT INTO versions (model_id, version, major, minor, patch, pre_release, build, precedence, registered_seq, created_sec, created_nano) VALUES (1, ?, 1, ?, 0, '', '', ?, ?, ?, 0) RETURNING version_id");
        insertLabel = raw.prepareStatement("INSERT INTO labels (version_id, key, value) VALUES (?, 'team', 'risk')");
        insertMetric = raw.prepareStatement("INSERT INTO metrics (version_id, name, value, sort_key) VALUES (?, ?, ?, ?)");
        insertLineageNode = raw.prepareStatement("INSERT INTO lineage_nodes (kind, name, version_id) VALUES ('VERSION', ?, ?)");
        advanceHead = raw.prepareStatement("UPDATE models SET head_sequence = ?, head_hash = ? WHERE model_id = 1");
        ModelVersion sample = registry.findLatest("fraud").orElseThrow();
        entryJson = EventCodec.toJson(LogEntry.seal(ModelName.of("fraud"), 2, sample.createdAt(), "pipeline", "", LogEntry.GENESIS,
                new VersionRegistered(sample)));
    }

    private static Registration registration() {
        return Registration.of("fraud").bump(Bump.MINOR).framework("xgboost", "2.0.3").metric("auc", 0.91).metric("latency_ms", 4)
                .label("team", "risk").description("nightly retrain").build();
    }

    @Benchmark
    public ModelVersion registerMetadataOnly() {
        return registry.register(pipeline, registration());
    }

    @Benchmark
    public long rawJdbcEquivalentRows() throws SQLException {
        raw.setAutoCommit(false); // BEGIN IMMEDIATE
        long seq = ++sequence;
        int m = ++minor;
        insertLog.setLong(1, seq);
        insertLog.setString(2, "2024-01-01T00:00:00Z");
        insertLog.setString(3, "0".repeat(64));
        insertLog.setString(4, "1".repeat(64));
        insertLog.setString(5, entryJson);
        insertLog.executeUpdate();
        insertVersion.setString(1, "1." + m + ".0");
        insertVersion.setInt(2, m);
        insertVersion.setBytes(3, new byte[] {0, 0, 0, 1, (byte) (m >>> 24), (byte) (m >>> 16), (byte) (m >>> 8), (byte) m, 0, 0, 0, 0, 2});
        insertVersion.setLong(4, seq);
        insertVersion.setLong(5, seq);
        long versionId;
        try (ResultSet rs = insertVersion.executeQuery()) {
            rs.next();
            versionId = rs.getLong(1);
        }
        insertLabel.setLong(1, versionId);
        insertLabel.executeUpdate();
        for (String metric : new String[] {"auc", "latency_ms"}) {
            insertMetric.setLong(1, versionId);
            insertMetric.setString(2, metric);
            insertMetric.setDouble(3, 0.91);
            insertMetric.setLong(4, Double.doubleToLongBits(0.91));
            insertMetric.addBatch();
        }
        insertMetric.executeBatch();
        insertLineageNode.setString(1, "fraud@1." + m + ".0");
        insertLineageNode.setLong(2, versionId);
        insertLineageNode.executeUpdate();
        advanceHead.setLong(1, seq);
        advanceHead.setString(2, "1".repeat(64));
        advanceHead.executeUpdate();
        raw.setAutoCommit(true); // COMMIT
        return versionId;
    }

    @TearDown(Level.Trial)
    public void close() throws Exception {
        registry.close();
        raw.close();
        BenchData.deleteTree(dir);
    }
}
