package dev.modelregistry.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelregistry.ModelRegistry;
import dev.modelregistry.Principal;
import dev.modelregistry.Registration;
import dev.modelregistry.SemVer;
import dev.modelregistry.VerificationReport;
import dev.modelregistry.LineageQuery;
import dev.modelregistry.LineageResult;
import dev.modelregistry.NodeId;
import dev.modelregistry.testkit.contract.GeneratedHistory;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("migrating databases of older schemas")
class SchemaMigrationTest {
    /** The tables of schema 1, parents first, and what a schema 1 store wrote into them. */
    private static final List<String> V1_TABLES = List.of("models", "log_entries", "versions", "tags", "labels", "metrics",
            "stage_history");
    /** The tables schema 2 added, parents first. */
    private static final List<String> V2_TABLES = List.of("lineage_nodes", "lineage_edges", "open_requests", "request_decisions");

    private static final Principal ALICE = Principal.of("alice", "admin");

    @TempDir
    Path dir;

    @Test
    @DisplayName("adds the lineage and request tables and fills them from the stored logs, as appends would have")
    void backfillsSchemaTwo() throws SQLException {
        // The reference: the same history written by this version, whose appends fill every table.
        Path current = dir.resolve("current");
        try (ModelRegistry writer = SqliteRegistry.open(current)) {
            GeneratedHistory.writeRequests(writer);
        }
        Path currentDb = current.resolve(SqliteRegistry.DATABASE_FILE);

        // A schema 1 database holding that history: V1 applied alone, then the rows a schema 1 store
        // writes (its tables and its projection are unchanged in schema 2).
        Path old = dir.resolve("old.db");
        try (Session session = new Session(OpeningDatabasesTest.jdbc(old), Statements.get())) {
            Migrator.migrate(session, old, 1);
        }
        copyRows(currentDb, old, V1_TABLES);
        try (Connection c = OpeningDatabasesTest.jdbc(old)) {
            assertThat(OpeningDatabasesTest.queryLong(c, "SELECT MAX(version) FROM schema_version")).isEqualTo(1);
            assertThat(OpeningDatabasesTest.queryLong(c,
                    "SELECT count(*) FROM sqlite_schema WHERE name IN ('lineage_nodes', 'open_requests')")).isZero();
        }

        SqliteEventStore.open(old).close();
        try (Connection c = OpeningDatabasesTest.jdbc(old)) {
            assertThat(OpeningDatabasesTest.queryLong(c, "SELECT MAX(version) FROM schema_version")).isEqualTo(Migrator.latestVersion());
            assertThat(OpeningDatabasesTest.queryString(c, "PRAGMA integrity_check")).isEqualTo("ok");
            assertThat(OpeningDatabasesTest.queryLong(c, "SELECT count(*) FROM pragma_foreign_key_check")).isZero();
        }
        assertThat(schemaTwoRows(old)).isEqualTo(schemaTwoRows(currentDb)).hasSizeGreaterThan(40);

        // And the registry answers the same on both.
        try (ModelRegistry a = SqliteRegistry.open(current);
             ModelRegistry onOld = ModelRegistry.builder().eventStore(SqliteEventStore.open(old)).build()) {
            NodeId shared = NodeId.dataset(GeneratedHistory.SHARED);
            assertThat(describe(onOld.downstream(shared, LineageQuery.unlimited())))
                    .isEqualTo(describe(a.downstream(shared, LineageQuery.unlimited()))).hasSize(15);
            assertThat(describe(onOld.upstream("m4", SemVer.parse("1.3.0"), LineageQuery.unlimited())))
                    .isEqualTo(describe(a.upstream("m4", SemVer.parse("1.3.0"), LineageQuery.unlimited())));
            for (String model : GeneratedHistory.REQUESTS) {
                assertThat(onOld.openRequests(model)).isEqualTo(a.openRequests(model));
            }
            assertThat(onOld.openRequestsAwaiting("qa")).isEqualTo(a.openRequestsAwaiting("qa")).hasSize(3);
        }
    }

