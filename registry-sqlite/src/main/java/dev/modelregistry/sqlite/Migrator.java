package dev.modelregistry.sqlite;

import dev.modelregistry.StorageException;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/**
 * Brings a database file to the schema this library writes, and refuses every file it must not
 * touch. Migrations are the classpath scripts {@code db/migration/V<n>__<name>.sql} next to this
 * class, applied in order; each runs in the same {@code BEGIN IMMEDIATE} transaction as the row
 * that records it in {@code schema_version}, so two processes opening a new file at once apply it
 * exactly once and a crash never leaves half a migration.
 *
 * <p>The scripts live under this package rather than at the classpath root so that an application
 * using Flyway's default location ({@code db/migration}) never picks them up.
 */
final class Migrator {
    private static final Logger LOG = LoggerFactory.getLogger(Migrator.class);

    /** {@code PRAGMA application_id} of a registry database: "MREG". Set by V1__init.sql. */
    static final int APPLICATION_ID = 0x4D524547;

    /** Every migration, in order; V{n} is at index n-1. A new schema adds a script and a line here. */
    static final List<String> MIGRATIONS = List.of("V1__init", "V2__lineage_and_requests", "V3__log_heads");

    /**
     * Steps that run right after a migration's script, in its transaction: a new query table derived
     * from the logs is filled from the entries already stored, by the same projection code that
     * fills it on every append (deriving lineage ids takes the core's Java code, not SQL). V3's
     * backfill (each log's head) is plain SQL in its script.
     */
    private static final Map<String, SqlStep> AFTER_SCRIPT = Map.of("V2__lineage_and_requests", Projection::backfillSchema2);

    @FunctionalInterface
    private interface SqlStep {
        void run(Session writer) throws SQLException;
    }

    static final String MIGRATION_FOLDER = "db/migration/";

    private Migrator() {
    }

    static int latestVersion() {
        return MIGRATIONS.size();
    }

    /**
     * Reads, without writing anything, whether {@code session}'s file is one this library may use:
     * an empty database (returns 0) or a registry database of a known schema version (returns it).
     *
     * @throws StorageException naming the file and the reason, for every other file
     */
    static int inspect(Session session, Path file) {
        try {
            int applicationId = queryInt(session, "meta.application_id");
            if (applicationId == 0) {
                int objects = queryInt(session, "meta.object_count");
                if (objects == 0) {
                    return 0;
                }
                throw new StorageException(file + " is an SQLite database but not a model registry database: it has "
                        + objects + " schema objects and no registry marker (application_id " + hex(APPLICATION_ID)
                        + "); refusing to change it");
            }
            if (applicationId != APPLICATION_ID) {
                throw new StorageException(file + " is an SQLite database of another application (application_id "
                        + hex(applicationId) + ", a model registry has " + hex(APPLICATION_ID) + "); refusing to change it");
            }
            if (queryInt(session, "meta.has_schema_version_table") == 0) {
                throw new StorageException(file + " carries the model registry marker but has no schema_version table;"
                        + " it is damaged or was not written by registry-sqlite; refusing to change it");
            }
            int version = queryInt(session, "meta.schema_version");
            if (version > latestVersion()) {
                throw new StorageException(file + " was written with registry schema version " + version
                        + ", newer than schema version " + latestVersion() + ", the newest this version of registry-sqlite"
                        + " knows; upgrade registry-sqlite to open it (the file was not changed)");
            }
            return version;
        } catch (SQLiteException e) {
            if (e.getResultCode() == SQLiteErrorCode.SQLITE_NOTADB) {
                throw new StorageException(file + " is not a model registry database: it is not an SQLite database ("
                        + e.getMessage() + "); refusing to change it", e);
            }
            throw new StorageException("Cannot read the schema of " + file + ": " + e.getMessage(), e);
        } catch (SQLException e) {
            throw new StorageException("Cannot read the schema of " + file + ": " + e.getMessage(), e);
        }
    }

    /** Applies every migration newer than the file's schema version, re-checking under the write lock. */
    static void migrate(Session writer, Path file) {
        migrate(writer, file, latestVersion());
    }

    /** Applies the migrations newer than the file's schema version up to {@code target} (tests build older files with it). */
    static void migrate(Session writer, Path file, int target) {
        try {
            writer.beginImmediate();
        } catch (SQLException e) {
            throw new StorageException("Cannot lock " + file + " to check its schema: " + e.getMessage(), e);
        }
        try {
            int current = inspect(writer, file);
            for (int version = current + 1; version <= target; version++) {
                apply(writer, file, version);
            }
            writer.commit();
        } catch (SQLException e) {
            writer.rollbackQuietly();
            throw new StorageException("Cannot migrate " + file + " to schema version " + latestVersion() + ": "
                    + e.getMessage(), e);
        } catch (RuntimeException e) {
            writer.rollbackQuietly();
            throw e;
        }
    }

    private static void apply(Session writer, Path file, int version) throws SQLException {
        String name = MIGRATIONS.get(version - 1);
        try (Statement st = writer.connection().createStatement()) {
            for (String sql : Statements.script(MIGRATION_FOLDER + name + ".sql")) {
                st.execute(sql);
            }
        }
        SqlStep after = AFTER_SCRIPT.get(name);
        if (after != null) {
            after.run(writer);
        }
        PreparedStatement record = writer.named("meta.record_schema_version");
        record.setInt(1, version);
        record.setString(2, name);
        record.setString(3, Instant.now().toString());
        record.executeUpdate();
        LOG.info("Applied schema migration {} to {}", name, file);
    }

    private static int queryInt(Session session, String name) throws SQLException {
        try (ResultSet rs = session.named(name).executeQuery()) {
            return rs.next() ? rs.getInt(1) : 0;
        }
    }

    private static String hex(int id) {
        return String.format("0x%08X", id);
    }
}
