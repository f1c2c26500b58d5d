package dev.modelregistry.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.modelregistry.ModelName;
import dev.modelregistry.ModelRegistry;
import dev.modelregistry.ModelSummary;
import dev.modelregistry.ModelVersion;
import dev.modelregistry.Principal;
import dev.modelregistry.Registration;
import dev.modelregistry.SemVer;
import dev.modelregistry.Sha256;
import dev.modelregistry.Stage;
import dev.modelregistry.StageChange;
import dev.modelregistry.StorageException;
import dev.modelregistry.ValidationException;
import dev.modelregistry.VersionQuery;
import dev.modelregistry.LogEntry;
import dev.modelregistry.ModelCreated;
import dev.modelregistry.StageChanged;
import dev.modelregistry.VersionRegistered;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("the SQLite backend")
class SqliteEventStoreTest {
    private static final Principal ALICE = Principal.of("alice");
    private static final Instant T0 = Instant.parse("2024-05-01T00:00:00Z");

    @TempDir
    Path dir;

    @Nested
    @DisplayName("after a restart")
    class Restart {

        @Test
        @DisplayName("a reopened registry shows exactly the state it had: versions, stage holders, history, logs and a verifying chain")
        void sameStateAfterReopen() {
            Map<String, Object> before;
            try (ModelRegistry registry = SqliteRegistry.open(dir)) {
                for (String model : List.of("fraud", "churn")) {
                    registry.register(ALICE, Registration.of(model).version("1.0.0").tag(model + "-first")
                            .metric("auc", 0.8).label("team", "risk").description("first")
                            .artifact("model.bin", "application/octet-stream", "weights".getBytes(StandardCharsets.UTF_8)).build());
                    registry.register(ALICE, Registration.of(model).bump(dev.modelregistry.Bump.MINOR).hyperparameter("depth", 6).build());
                    registry.register(ALICE, Registration.of(model).version("2.0.0-rc.1+build.5").build());
                    registry.promote(ALICE, model, SemVer.parse("1.0.0"), Stage.STAGING, "green");
                    registry.promote(ALICE, model, SemVer.parse("1.0.0"), Stage.PRODUCTION, "approved");
                    registry.promote(ALICE, model, SemVer.parse("1.1.0"), Stage.STAGING, "");
                    registry.promote(ALICE, model, SemVer.parse("1.1.0"), Stage.PRODUCTION, "better");
                    registry.rollback(ALICE, model, Stage.PRODUCTION, "regression");
                }
                before = snapshot(registry);
                assertThat(registry.verify().intact()).isTrue();
            }
            try (ModelRegistry reopened = SqliteRegistry.open(dir)) {
                assertThat(snapshot(reopened)).isEqualTo(before);
                assertThat(reopened.verify().intact()).isTrue();
                assertThat(reopened.verify().entriesChecked()).isEqualTo(2 * 11);
            }
            try (SqliteEventStore store = SqliteEventStore.open(dir.resolve(SqliteRegistry.DATABASE_FILE))) {
                assertThat(store.findCurrent(ModelName.of("fraud"), Stage.PRODUCTION)).map(ModelVersion::version).contains(SemVer.parse("1.0.0"));
                assertThat(store.findCurrent(ModelName.of("fraud"), Stage.ARCHIVED)).map(ModelVersion::version).contains(SemVer.parse("1.1.0"));
            }
        }

        private Map<String, Object> snapshot(ModelRegistry registry) {
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("models", registry.models());
            for (ModelName name : registry.models()) {
                String model = name.value();
                ModelSummary summary = registry.findModel(model).orElseThrow();
                s.put(model + ".summary", summary);
                s.put(model + ".versions", registry.search(model, VersionQuery.builder().limit(VersionQuery.MAX_LIMIT).build()).items());
                s.put(model + ".history", registry.stageHistory(model));
                s.put(model + ".log", registry.log(model));
                for (Stage stage : registry.lifecycle().stages()) {
                    s.put(model + ".current." + stage, registry.findCurrent(model, stage));
                    s.put(model + ".in." + stage, registry.versionsIn(model, stage));
                }
            }
            return s;
        }
    }

