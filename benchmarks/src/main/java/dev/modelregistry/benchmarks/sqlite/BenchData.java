package dev.modelregistry.benchmarks.sqlite;

import dev.modelregistry.ModelName;
import dev.modelregistry.ModelVersion;
import dev.modelregistry.SemVer;
import dev.modelregistry.Sha256;
import dev.modelregistry.Stage;
import dev.modelregistry.StageChange;
import dev.modelregistry.LogEntry;
import dev.modelregistry.ModelCreated;
import dev.modelregistry.RegistryEvent;
import dev.modelregistry.StageChanged;
import dev.modelregistry.VersionRegistered;
import dev.modelregistry.sqlite.Durability;
import dev.modelregistry.sqlite.SqliteEventStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.sqlite.SQLiteConfig;

/**
 * Builds benchmark databases through {@link SqliteEventStore#append} (so query tables are filled the
 * way the registry fills them), in batches of up to {@value #BATCH} entries per transaction. A model
 * gets versions 1.0.0, 1.1.0, … (what MINOR bumps produce), each with a label and two metrics, and
 * its version 1.0.0 is promoted through Staging into Production.
 *
 * <p>Generated files are kept in {@code -Dbench.sqlite.dir} (default {@code target/sqlite-bench-data}
 * under the working directory) and reused by later trials and runs.
 */
final class BenchData {
    static final int BATCH = 2_000;
    static final Instant T0 = Instant.parse("2024-01-01T00:00:00Z");

    private BenchData() {
    }

    static Path dataDir() throws IOException {
        return Files.createDirectories(Path.of(System.getProperty("bench.sqlite.dir", "target/sqlite-bench-data")).toAbsolutePath());
    }

    static String modelName(int i) {
        return String.format("model-%05d", i);
    }

    /**
     * A database at {@code file} with {@code models} models of {@code versionsPerModel} versions and,
     * when {@code hugeModelVersions > 0}, a model {@code huge} with that many; built once, then reused.
     */
    static Path database(String name, int models, int versionsPerModel, int hugeModelVersions) throws IOException {
        return database(name, store -> {
            for (int m = 0; m < models; m++) {
                fill(store, ModelName.of(modelName(m)), versionsPerModel);
            }
            if (hugeModelVersions > 0) {
                fill(store, ModelName.of("huge"), hugeModelVersions);
            }
        });
    }

    /** Fills a new database. */
    @FunctionalInterface
    interface Filler {
        void fill(SqliteEventStore store);
    }

    /** A database called {@code name}, filled by {@code filler} once, then reused. */
    static Path database(String name, Filler filler) throws IOException {
        Path dir = dataDir();
        Path file = dir.resolve(name + ".db");
        Path done = dir.resolve(name + ".complete");
        if (Files.exists(done)) {
            return file;
        }
        for (String suffix : List.of("", "-wal", "-shm")) {
            Files.deleteIfExists(dir.resolve(name + ".db" + suffix));
        }
        long start = System.nanoTime();
        try (SqliteEventStore store = SqliteEventStore.builder(file).durability(Durability.NORMAL).open()) {
            filler.fill(store);
        }
        Files.writeString(done, "generated in " + (System.nanoTime() - start) / 1_000_000 + " ms\n");
        System.out.printf("%n[bench-data] generated %s in %d s, %s%n", file, (System.nanoTime() - start) / 1_000_000_000L, sizeOf(file));
        return file;
    }

    static void fill(SqliteEventStore store, ModelName model, int versions) {
        fill(store, model, versions, i -> version(model, SemVer.of(1, i, 0), i), 0);
    }

    /**
     * Appends a model with versions {@code 1.0.0 … 1.(n-1).0} made by {@code version(i)}; version
     * {@code 1.production.0} goes through Staging into Production right after its registration.
     */
    static void fill(SqliteEventStore store, ModelName model, int versions, java.util.function.IntFunction<ModelVersion> version,
                     int production) {
        List<RegistryEvent> events = new ArrayList<>();
        events.add(new ModelCreated(model));
        for (int i = 0; i < versions; i++) {
            events.add(new VersionRegistered(version.apply(i)));
            if (i == production) {
                events.add(new StageChanged(SemVer.of(1, i, 0), Stage.NONE, Stage.STAGING, StageChange.Kind.PROMOTION));
                events.add(new StageChanged(SemVer.of(1, i, 0), Stage.STAGING, Stage.PRODUCTION, StageChange.Kind.PROMOTION));
            }
        }
        long last = 0;
        Sha256 prev = LogEntry.GENESIS;
        for (int from = 0; from < events.size(); from += BATCH) {
            List<LogEntry> batch = new ArrayList<>();
            for (RegistryEvent e : events.subList(from, Math.min(events.size(), from + BATCH))) {
                LogEntry entry = LogEntry.seal(model, last + batch.size() + 1, T0, "generator", "", prev, e);
                batch.add(entry);
                prev = entry.hash();
            }
            store.append(model, last, batch);
            last += batch.size();
        }
    }

    /** A metadata-only version like a pipeline registers: author, framework, a label, two metrics. */
    static ModelVersion version(ModelName model, SemVer v, int i) {
        return new ModelVersion(model, v, List.of(), "generator", T0.plusSeconds(i), "xgboost", "2.0.3", Map.of(), null,
                Map.of("auc", 0.5 + (i % 1000) / 2000.0, "latency_ms", (double) (i % 17)), List.of(), null,
                "nightly retrain " + i, Map.of("team", i % 2 == 0 ? "risk" : "growth"));
    }

    /** The same connection settings the store uses, for the raw JDBC baseline. */
    static SQLiteConfig sameSettingsAsStore(Durability durability) {
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(durability == Durability.FULL ? SQLiteConfig.SynchronousMode.FULL : SQLiteConfig.SynchronousMode.NORMAL);
        config.setBusyTimeout((int) SqliteEventStore.DEFAULT_BUSY_TIMEOUT.toMillis());
        config.enforceForeignKeys(true);
        config.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
        return config;
    }

    static String sizeOf(Path db) {
        long bytes = 0;
        for (String suffix : List.of("", "-wal", "-shm")) {
            Path p = db.resolveSibling(db.getFileName() + suffix);
            try {
                bytes += Files.exists(p) ? Files.size(p) : 0;
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
        return String.format("%.1f MB on disk (db + wal + shm)", bytes / 1e6);
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
