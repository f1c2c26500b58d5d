package dev.modelregistry.sqlite;

import dev.modelregistry.Sha256;
import dev.modelregistry.testkit.Backend;
import dev.modelregistry.testkit.TamperEvidenceConformanceTests;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.function.UnaryOperator;

/**
 * The tamper-evidence suite on SQLite. Tampering is raw JDBC on the database file, with its own
 * connection and SQLite's defaults (foreign keys off), as anyone with write access to the file could;
 * artifacts are edited in place in the artifact folder.
 */
class SqliteTamperEvidenceTest extends TamperEvidenceConformanceTests {
    private static final String MODEL_ID = "(SELECT model_id FROM models WHERE name = ?)";
    private Path dir;

    @Override
    protected Backend openBackend(Path dir) {
        this.dir = dir;
        return () -> SqliteRegistry.builder(dir);
    }

    private Connection raw() throws SQLException {
        return DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(SqliteRegistry.DATABASE_FILE));
    }

    private String text(Connection c, String model, long sequence) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT entry_json FROM log_entries WHERE model_id = " + MODEL_ID + " AND sequence = ?")) {
            ps.setString(1, model);
            ps.setLong(2, sequence);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new IllegalStateException("no row " + sequence + " of " + model);
                }
                return rs.getString(1);
            }
        }
    }

    private void update(Connection c, String model, long sequence, String text) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE log_entries SET entry_json = ? WHERE model_id = " + MODEL_ID + " AND sequence = ?")) {
            ps.setString(1, text);
            ps.setString(2, model);
            ps.setLong(3, sequence);
            if (ps.executeUpdate() != 1) {
                throw new IllegalStateException("no row " + sequence + " of " + model);
            }
        }
    }

    @Override
    protected void rewriteStoredEntry(String model, long sequence, UnaryOperator<String> edit) throws SQLException {
        try (Connection c = raw()) {
            update(c, model, sequence, edit.apply(text(c, model, sequence)));
        }
    }

    @Override
    protected void deleteStoredEntry(String model, long sequence) throws SQLException {
        deleteWhere(model, "sequence = ?", sequence);
    }

    @Override
    protected void swapStoredEntries(String model, long a, long b) throws SQLException {
        try (Connection c = raw()) {
            String first = text(c, model, a);
            update(c, model, a, text(c, model, b));
            update(c, model, b, first);
        }
    }

    @Override
    protected void deleteTail(String model, long fromSequence) throws SQLException {
        deleteWhere(model, "sequence >= ?", fromSequence);
    }

    private void deleteWhere(String model, String condition, long sequence) throws SQLException {
        try (Connection c = raw(); PreparedStatement ps = c.prepareStatement(
                "DELETE FROM log_entries WHERE model_id = " + MODEL_ID + " AND " + condition)) {
            ps.setString(1, model);
            ps.setLong(2, sequence);
            if (ps.executeUpdate() < 1) {
                throw new IllegalStateException("nothing deleted from " + model + " at " + sequence);
            }
        }
    }

    @Override
    protected void flipArtifactByte(Sha256 digest) throws Exception {
        Path file = dir.resolve(SqliteRegistry.ARTIFACTS_FOLDER).resolve("sha256").resolve(digest.hex().substring(0, 2)).resolve(digest.hex());
        file.toFile().setWritable(true);
        byte[] bytes = Files.readAllBytes(file);
        bytes[0] ^= 0x01;
        Files.write(file, bytes);
    }
}