    @Test
    @DisplayName("records each log's head in its models row, from the stored logs, and the heads then reveal a deleted tail")
    void backfillsSchemaThree() throws SQLException {
        Path current = dir.resolve("current");
        try (ModelRegistry writer = SqliteRegistry.open(current)) {
            GeneratedHistory.writeRequests(writer);
        }
        Path currentDb = current.resolve(SqliteRegistry.DATABASE_FILE);

        // A schema 2 database holding that history: V1 and V2 applied, then the rows a schema 2 store
        // writes (the models rows without a head).
        Path old = dir.resolve("old.db");
        try (Session session = new Session(OpeningDatabasesTest.jdbc(old), Statements.get())) {
            Migrator.migrate(session, old, 2);
        }
        List<String> tables = new ArrayList<>(V1_TABLES);
        tables.addAll(V2_TABLES);
        copyRows(currentDb, old, tables);
        try (Connection c = OpeningDatabasesTest.jdbc(old)) {
            assertThat(OpeningDatabasesTest.queryLong(c, "SELECT MAX(version) FROM schema_version")).isEqualTo(2);
            assertThat(OpeningDatabasesTest.queryLong(c, "SELECT count(*) FROM pragma_table_info('models') WHERE name LIKE 'head%'")).isZero();
        }

        SqliteEventStore.open(old).close();
        try (Connection c = OpeningDatabasesTest.jdbc(old)) {
            assertThat(OpeningDatabasesTest.queryLong(c, "SELECT MAX(version) FROM schema_version")).isEqualTo(3);
            assertThat(OpeningDatabasesTest.queryString(c, "PRAGMA integrity_check")).isEqualTo("ok");
            assertThat(OpeningDatabasesTest.queryLong(c, "SELECT count(*) FROM pragma_foreign_key_check")).isZero();
            assertThat(OpeningDatabasesTest.queryLong(c, "SELECT count(*) FROM models m WHERE m.head_sequence IS NOT"
                    + " (SELECT MAX(l.sequence) FROM log_entries l WHERE l.model_id = m.model_id) OR m.head_hash IS NOT"
                    + " (SELECT l.hash FROM log_entries l WHERE l.model_id = m.model_id ORDER BY l.sequence DESC LIMIT 1)")).isZero();
        }
        // The heads the migration recorded are the ones this version's appends recorded.
        assertThat(heads(old)).isEqualTo(heads(currentDb)).hasSize(GeneratedHistory.REQUESTS.size() + 1);

        long m4Head;
        try (ModelRegistry onOld = ModelRegistry.builder().eventStore(SqliteEventStore.open(old)).build()) {
            VerificationReport report = onOld.verify();
            assertThat(report.intact()).as(report.summary()).isTrue();
            assertThat(report.logs()).hasSize(GeneratedHistory.REQUESTS.size() + 1);
            // Appends go on moving the head.
            onOld.register(ALICE, Registration.of("m0").version("2.0.0").build());
            assertThat(onOld.verify("m0").intact()).isTrue();
            m4Head = onOld.findModel("m4").orElseThrow().logLength();
        }
        try (Connection c = OpeningDatabasesTest.jdbc(old); Statement st = c.createStatement()) {
            assertThat(OpeningDatabasesTest.queryString(c, "SELECT event_type FROM log_entries l JOIN models m USING (model_id)"
                    + " WHERE m.name = 'm4' AND l.sequence = " + m4Head)).isEqualTo("PromotionRequested");
            assertThat(OpeningDatabasesTest.queryLong(c, "SELECT head_sequence FROM models WHERE name = 'm0'"))
                    .isEqualTo(OpeningDatabasesTest.queryLong(c, "SELECT MAX(sequence) FROM log_entries l JOIN models m USING (model_id) WHERE m.name = 'm0'"));
            // m4's log ends with a request, which no query table of schema 2 refers to once it is gone.
            assertThat(st.executeUpdate("DELETE FROM log_entries WHERE model_id = (SELECT model_id FROM models WHERE name = 'm4')"
                    + " AND sequence = " + m4Head)).isEqualTo(1);
        }
        try (ModelRegistry onOld = ModelRegistry.builder().eventStore(SqliteEventStore.open(old)).build()) {
            VerificationReport.LogResult problem = onOld.verify("m4").firstProblem().orElseThrow();
            assertThat(problem.finding()).isEqualTo(VerificationReport.Finding.TRUNCATED);
            assertThat(problem.firstBrokenSequence()).hasValue(m4Head);
            assertThat(problem.problem()).contains("models row (m4)");
        }
    }

