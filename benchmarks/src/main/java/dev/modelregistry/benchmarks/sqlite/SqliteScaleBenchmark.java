package dev.modelregistry.benchmarks.sqlite;

import dev.modelregistry.Bump;
import dev.modelregistry.ModelName;
import dev.modelregistry.ModelRegistry;
import dev.modelregistry.ModelVersion;
import dev.modelregistry.Page;
import dev.modelregistry.Principal;
import dev.modelregistry.Registration;
import dev.modelregistry.Stage;
import dev.modelregistry.VersionQuery;
import dev.modelregistry.VersionRange;
import dev.modelregistry.fs.FileSystemArtifactStore;
import dev.modelregistry.sqlite.Durability;
import dev.modelregistry.sqlite.SqliteEventStore;
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
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * The same operations on a small database and a large one, to show how they scale:
 * {@code small-1k} is one model of 1,000 versions in a database of 1,000 versions;
 * {@code large-typical} is a model of {@code large.perModel} versions in a database of
 * {@code large.models} such models plus a model of {@code large.huge} versions (defaults
 * 1,000 x 900 + 100,000 = 1,000,000 versions); {@code large-huge} is that huge model.
 *
 * <p>Register goes through a registry whose fold of the target model is loaded (NORMAL durability
 * for both sizes), on a copy of the database made for the trial; the reads are the store's SQL answers ({@code SupportsVersionQueries}), which is
 * what scales with the database. The generated files are cached (see {@link BenchData}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class SqliteScaleBenchmark {
    @Param({"small-1k", "large-typical", "large-huge"})
    public String target;

    private Path scratch;
    private SqliteEventStore store;
    private ModelRegistry registry;
    private ModelName model;
    private final VersionRange range = VersionRange.parse("^1.0");
    private final VersionQuery page = VersionQuery.builder().label("team", "risk").limit(20).build();
    private final Principal pipeline = Principal.of("pipeline");

    @Setup(Level.Trial)
    public void open(BenchmarkParams params) throws Exception {
        int models = Integer.getInteger("large.models", 1_000);
        int perModel = Integer.getInteger("large.perModel", 900);
        int huge = Integer.getInteger("large.huge", 100_000);
        Path db;
        if (target.equals("small-1k")) {
            db = BenchData.database("small-1x1000", 1, 1_000, 0);
            model = ModelName.of(BenchData.modelName(0));
        } else {
            db = BenchData.database("large-" + models + "x" + perModel + "+" + huge, models, perModel, huge);
            model = ModelName.of(target.equals("large-huge") ? "huge" : BenchData.modelName(models / 2));
        }
        System.out.printf("%n[bench-data] %s: %s%n", db.getFileName(), BenchData.sizeOf(db));
        scratch = Files.createTempDirectory("sqlite-scale");
        if (params.getBenchmark().endsWith(".register")) {
            // Registering grows the model; a copy per trial keeps the cached database at its stated size.
            Path copy = scratch.resolve("copy.db");
            Files.copy(db, copy);
            db = copy;
        }
        store = SqliteEventStore.builder(db).durability(Durability.NORMAL).open();
        registry = ModelRegistry.builder()
                .eventStore(SqliteEventStore.builder(db).durability(Durability.NORMAL).open())
                .artifactStore(FileSystemArtifactStore.open(scratch.resolve("artifacts")))
                .build();
        registry.getCurrent(model.value(), Stage.PRODUCTION); // loads the target model's fold
    }

    @Benchmark
    public ModelVersion register() {
        return registry.register(pipeline, Registration.of(model.value()).bump(Bump.MINOR).metric("auc", 0.9).label("team", "risk").build());
    }

    @Benchmark
    public Optional<ModelVersion> resolveByStage() {
        return store.findCurrent(model, Stage.PRODUCTION);
    }

    @Benchmark
    public Optional<ModelVersion> resolveByRange() {
        return store.findHighest(model, range);
    }

    @Benchmark
    public Page<ModelVersion> searchOnePage() {
        return store.search(model, page);
    }

    @TearDown(Level.Trial)
    public void close() throws Exception {
        registry.close();
        store.close();
        BenchData.deleteTree(scratch);
    }
}