    @Nested
    @DisplayName("statements")
    class Parameters {

        @Test
        @DisplayName("store SQL metacharacters in descriptions, labels, reasons, tags-as-filters and principals as plain data")
        void metacharactersRoundTrip() throws Exception {
            String evil = "'; DROP TABLE log_entries; --";
            String quotes = "\"); DELETE FROM versions WHERE (\"1\"=\"1";
            try (ModelRegistry registry = SqliteRegistry.open(dir)) {
                ModelVersion v = registry.register(Principal.of("o'neil"), Registration.of("fraud").version("1.0.0")
                        .description(evil + quotes).label("note", evil).label("other", quotes)
                        .framework("x'); --", "1' OR '1'='1").reason(evil).build());
                registry.promote(Principal.of("o'neil"), "fraud", v.version(), Stage.STAGING, quotes);
                assertThat(registry.search("fraud", VersionQuery.builder().label("note", evil).build()).items()).containsExactly(v);
                assertThat(registry.search("fraud", VersionQuery.builder().label("note", "' OR '1'='1").build()).items()).isEmpty();
            }
            try (ModelRegistry reopened = SqliteRegistry.open(dir);
                 SqliteEventStore store = SqliteEventStore.open(dir.resolve(SqliteRegistry.DATABASE_FILE))) {
                ModelVersion read = reopened.getVersion("fraud", SemVer.parse("1.0.0"));
                assertThat(read.description()).isEqualTo(evil + quotes);
                assertThat(read.labels()).containsEntry("note", evil).containsEntry("other", quotes);
                assertThat(read.framework()).isEqualTo("x'); --");
                assertThat(read.author()).isEqualTo("o'neil");
                assertThat(reopened.log("fraud")).extracting(LogEntry::reason).contains(evil, quotes);
                assertThat(store.search(ModelName.of("fraud"), VersionQuery.builder().label("other", quotes).build()).items()).containsExactly(read);
                assertThat(reopened.verify().intact()).isTrue();
            }
            try (Connection c = OpeningDatabasesTest.jdbc(dir.resolve(SqliteRegistry.DATABASE_FILE))) {
                assertThat(OpeningDatabasesTest.queryLong(c, "SELECT count(*) FROM log_entries")).isEqualTo(3);
                assertThat(OpeningDatabasesTest.queryLong(c, "SELECT count(*) FROM versions")).isEqualTo(1);
            }
        }
    }

    @Nested
    @DisplayName("appending")
    class Appending {

        @Test
        @DisplayName("appends all or nothing: a stage change of a version the model lacks rolls back the whole append")
        void allOrNothing() {
            ModelName model = ModelName.of("fraud");
            try (SqliteEventStore store = SqliteEventStore.open(dir.resolve("r.db"))) {
                List<LogEntry> entries = chain(model, 0, LogEntry.GENESIS, new ModelCreated(model), registered(model, "1.0.0"),
                        new StageChanged(SemVer.parse("9.9.9"), Stage.NONE, Stage.STAGING, StageChange.Kind.PROMOTION));
                assertThatThrownBy(() -> store.append(model, 0, entries)).isInstanceOf(StorageException.class)
                        .hasMessageContaining("9.9.9").hasMessageContaining("sequence 3");
                assertThat(store.lastSequence(model)).isZero();
                assertThat(store.findVersion(model, SemVer.parse("1.0.0"))).isEmpty();
                store.append(model, 0, entries.subList(0, 2));
                assertThat(store.findVersion(model, SemVer.parse("1.0.0"))).isPresent();
            }
        }