    /**
     * Copies the rows of {@code tables} (parents first) from {@code from} into the same tables of
     * {@code into}, in the columns {@code into} has: what a store of {@code into}'s schema would have
     * written for the same history.
     */
    private static void copyRows(Path from, Path into, List<String> tables) throws SQLException {
        try (Connection c = OpeningDatabasesTest.jdbc(into); Statement st = c.createStatement()) {
            st.execute("ATTACH DATABASE '" + from.toString().replace("'", "''") + "' AS src");
            for (String table : tables) {
                List<String> columns = new ArrayList<>();
                try (ResultSet rs = st.executeQuery("SELECT name FROM pragma_table_info('" + table + "', 'main') ORDER BY cid")) {
                    while (rs.next()) {
                        columns.add(rs.getString(1));
                    }
                }
                assertThat(columns).as(table).isNotEmpty();
                String list = String.join(", ", columns);
                st.execute("INSERT INTO main." + table + " (" + list + ") SELECT " + list + " FROM src." + table);
            }
            st.execute("DETACH DATABASE src");
        }
    }

    private static List<String> heads(Path db) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Connection c = OpeningDatabasesTest.jdbc(db); Statement st = c.createStatement()) {
            collect(st, rows, "SELECT name, head_sequence, head_hash, '' FROM models ORDER BY name");
        }
        return rows;
    }

    /** The rows of the schema 2 tables by names and sequences, not by row ids (those follow insertion order). */
    private static List<String> schemaTwoRows(Path db) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Connection c = OpeningDatabasesTest.jdbc(db); Statement st = c.createStatement()) {
            collect(st, rows, "SELECT 'node', n.kind, n.name, COALESCE(m.name || '@' || v.version, '-') FROM lineage_nodes n"
                    + " LEFT JOIN versions v ON v.version_id = n.version_id LEFT JOIN models m ON m.model_id = v.model_id");
            collect(st, rows, "SELECT 'edge', f.kind || ' ' || f.name, t.kind || ' ' || t.name, '' FROM lineage_edges e"
                    + " JOIN lineage_nodes f ON f.node_id = e.from_node JOIN lineage_nodes t ON t.node_id = e.to_node");
            collect(st, rows, "SELECT 'request', m.name, o.request_seq, v.version || '->' || o.to_stage FROM open_requests o"
                    + " JOIN models m ON m.model_id = o.model_id JOIN versions v ON v.version_id = o.version_id");
            collect(st, rows, "SELECT 'decision', m.name, d.request_seq, d.decision_seq FROM request_decisions d"
                    + " JOIN models m ON m.model_id = d.model_id");
        }
        rows.sort(null);
        return rows;
    }

    private static void collect(Statement st, List<String> rows, String sql) throws SQLException {
        try (ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                rows.add(rs.getString(1) + " | " + rs.getString(2) + " | " + rs.getString(3) + " | " + rs.getString(4));
            }
        }
    }

    private static List<String> describe(List<LineageResult> results) {
        return results.stream().map(r -> r.id() + " | " + r.depth() + " | " + r.node() + " | " + r.path()).toList();
    }
}
