package dev.modelregistry.benchmarks;

import dev.modelregistry.Bump;
import dev.modelregistry.Provenance;
import dev.modelregistry.ModelName;
import dev.modelregistry.ModelRegistry;
import dev.modelregistry.ModelVersion;
import dev.modelregistry.Principal;
import dev.modelregistry.Registration;
import dev.modelregistry.SemVer;
import dev.modelregistry.Sha256;
import dev.modelregistry.Signature;
import dev.modelregistry.LogEntry;
import dev.modelregistry.VersionRegistered;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Registering a metadata-only version in memory ({@code bump(PATCH)}, two metrics, two labels),
 * against two same-run baselines:
 * <ul>
 *   <li>{@code logEntrySeal}: building the equivalent {@link ModelVersion} and sealing the
 *       {@link LogEntry} that carries it ({@link LogEntry#seal}: canonical JSON + SHA-256), without a
 *       registry. This is the work any registration must do, so the ratio is the registry's
 *       overhead over the unavoidable hashing.</li>
 *   <li>{@code concurrentHashMapPut}: storing a prebuilt version under its model name: the floor of
 *       "remember a value".</li>
 * </ul>
 *
 * <p>The registry is re-created for every iteration, with {@value #MODELS} models that already have
 * a first version (so the measured registrations never create a model), and the registrations cycle
 * over the models, so no single model's log grows long: at ~10k ops/s a one-second iteration adds
 * roughly ten versions per model. The {@link Registration}s are prebuilt (they are immutable and the
 * registry chooses the version), so the builder's validation is not in the measurement.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Thread)
public class RegisterBenchmark {
    /** Power of two: the index is masked, not taken modulo. */
    static final int MODELS = 1024;

    final Principal alice = Principal.of("alice");
    String[] names;
    ModelName[] modelNames;
    Registration[] registrations;
    ModelVersion[] prebuilt;

    ModelRegistry registry;
    ConcurrentHashMap<String, ModelVersion> map;
    int index;
    long sequence;

    @Setup(Level.Trial)
    public void prepare() {
        names = new String[MODELS];
        modelNames = new ModelName[MODELS];
        registrations = new Registration[MODELS];
        prebuilt = new ModelVersion[MODELS];
        for (int m = 0; m < MODELS; m++) {
            names[m] = "model-" + m;
            modelNames[m] = ModelName.of(names[m]);
            registrations[m] = Registration.of(names[m])
                    .bump(Bump.PATCH)
                    .metric("auc", 0.91)
                    .metric("f1", 0.84)
                    .label("team", "fraud")
                    .label("dataset", "2024-q4")
                    .build();
            prebuilt[m] = version(modelNames[m], SemVer.of(1, 0, 1), Instant.now());
        }
    }

    @Setup(Level.Iteration)
    public void freshRegistry() {
        registry = ModelRegistry.inMemory();
        for (String name : names) {
            registry.register(alice, Registration.of(name).version("1.0.0").build());
        }
        map = new ConcurrentHashMap<>();
        for (int m = 0; m < MODELS; m++) {
            map.put(names[m], prebuilt[m]);
        }
        index = 0;
        sequence = 2;
    }

    @TearDown(Level.Iteration)
    public void closeRegistry() {
        registry.close();
    }

    /** The same fields {@code Registration.toVersion} fills for the registrations above. */
    static ModelVersion version(ModelName model, SemVer version, Instant now) {
        return new ModelVersion(model, version, List.of(), "alice", now, "", "", Map.of(), Signature.UNDECLARED,
                Map.of("auc", 0.91, "f1", 0.84), List.of(), Provenance.NONE, "",
                Map.of("team", "fraud", "dataset", "2024-q4"));
    }

    /** The registry: validate, choose the version, size check, seal (hash), append, fold. */
    @Benchmark
    public ModelVersion registryRegister() {
        return registry.register(alice, registrations[index++ & (MODELS - 1)]);
    }

    /**
     * Baseline: the version record and its sealed log entry (canonical JSON + SHA-256 of it), as
     * the registry would append them, without any registry. Version and sequence advance per call.
     */
    @Benchmark
    public LogEntry logEntrySeal() {
        int m = index++ & (MODELS - 1);
        long seq = sequence++;
        ModelVersion v = version(modelNames[m], SemVer.of(1, 0, (int) (seq & 0xFFFF)), Instant.now());
        return LogEntry.seal(modelNames[m], seq, v.createdAt(), alice.name(), "", LogEntry.GENESIS, new VersionRegistered(v));
    }

    /** Baseline: storing a prebuilt version under its model name. */
    @Benchmark
    public ModelVersion concurrentHashMapPut() {
        int m = index++ & (MODELS - 1);
        return map.put(names[m], prebuilt[m]);
    }
}
