package dev.modelregistry.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.modelregistry.AccessDeniedException;
import dev.modelregistry.Evaluation;
import dev.modelregistry.IntegrityException;
import dev.modelregistry.ModelRegistry;
import dev.modelregistry.Principal;
import dev.modelregistry.Registration;
import dev.modelregistry.Sha256;
import dev.modelregistry.Stage;
import dev.modelregistry.VerificationReport;
import dev.modelregistry.VerificationReport.Finding;
import dev.modelregistry.AccessPolicy;
import dev.modelregistry.EventCodec;
import dev.modelregistry.LogEntry;
import dev.modelregistry.SigningKey;
import dev.modelregistry.testkit.Backend;
import dev.modelregistry.testkit.TamperEvidenceConformanceTests;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The tamper-evidence suite on SQLite. Tampering is raw JDBC on the database file, with its own
 * connection and SQLite's defaults (foreign keys off), as anyone with write access to the file could;
 * artifacts are edited in place in the artifact folder. The tests of its own are about the end of
 * each log recorded in the models row (schema 3), which the tampering hooks leave alone except where
 * they rewrite an entry (its last entry's hash is a copy of the entry's).
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

    /**
     * Every copy of the entry: its row's text and hash columns, and, for the last entry of the log, the
     * head hash its models row records (the whole entry is copied nowhere else). A suite test that
     * re-hashes the chain thereby plays an attacker who knows the schema; the tests below that leave
     * the models row alone play one who does not.
     */
    @Override
    protected void rewriteStoredEntry(String model, long sequence, UnaryOperator<String> edit) throws SQLException {
        try (Connection c = raw()) {
            String text = edit.apply(text(c, model, sequence));
            update(c, model, sequence, text);
            LogEntry parsed;
            try {
                parsed = EventCodec.fromJson(text);
            } catch (RuntimeException unreadable) {
                return; // no hash to copy
            }
            execute(c, "UPDATE log_entries SET hash = ?, prev_hash = ? WHERE model_id = " + MODEL_ID + " AND sequence = ?",
                    parsed.hash().hex(), parsed.prevHash().hex(), model, sequence);
            execute(c, "UPDATE models SET head_hash = ? WHERE name = ? AND head_sequence = ?", parsed.hash().hex(), model, sequence);
        }
    }

    private static int execute(Connection c, String sql, Object... values) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < values.length; i++) {
                ps.setObject(i + 1, values[i]);
            }
            return ps.executeUpdate();
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

    private long queryLong(String sql, Object... values) throws SQLException {
        try (Connection c = raw(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < values.length; i++) {
                ps.setObject(i + 1, values[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private List<String> eventTypes(String model, long fromSequence) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = raw(); PreparedStatement ps = c.prepareStatement(
                "SELECT event_type FROM log_entries WHERE model_id = " + MODEL_ID + " AND sequence >= ? ORDER BY sequence")) {
            ps.setString(1, model);
            ps.setLong(2, fromSequence);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }

    /** Sets the models row's head to entry {@code sequence} as stored, as someone who knows the schema would. */
    private void lowerRecordedHead(String model, long sequence) throws SQLException {
        try (Connection c = raw()) {
            assertThat(execute(c, "UPDATE models SET head_sequence = ?, head_hash = (SELECT l.hash FROM log_entries l"
                    + " WHERE l.model_id = models.model_id AND l.sequence = ?) WHERE name = ?", sequence, sequence, model)).isEqualTo(1);
        }
    }

    /** Appends 9 (an evaluation) and 10 (a signature) after the suite's history: neither touches a query table. */
    private void evaluateAndSign() {
        registry.recordEvaluation(ALICE, MODEL, v("1.1.0"), Evaluation.of(HOLDOUT, Map.of("auc", 0.93)), "nightly evaluation");
        registry.sign(ALICE, MODEL, v("1.1.0"), SigningKey.generate("release-2026"));
    }

    // =====================================================================================
    @Nested
    @DisplayName("the end of each log recorded in its models row")
    class RecordedHeadInModelsRow {

        @BeforeEach
        void recordHistory() {
            history();
        }

        @Test
        @DisplayName("a tail of an evaluation, a signature and a denial deleted through raw JDBC is TRUNCATED at its first entry, and appends are refused so the evidence stays")
        void otherEventsTailDeleted() throws Exception {
            registry.setAccessPolicy(ALICE, AccessPolicy.standardRoles(), "standard roles");
            evaluateAndSign();
            assertThatThrownBy(() -> registry.promote(Principal.of("bob", "viewer"), MODEL, v("1.0.0"), Stage.STAGING, "me too"))
                    .isInstanceOf(AccessDeniedException.class);
            assertThat(eventTypes(MODEL, 9)).containsExactly("EvaluationRecorded", "VersionSigned", "AccessDenied");

            deleteTail(MODEL, 9);

            VerificationReport.LogResult problem = newRegistry().verify(MODEL).firstProblem().orElseThrow();
            assertThat(problem.finding()).isEqualTo(Finding.TRUNCATED);
            assertThat(problem.firstBrokenSequence()).hasValue(9);
            assertThat(problem.entriesChecked()).isEqualTo(8);
            assertThat(problem.problem()).contains("the log ends at 8").contains("models row (" + MODEL + ")")
                    .contains(SqliteRegistry.DATABASE_FILE).contains("reached 11").contains("9..11");

            // Appending would hide the deletion: refused, by a fresh registry and by one that read the log before.
            ModelRegistry fresh = newRegistry();
            assertThatThrownBy(() -> fresh.register(ALICE, Registration.of(MODEL).version("1.2.0").build()))
                    .isInstanceOf(IntegrityException.class)
                    .hasMessageContaining("ends at 8").hasMessageContaining("reached 11").hasMessageContaining("nothing was written");
            assertThatThrownBy(() -> registry.recordEvaluation(ALICE, MODEL, v("1.1.0"), Evaluation.of(HOLDOUT, Map.of("auc", 0.5)), ""))
                    .isInstanceOf(IntegrityException.class);
            assertThat(queryLong("SELECT MAX(sequence) FROM log_entries WHERE model_id = " + MODEL_ID, MODEL)).isEqualTo(8);
            assertThat(newRegistry().verify(MODEL).firstProblem().orElseThrow().finding()).isEqualTo(Finding.TRUNCATED);
        }

        @Test
        @DisplayName("the last entries rewritten through raw JDBC with every hash recomputed are named EDITED at the head the models row recorded")
        void rehashedTailReplaced() throws Exception {
            evaluateAndSign();
            List<LogEntry> log = registry.log(MODEL);
            // Someone changes who recorded entries 9 and 10 and re-hashes them: the chain verifies; the models row is left as it was.
            Sha256 prev = log.get(7).hash();
            try (Connection c = raw()) {
                for (LogEntry e : log.subList(8, 10)) {
                    LogEntry forged = LogEntry.seal(e.model(), e.sequence(), e.time(), "mallory", e.reason(), prev, e.event());
                    update(c, MODEL, e.sequence(), EventCodec.toJson(forged));
                    prev = forged.hash();
                }
            }

            VerificationReport.LogResult problem = newRegistry().verify(MODEL).firstProblem().orElseThrow();
            assertThat(problem.finding()).isEqualTo(Finding.EDITED);
            assertThat(problem.firstBrokenSequence()).hasValue(10);
            assertThat(problem.problem()).contains("entry 10").contains("models row (" + MODEL + ")").contains("replaced")
                    .contains(log.get(9).hash().hex());
            assertThatThrownBy(() -> newRegistry().recordEvaluation(ALICE, MODEL, v("1.1.0"), Evaluation.of(HOLDOUT, Map.of("auc", 0.5)), ""))
                    .isInstanceOf(IntegrityException.class).hasMessageContaining("replaced");
        }

        @Test
        @DisplayName("a tail deleted together with a lowered models row is still TRUNCATED where the query tables reach")
        void modelsRowLoweredToo() throws Exception {
            deleteTail(MODEL, 7);
            lowerRecordedHead(MODEL, 6);

            VerificationReport.LogResult problem = newRegistry().verify(MODEL).firstProblem().orElseThrow();
            assertThat(problem.finding()).isEqualTo(Finding.TRUNCATED);
            assertThat(problem.firstBrokenSequence()).hasValue(7);
            assertThat(problem.problem()).contains("query tables").contains("reached 8");
        }

        @Test
        @DisplayName("the stated limit: a tail of other events deleted together with a lowered models row reads as a shorter log")
        void consistentAttackerUnseen() throws Exception {
            evaluateAndSign();
            deleteTail(MODEL, 9);
            lowerRecordedHead(MODEL, 8);

            VerificationReport report = newRegistry().verify(MODEL);
            assertThat(report.intact()).as(report.summary()).isTrue();
            assertThat(report.entriesChecked()).isEqualTo(8);
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
