package dev.modelregistry.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelregistry.ModelName;
import dev.modelregistry.ModelRegistry;
import dev.modelregistry.ModelVersion;
import dev.modelregistry.Principal;
import dev.modelregistry.Registration;
import dev.modelregistry.SemVer;
import dev.modelregistry.Stage;
import dev.modelregistry.StageChange;
import dev.modelregistry.LogEntry;
import dev.modelregistry.StageChanged;
import dev.modelregistry.VersionRegistered;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Several JVM processes on one database file, started from the test with {@link ProcessBuilder}. */
@DisplayName("several processes on one database file")
class MultiProcessTest {
    private static final String MODEL = "fraud";

    @TempDir
    Path dir;

    @Test
    @DisplayName("racing registrations and promotions from three processes keep every invariant")
    void threeProcessesRace() throws Exception {
        seed();
        List<Child> children = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                children.add(Child.start(dir, i, 40, 4_000));
            }
            List<String> lines = new ArrayList<>();
            for (Child child : children) {
                lines.addAll(child.readAll());
                assertThat(child.process.waitFor(60, TimeUnit.SECONDS)).as("child %d finished", child.id).isTrue();
                assertThat(child.process.exitValue()).as("exit of child %d: %s", child.id, child.errors()).isZero();
                assertThat(child.lines).last().isEqualTo("DONE");
            }
            try (ModelRegistry registry = SqliteRegistry.open(dir)) {
                List<LogEntry> log = registry.log(MODEL);

                List<SemVer> registered = lines.stream().filter(l -> l.startsWith("REGISTERED ")).map(l -> SemVer.parse(l.substring(11))).toList();
                assertThat(registered).doesNotHaveDuplicates().hasSizeGreaterThanOrEqualTo(3);
                List<SemVer> expected = new ArrayList<>();
                for (int minor = 1; minor <= registered.size(); minor++) {
                    expected.add(SemVer.of(1, minor, 0));
                }
                assertThat(registered).containsExactlyInAnyOrderElementsOf(expected);
                Set<SemVer> logged = log.stream().filter(e -> e.event() instanceof VersionRegistered)
                        .map(e -> ((VersionRegistered) e.event()).version().version()).collect(Collectors.toSet());
                assertThat(logged).containsAll(registered).hasSize(registered.size() + 1);

                int promotions = 0;
                for (String line : lines) {
                    if (line.startsWith("PROMOTED ")) {
                        String[] parts = line.split(" ");
                        LogEntry entry = log.get(Integer.parseInt(parts[3]) - 1);
                        assertThat(entry.event()).as(line).isInstanceOfSatisfying(StageChanged.class, c -> {
                            assertThat(c.version()).isEqualTo(SemVer.parse(parts[1]));
                            assertThat(c.to()).isEqualTo(Stage.of(parts[2]));
                            assertThat(c.kind()).isEqualTo(StageChange.Kind.PROMOTION);
                        });
                        promotions++;
                    }
                }
                assertThat(promotions).isEqualTo(2 * registered.size());
                assertThat(registry.stageHistory(MODEL)).filteredOn(c -> c.to().equals(Stage.PRODUCTION)).hasSize(registered.size());
                assertAtMostOneHolderAtEveryMoment(registry.stageHistory(MODEL), Stage.PRODUCTION);
                assertThat(registry.verify().intact()).isTrue();
                try (SqliteEventStore store = SqliteEventStore.open(dir.resolve(SqliteRegistry.DATABASE_FILE))) {
                    assertThat(store.findCurrent(ModelName.of(MODEL), Stage.PRODUCTION)).isEqualTo(registry.findCurrent(MODEL, Stage.PRODUCTION));
                }
            }
            assertDatabaseConsistent(dir.resolve(SqliteRegistry.DATABASE_FILE));
        } finally {
            children.forEach(Child::kill);
        }
    }

    @ParameterizedTest(name = "killed after {0} acknowledged calls")
    @ValueSource(ints = {1, 4, 9, 20})
    @DisplayName("processes killed with SIGKILL while appending leave a database that opens, verifies and holds no partial version")
    void killedWhileAppending(int acknowledged) throws Exception {
        seed();
        List<Child> children = new ArrayList<>();
        try {
            for (int i = 0; i < 2; i++) {
                children.add(Child.start(dir, i, 10_000, 60_000));
            }
            Child watched = children.get(0);
            List<String> seen = watched.readUntil(acknowledged);
            assertThat(seen).as("acknowledged calls before the kill; errors: %s", watched.errors()).hasSize(acknowledged);
            for (Child child : children) {
                child.process.destroyForcibly();
            }
            for (Child child : children) {
                assertThat(child.process.waitFor(30, TimeUnit.SECONDS)).isTrue();
            }
            Path db = dir.resolve(SqliteRegistry.DATABASE_FILE);
            assertDatabaseConsistent(db);
            try (ModelRegistry registry = SqliteRegistry.open(dir)) {
                assertThat(registry.verify().intact()).isTrue();
                List<LogEntry> log = registry.log(MODEL);
                Set<SemVer> logged = new HashSet<>();
                for (LogEntry e : log) {
                    if (e.event() instanceof VersionRegistered r) {
                        logged.add(r.version().version());
                    }
                }
                for (String line : seen) {
                    if (line.startsWith("REGISTERED ")) {
                        assertThat(logged).as("acknowledged %s", line).contains(SemVer.parse(line.substring(11)));
                    } else {
                        String[] parts = line.split(" ");
                        assertThat(log.get(Integer.parseInt(parts[3]) - 1).event()).as(line).isInstanceOf(StageChanged.class);
                    }
                }
                assertAtMostOneHolderAtEveryMoment(registry.stageHistory(MODEL), Stage.PRODUCTION);
                ModelVersion next = registry.register(Principal.of("survivor"), Registration.of(MODEL).bump(dev.modelregistry.Bump.MINOR).build());
                assertThat(next.version()).isEqualTo(SemVer.of(1, logged.size(), 0));
            }
            assertDatabaseConsistent(db);
        } finally {
            children.forEach(Child::kill);
        }
    }

    private void seed() {
        try (ModelRegistry registry = SqliteRegistry.open(dir)) {
            registry.register(Principal.of("seed"), Registration.of(MODEL).version("1.0.0").build());
        }
    }

    /** The query tables match the log row for row, every log is gap-free, and SQLite's own check passes. */
    static void assertDatabaseConsistent(Path db) throws Exception {
        try (Connection c = OpeningDatabasesTest.jdbc(db)) {
            assertThat(OpeningDatabasesTest.queryString(c, "PRAGMA integrity_check")).isEqualTo("ok");
            assertThat(OpeningDatabasesTest.queryLong(c, "SELECT count(*) FROM pragma_foreign_key_check")).isZero();
            assertThat(OpeningDatabasesTest.queryLong(c, "SELECT count(*) FROM log_entries l WHERE l.event_type = 'VersionRegistered'"
                    + " AND NOT EXISTS (SELECT 1 FROM versions v WHERE v.model_id = l.model_id AND v.registered_seq = l.sequence)")).isZero();
            assertThat(OpeningDatabasesTest.queryLong(c, "SELECT count(*) FROM versions v WHERE NOT EXISTS (SELECT 1 FROM log_entries l"
                    + " WHERE l.model_id = v.model_id AND l.sequence = v.registered_seq AND l.event_type = 'VersionRegistered')")).isZero();
            assertThat(OpeningDatabasesTest.queryLong(c, "SELECT count(*) FROM log_entries l WHERE l.event_type = 'StageChanged'"
                    + " AND NOT EXISTS (SELECT 1 FROM stage_history h WHERE h.model_id = l.model_id AND h.sequence = l.sequence)")).isZero();
            assertThat(OpeningDatabasesTest.queryLong(c, "SELECT count(*) FROM stage_history h WHERE NOT EXISTS (SELECT 1 FROM log_entries l"
                    + " WHERE l.model_id = h.model_id AND l.sequence = h.sequence AND l.event_type = 'StageChanged')")).isZero();
            assertThat(OpeningDatabasesTest.queryLong(c, "SELECT count(*) FROM (SELECT model_id FROM log_entries GROUP BY model_id"
                    + " HAVING MAX(sequence) <> count(*) OR MIN(sequence) <> 1)")).isZero();
            assertThat(OpeningDatabasesTest.queryLong(c, "SELECT count(*) FROM versions v WHERE v.stage_seq IS NOT NULL AND v.stage <>"
                    + " (SELECT h.to_stage FROM stage_history h WHERE h.model_id = v.model_id AND h.version_id = v.version_id"
                    + " ORDER BY h.sequence DESC LIMIT 1)")).isZero();
        }
    }

    /** Replays a stage history and fails if the stage ever held two versions after an append. */
    static void assertAtMostOneHolderAtEveryMoment(List<StageChange> history, Stage stage) {
        Set<SemVer> holders = new HashSet<>();
        int max = 0;
        for (StageChange c : history) {
            if (c.from().equals(stage)) {
                holders.remove(c.version());
            }
            if (c.to().equals(stage)) {
                holders.add(c.version());
            }
            max = Math.max(max, holders.size());
        }
        assertThat(max).as("most holders of %s at once", stage).isLessThanOrEqualTo(1);
    }

    /** One child JVM running {@link RegistryChild}, its stdout read line by line, stderr kept in a file. */
    private static final class Child {
        final int id;
        final Process process;
        final BufferedReader reader;
        final Path stderr;
        final List<String> lines = new ArrayList<>();

        private Child(int id, Process process, Path stderr) {
            this.id = id;
            this.process = process;
            this.stderr = stderr;
            this.reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        }

        static Child start(Path dir, int id, int rounds, long millis) throws IOException {
            Path stderr = dir.resolve("child-" + id + ".err");
            ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), "-Xmx256m", "-XX:TieredStopAtLevel=1",
                    RegistryChild.class.getName(), dir.toString(), MODEL, String.valueOf(id), String.valueOf(rounds), String.valueOf(millis));
            pb.redirectError(stderr.toFile());
            Child child = new Child(id, pb.start(), stderr);
            String ready = child.reader.readLine();
            if (!"READY".equals(ready)) {
                throw new IllegalStateException("Child " + id + " did not start: " + ready + " " + child.errors());
            }
            return child;
        }

        /** Every line until the child closes its output. */
        List<String> readAll() throws IOException {
            String line;
            while ((line = reader.readLine()) != null) {
                lines.add(line);
            }
            return lines.stream().filter(l -> !l.equals("DONE")).toList();
        }

        /** The first {@code count} acknowledged calls (fewer if the child ends first). */
        List<String> readUntil(int count) throws IOException {
            List<String> calls = new ArrayList<>();
            String line;
            while (calls.size() < count && (line = reader.readLine()) != null) {
                lines.add(line);
                if (!line.equals("DONE")) {
                    calls.add(line);
                }
            }
            return calls;
        }

        String errors() {
            try {
                return Files.exists(stderr) ? Files.readString(stderr) : "";
            } catch (IOException e) {
                return e.toString();
            }
        }

        void kill() {
            process.destroyForcibly();
        }
    }
}
