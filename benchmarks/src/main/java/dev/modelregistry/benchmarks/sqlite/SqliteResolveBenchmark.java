package dev.modelregistry.benchmarks.sqlite;

import dev.modelregistry.ModelName;
import dev.modelregistry.ModelRegistry;
import dev.modelregistry.ModelVersion;
import dev.modelregistry.Stage;
import dev.modelregistry.memory.InMemoryEventStore;
import dev.modelregistry.sqlite.SqliteEventStore;
import dev.modelregistry.sqlite.SqliteRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
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
 * Resolving "the Production version of X": from a freshly opened registry (open, resolve, close:
 * what a serving process pays at start), the same through the store's SQL answer alone, from a warm
 * registry (the serving path, which polls the change signal), and the in-memory backend's warm path
 * as the baseline of the same run. The model has {@code versions} versions.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class SqliteResolveBenchmark {
    @Param({"1000"})
    public int versions;

    private Path dir;
    private Path dbFile;
    private ModelRegistry warm;
    private ModelRegistry inMemory;
    private final String model = BenchData.modelName(0);

    @Setup(Level.Trial)
    public void open() throws Exception {
        dir = Files.createTempDirectory("sqlite-resolve-bench");
        Path registryDir = dir.resolve("registry");
        dbFile = registryDir.resolve(SqliteRegistry.DATABASE_FILE);
        InMemoryEventStore memory = new InMemoryEventStore();
        try (SqliteEventStore store = SqliteEventStore.open(dbFile)) {
            BenchData.fill(store, ModelName.of(model), versions);
            memory.append(ModelName.of(model), 0, store.read(ModelName.of(model), 1));
        }
        warm = SqliteRegistry.open(registryDir);
        warm.getCurrent(model, Stage.PRODUCTION);
        inMemory = ModelRegistry.builder().eventStore(memory).build();
        inMemory.getCurrent(model, Stage.PRODUCTION);
    }

    @Benchmark
    public ModelVersion coldRegistryOpenResolveClose() {
        try (ModelRegistry registry = SqliteRegistry.open(dbFile.getParent())) {
            return registry.getCurrent(model, Stage.PRODUCTION);
        }
    }

    @Benchmark
    public Optional<ModelVersion> coldStoreOpenQueryClose() {
        try (SqliteEventStore store = SqliteEventStore.open(dbFile)) {
            return store.findCurrent(ModelName.of(model), Stage.PRODUCTION);
        }
    }

    @Benchmark
    public Optional<ModelVersion> warmRegistry() {
        return warm.findCurrent(model, Stage.PRODUCTION);
    }

    @Benchmark
    public Optional<ModelVersion> warmInMemoryBaseline() {
        return inMemory.findCurrent(model, Stage.PRODUCTION);
    }

    @TearDown(Level.Trial)
    public void close() throws Exception {
        warm.close();
        inMemory.close();
        BenchData.deleteTree(dir);
    }
}
