package dev.modelregistry.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.modelregistry.ModelName;
import dev.modelregistry.StorageException;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("opening a database file")
class OpeningDatabasesTest {
    @TempDir
    Path dir;

    @Test
    @DisplayName("gives a new file the registry marker, WAL mode and every table of the newest schema")
    void freshFile() throws SQLException {
        Path db = dir.resolve("nested/folder/registry.db");
        try (SqliteEventStore store = SqliteEventStore.open(db)) {
            assertThat(store.models()).isEmpty();
            assertThat(store.durability()).isEqualTo(Durability.FULL);
            assertThat(store.busyTimeout()).isEqualTo(Duration.ofSeconds(15));
        }
        try (Connection c = jdbc(db)) {
            assertThat(queryLong(c, "PRAGMA application_id")).isEqualTo(Migrator.APPLICATION_ID);
            assertThat(queryString(c, "PRAGMA journal_mode")).isEqualTo("wal");
            assertThat(queryLong(c, "SELECT MAX(version) FROM schema_version")).isEqualTo(Migrator.latestVersion());
            assertThat(tables(c)).contains("schema_version", "models", "log_entries", "versions", "tags", "labels",
                    "metrics", "stage_history", "lineage_nodes", "lineage_edges", "open_requests", "request_decisions");
        }
    }

    @Test
    @DisplayName("reopening applies nothing twice and keeps the data")
    void reopenIsIdempotent() throws SQLException {
        Path db = dir.resolve("registry.db");
        SqliteEventStore.open(db).close();
        try (Connection c = jdbc(db)) {
            c.createStatement().execute("INSERT INTO models (name) VALUES ('kept')");
        }
        for (int i = 0; i < 3; i++) {
            try (SqliteEventStore store = SqliteEventStore.open(db)) {
                assertThat(store.models()).containsExactly(ModelName.of("kept"));
            }
        }
        try (Connection c = jdbc(db)) {
            assertThat(queryLong(c, "SELECT count(*) FROM schema_version")).isEqualTo(Migrator.latestVersion());
        }
    }

    @Test
    @DisplayName("applies the migrations once when several stores open a new file at the same time")
    void concurrentFirstOpen() throws Exception {
        Path db = dir.resolve("registry.db");
        List<Thread> threads = new ArrayList<>();
        List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
        for (int i = 0; i < 4; i++) {
            Thread t = new Thread(() -> {
                try {
                    start.await();
                    SqliteEventStore.open(db).close();
                } catch (Throwable e) {
                    failures.add(e);
                }
            });
            t.start();
            threads.add(t);
        }
        start.countDown();
        for (Thread t : threads) {
            t.join(60_000);
        }
        assertThat(failures).isEmpty();
        try (Connection c = jdbc(db)) {
            assertThat(queryLong(c, "SELECT count(*) FROM schema_version")).isEqualTo(Migrator.latestVersion());
        }
    }

    @Test
    @DisplayName("refuses a database written by a newer schema version, naming both versions, and leaves it unchanged")
    void newerSchemaRefused() throws Exception {
        Path db = dir.resolve("registry.db");
        SqliteEventStore.open(db).close();
        try (Connection c = jdbc(db)) {
            c.createStatement().execute("INSERT INTO schema_version (version, name, applied_at) VALUES (99, 'V99__future', '2030-01-01T00:00:00Z')");
            c.createStatement().execute("PRAGMA wal_checkpoint(TRUNCATE)");
        }
        byte[] before = Files.readAllBytes(db);
        assertThatThrownBy(() -> SqliteEventStore.open(db))
                .isInstanceOf(StorageException.class)
                .hasMessageContaining("schema version 99")
                .hasMessageContaining("schema version " + Migrator.latestVersion())
                .hasMessageContaining(db.toString());
        assertThat(Files.readAllBytes(db)).isEqualTo(before);
    }

    @Test
    @DisplayName("refuses an SQLite database of another application and leaves it byte-for-byte unchanged")
    void unrelatedSqliteFileRefused() throws Exception {
        Path db = dir.resolve("inventory.db");
        try (Connection c = jdbc(db)) {
            c.createStatement().execute("CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT)");
            c.createStatement().execute("INSERT INTO items (name) VALUES ('bolt')");
        }
        byte[] before = Files.readAllBytes(db);
        assertThatThrownBy(() -> SqliteEventStore.open(db))
                .isInstanceOf(StorageException.class)
                .hasMessageContaining(db.toString())
                .hasMessageContaining("not a model registry database");
        assertThat(Files.readAllBytes(db)).isEqualTo(before);
        assertThat(sidecars(db)).isEmpty();
    }

