package dev.modelregistry.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelregistry.DatasetRef;
import dev.modelregistry.ModelRegistry;
import dev.modelregistry.SemVer;
import dev.modelregistry.lineage.LineageQuery;
import dev.modelregistry.lineage.LineageResult;
import dev.modelregistry.lineage.NodeId;
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

@DisplayName("migrating a schema 1 database")
class SchemaMigrationTest {
    /** The tables of schema 1, parents first, and what a schema 1 store wrote into them. */
    private static final List<String> V1_TABLES = List.of("models", "log_entries", "versions", "tags", "labels", "metrics",
            "stage_history");

    @TempDir
    Path dir;

    @Test
    @DisplayName("adds the lineage and request tables and fills them from the stored logs, as appends would have")
    void backfillsSchemaTwo() throws SQLException {
        // The reference: the same history written by this version, whose appends fill every table.
        Path current = dir.resolve("current");
        try (ModelRegistry writer = SqliteRegistry.open(current)) {
            RequestPushdownTest.populate(writer);
        }
        Path currentDb = current.resolve(SqliteRegistry.DATABASE_FILE);

        // A schema 1 database holding that history: V1 applied alone, then the rows a schema 1 store
        // writes (its tables and its projection are unchanged in schema 2).
        Path old = dir.resolve("old.db");
        try (Session session = new Session(OpeningDatabasesTest.jdbc(old), Statements.get())) {
            Migrator.migrate(session, old, 1);
        }
        try (Connection c = OpeningDatabasesTest.jdbc(old); Statement st = c.createStatement()) {
            st.execute("ATTACH DATABASE '" + currentDb.toString().replace("'", "''") + "' AS src");
            for (String table : V1_TABLES) {
                st.execute("INSERT INTO main." + table + " SELECT * FROM src." + table);
            }
            st.execute("DETACH DATABASE src");
            assertThat(OpeningDatabasesTest.queryLong(c, "SELECT MAX(version) FROM schema_version")).isEqualTo(1);
            assertThat(OpeningDatabasesTest.queryLong(c,
                    "SELECT count(*) FROM sqlite_schema WHERE name IN ('lineage_nodes', 'open_requests')")).isZero();
        }

        SqliteEventStore.open(old).close();
        try (Connection c = OpeningDatabasesTest.jdbc(old)) {
            assertThat(OpeningDatabasesTest.queryLong(c, "SELECT MAX(version) FROM schema_version")).isEqualTo(2);
            assertThat(OpeningDatabasesTest.queryString(c, "PRAGMA integrity_check")).isEqualTo("ok");
            assertThat(OpeningDatabasesTest.queryLong(c, "SELECT count(*) FROM pragma_foreign_key_check")).isZero();
        }
        assertThat(schemaTwoRows(old)).isEqualTo(schemaTwoRows(currentDb)).hasSizeGreaterThan(40);

        // And the registry answers the same on both.
        try (ModelRegistry a = SqliteRegistry.open(current);
             ModelRegistry onOld = ModelRegistry.builder().eventStore(SqliteEventStore.open(old)).build()) {
            NodeId shared = NodeId.dataset(DatasetRef.gitCommit("s3://lake/tx", "3f2c1e0"));
            assertThat(describe(onOld.downstream(shared, LineageQuery.unlimited())))
                    .isEqualTo(describe(a.downstream(shared, LineageQuery.unlimited()))).hasSize(15);
            assertThat(describe(onOld.upstream("m4", SemVer.parse("1.3.0"), LineageQuery.unlimited())))
                    .isEqualTo(describe(a.upstream("m4", SemVer.parse("1.3.0"), LineageQuery.unlimited())));
            for (String model : RequestPushdownTest.MODELS) {
                assertThat(onOld.openRequests(model)).isEqualTo(a.openRequests(model));
            }
            assertThat(onOld.openRequestsAwaiting("qa")).isEqualTo(a.openRequestsAwaiting("qa")).hasSize(3);
        }
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