        @Test
        @DisplayName("is refused once the store is closed")
        void closed() {
            SqliteEventStore store = SqliteEventStore.open(dir.resolve("r.db"));
            store.close();
            store.close();
            ModelName model = ModelName.of("fraud");
            assertThatThrownBy(() -> store.append(model, 0, chain(model, 0, LogEntry.GENESIS, new ModelCreated(model))))
                    .isInstanceOf(StorageException.class).hasMessageContaining("closed");
            assertThatThrownBy(store::models).isInstanceOf(StorageException.class).hasMessageContaining("closed");
        }
    }

    @Nested
    @DisplayName("the change token")
    class ChangeToken {

        @Test
        @DisplayName("moves when another connection commits anything, even to a table the store does not know")
        void movesOnAnyCommit() throws Exception {
            Path db = dir.resolve("r.db");
            try (SqliteEventStore store = SqliteEventStore.open(db)) {
                long before = store.changeToken();
                try (Connection c = OpeningDatabasesTest.jdbc(db)) {
                    c.createStatement().execute("CREATE TABLE IF NOT EXISTS unrelated_touch (x)");
                }
                assertThat(store.changeToken()).isNotEqualTo(before);
            }
        }
    }

    @Nested
    @DisplayName("the embedded registry")
    class Embedded {

        @Test
        @DisplayName("keeps registry.db and artifacts/ in its folder, or wherever the options place them")
        void fileLayout() throws Exception {
            try (ModelRegistry registry = SqliteRegistry.open(dir.resolve("reg"))) {
                registry.register(ALICE, Registration.of("m").version("1.0.0").artifact("a.bin", null, new byte[] {1, 2, 3}).build());
            }
            assertThat(dir.resolve("reg/registry.db")).isRegularFile();
            assertThat(Files.walk(dir.resolve("reg/artifacts")).filter(Files::isRegularFile).count()).isEqualTo(1);

            Path db = dir.resolve("meta/models.sqlite");
            Path artifacts = dir.resolve("bulk/blobs");
            try (ModelRegistry registry = SqliteRegistry.options(dir.resolve("unused")).database(db).artifacts(artifacts)
                    .durability(Durability.NORMAL).busyTimeout(java.time.Duration.ofSeconds(20)).open()) {
                ModelVersion v = registry.register(ALICE, Registration.of("m").version("1.0.0").artifact("a.bin", null, new byte[] {4}).build());
                try (var in = registry.openArtifact("m", v.version(), "a.bin")) {
                    assertThat(in.readAllBytes()).containsExactly(4);
                }
            }
            assertThat(db).isRegularFile();
            assertThat(Files.walk(artifacts).filter(Files::isRegularFile).count()).isEqualTo(1);
            assertThat(dir.resolve("unused")).doesNotExist();
        }

        @Test
        @DisplayName("closes the database when the artifact folder cannot be opened")
        void artifactFailureClosesDatabase() throws Exception {
            Path blocked = Files.writeString(dir.resolve("not-a-folder"), "x");
            assertThatThrownBy(() -> SqliteRegistry.options(dir).artifacts(blocked.resolve("inner")).open())
                    .isInstanceOf(StorageException.class);
            try (SqliteEventStore store = SqliteEventStore.open(dir.resolve(SqliteRegistry.DATABASE_FILE))) {
                assertThat(store.models()).isEmpty();
            }
        }
    }

    static VersionRegistered registered(ModelName model, String version) {
        return new VersionRegistered(new ModelVersion(model, SemVer.parse(version), List.of(), "alice", T0, "", "", Map.of(),
                null, Map.of("auc", 0.5), List.of(), null, "", Map.of()));
    }

    static List<LogEntry> chain(ModelName model, long after, Sha256 prev, dev.modelregistry.RegistryEvent... events) {
        List<LogEntry> out = new ArrayList<>();
        long seq = after;
        for (dev.modelregistry.RegistryEvent e : events) {
            LogEntry entry = LogEntry.seal(model, ++seq, T0, "alice", "", prev, e);
            out.add(entry);
            prev = entry.hash();
        }
        return out;
    }
}