    @Test
    @DisplayName("refuses an SQLite database marked by another application, naming its application_id")
    void otherApplicationIdRefused() throws Exception {
        Path db = dir.resolve("other.db");
        try (Connection c = jdbc(db)) {
            c.createStatement().execute("PRAGMA application_id = 42");
        }
        byte[] before = Files.readAllBytes(db);
        assertThatThrownBy(() -> SqliteEventStore.open(db))
                .isInstanceOf(StorageException.class).hasMessageContaining("0x0000002A");
        assertThat(Files.readAllBytes(db)).isEqualTo(before);
    }

    @Test
    @DisplayName("refuses a file that is not an SQLite database and leaves it byte-for-byte unchanged")
    void garbageRefused() throws IOException {
        Path db = dir.resolve("registry.db");
        byte[] garbage = new byte[8192];
        new Random(3).nextBytes(garbage);
        Files.write(db, garbage);
        assertThatThrownBy(() -> SqliteEventStore.open(db))
                .isInstanceOf(StorageException.class)
                .hasMessageContaining(db.toString())
                .hasMessageContaining("not an SQLite database");
        assertThat(Files.readAllBytes(db)).isEqualTo(garbage);
        assertThat(sidecars(db)).isEmpty();

        Path text = dir.resolve("notes.db");
        Files.writeString(text, "SQLite format 3 is what this file pretends to be, but it is a note.\n");
        byte[] textBefore = Files.readAllBytes(text);
        assertThatThrownBy(() -> SqliteEventStore.open(text)).isInstanceOf(StorageException.class);
        assertThat(Files.readAllBytes(text)).isEqualTo(textBefore);
    }

    @Test
    @DisplayName("refuses a directory in place of the database file")
    void directoryRefused() throws IOException {
        Path folder = Files.createDirectories(dir.resolve("registry.db"));
        assertThatThrownBy(() -> SqliteEventStore.open(folder)).isInstanceOf(StorageException.class)
                .hasMessageContaining("is a directory");
    }

    @Test
    @DisplayName("takes each setting once and refuses a busy timeout that is not positive")
    void builderSettings() {
        SqliteEventStore.Builder b = SqliteEventStore.builder(dir.resolve("r.db")).durability(Durability.NORMAL);
        assertThatThrownBy(() -> b.durability(Durability.FULL)).isInstanceOf(IllegalStateException.class).hasMessageContaining("NORMAL");
        assertThatThrownBy(() -> b.busyTimeout(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PT0S");
        b.busyTimeout(Duration.ofSeconds(30));
        try (SqliteEventStore store = b.open()) {
            assertThat(store.durability()).isEqualTo(Durability.NORMAL);
            assertThat(store.busyTimeout()).isEqualTo(Duration.ofSeconds(30));
        }
        assertThatThrownBy(() -> SqliteRegistry.options(dir).artifacts(dir.resolve("a")).artifacts(dir.resolve("b")))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    @DisplayName("lists every migration script of the classpath folder, numbered from 1 without gaps")
    void migrationListMatchesScripts() throws IOException, URISyntaxException {
        Path folder = Path.of(Migrator.class.getResource(Migrator.MIGRATION_FOLDER).toURI());
        List<String> scripts;
        try (Stream<Path> files = Files.list(folder)) {
            scripts = files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".sql"))
                    .map(n -> n.substring(0, n.length() - 4)).sorted().toList();
        }
        assertThat(scripts).containsExactlyInAnyOrderElementsOf(Migrator.MIGRATIONS);
        for (int i = 0; i < Migrator.MIGRATIONS.size(); i++) {
            assertThat(Migrator.MIGRATIONS.get(i)).startsWith("V" + (i + 1) + "__");
        }
    }

    static Connection jdbc(Path db) throws SQLException {
        return DriverManager.getConnection("jdbc:sqlite:" + db);
    }

    static long queryLong(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    static String queryString(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static List<String> tables(Connection c) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT name FROM sqlite_schema WHERE type = 'table'")) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    private static List<Path> sidecars(Path db) {
        return Stream.of("-wal", "-shm", "-journal").map(s -> db.resolveSibling(db.getFileName() + s)).filter(Files::exists).toList();
    }
}
