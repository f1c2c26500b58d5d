package dev.modelregistry;


import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.concurrent.ExecutorService;

/**
 * Builds a {@link ModelRegistry}. Each setting may be given once and is checked at the call.
 * Unset stores default to memory, the lifecycle to {@link Lifecycle#defaults()}, the clock to
 * {@link Clock#systemUTC()}, the gate policy to none, and the access policy to
 * {@link AccessPolicy#allowAll()}. Policies set here are the starting point; policies set through
 * the registry are recorded in its log and take precedence. The registry owns the stores it is given
 * and closes them.
 *
 * <pre>{@code
 * ModelRegistry registry = ModelRegistry.builder()
 *     .eventStore(new InMemoryEventStore())
 *     .artifactStore(FileSystemArtifactStore.open(Path.of("artifacts")))
 *     .accessPolicy(AccessPolicy.standardRoles())
 *     .customGate("shadow-traffic-ok", context -> Gate.Verdict.passed("shadow error rate 0.1%", Map.of()))
 *     .build();
 * }</pre>
 */
public final class ModelRegistryBuilder {
    /** How often a write is re-validated and retried after losing a race before giving up. */
    public static final int DEFAULT_MAX_WRITE_ATTEMPTS = 200;
    /** How long one gate may run before it counts as failed. */
    public static final Duration DEFAULT_GATE_TIMEOUT = Duration.ofSeconds(10);

    private EventStore eventStore;
    private ArtifactStore artifactStore;
    private Clock clock;
    private Lifecycle lifecycle;
    private int maxWriteAttempts = -1;
    private GatePolicy gatePolicy;
    private AccessPolicy accessPolicy;
    private Duration gateTimeout;
    private ExecutorService gateExecutor;
    private final Map<String, Gate> customGates = new LinkedHashMap<>();
    private Boolean requireExactDataLineage;
    private MetricCatalog metricCatalog;

    ModelRegistryBuilder() {
    }

    public ModelRegistryBuilder eventStore(EventStore store) {
        requireUnset(eventStore, "eventStore");
        this.eventStore = Objects.requireNonNull(store, "eventStore");
        return this;
    }

    public ModelRegistryBuilder artifactStore(ArtifactStore store) {
        requireUnset(artifactStore, "artifactStore");
        this.artifactStore = Objects.requireNonNull(store, "artifactStore");
        return this;
    }

    /** The clock every event's time comes from; inject a fixed or manual clock in tests. */
    public ModelRegistryBuilder clock(Clock clock) {
        requireUnset(this.clock, "clock");
        this.clock = Objects.requireNonNull(clock, "clock");
        return this;
    }

    public ModelRegistryBuilder lifecycle(Lifecycle lifecycle) {
        requireUnset(this.lifecycle, "lifecycle");
        this.lifecycle = Objects.requireNonNull(lifecycle, "lifecycle");
        return this;
    }

    /** The gate policy in force until one is set through {@link ModelRegistry#setGatePolicy}. */
    public ModelRegistryBuilder gatePolicy(GatePolicy policy) {
        requireUnset(this.gatePolicy, "gatePolicy");
        this.gatePolicy = Objects.requireNonNull(policy, "policy");
        return this;
    }

    /** The access policy in force until one is set through {@link ModelRegistry#setAccessPolicy}. */
    public ModelRegistryBuilder accessPolicy(AccessPolicy policy) {
        requireUnset(this.accessPolicy, "accessPolicy");
        this.accessPolicy = Objects.requireNonNull(policy, "policy");
        return this;
    }

    /** A gate written in code, which policies refer to by {@code name} (gate type {@code custom}). */
    public ModelRegistryBuilder customGate(String name, Gate gate) {
        Names.check("custom gate name", name);
        Objects.requireNonNull(gate, "gate");
        if (name.equals(GateSpec.Custom.RELEASE_APPROVAL)) {
            throw new ValidationException("Custom gate name \"" + name + "\" is reserved by the registry");
        }
        if (customGates.putIfAbsent(name, gate) != null) {
            throw new IllegalStateException("Custom gate \"" + name + "\" was already registered");
        }
        return this;
    }

    /** How long one gate may run before it counts as failed (default 10 s). */
    public ModelRegistryBuilder gateTimeout(Duration timeout) {
        requireUnset(this.gateTimeout, "gateTimeout");
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("gateTimeout must be positive, was " + timeout);
        }
        this.gateTimeout = timeout;
        return this;
    }

    /** Where gates run; by default the registry keeps a pool of daemon threads and shuts it down on close. */
    public ModelRegistryBuilder gateExecutor(ExecutorService executor) {
        requireUnset(this.gateExecutor, "gateExecutor");
        this.gateExecutor = Objects.requireNonNull(executor, "executor");
        return this;
    }

    /** The metric catalog comparisons use (default {@link MetricCatalog#standard()}). */
    public ModelRegistryBuilder metricCatalog(MetricCatalog catalog) {
        requireUnset(this.metricCatalog, "metricCatalog");
        this.metricCatalog = Objects.requireNonNull(catalog, "catalog");
        return this;
    }

    /**
     * Refuses registrations whose training datasets lack an exact version (a commit, a table version,
     * a snapshot id or an as-of time), closing the "last mile" of data lineage. Off by default.
     */
    public ModelRegistryBuilder requireExactDataLineage(boolean required) {
        requireUnset(this.requireExactDataLineage, "requireExactDataLineage");
        this.requireExactDataLineage = required;
        return this;
    }

    /** How many times a write that lost a race is re-validated and retried (default 200). */
    public ModelRegistryBuilder maxWriteAttempts(int attempts) {
        if (maxWriteAttempts != -1) {
            throw new IllegalStateException("maxWriteAttempts was already set to " + maxWriteAttempts);
        }
        if (attempts < 1) {
            throw new IllegalArgumentException("maxWriteAttempts must be at least 1, was " + attempts);
        }
        this.maxWriteAttempts = attempts;
        return this;
    }

    public ModelRegistry build() {
        return EngineHolder.ENGINE.create(new RegistrySettings(
                Optional.ofNullable(eventStore),
                Optional.ofNullable(artifactStore),
                clock != null ? clock : Clock.systemUTC(),
                lifecycle != null ? lifecycle : Lifecycle.defaults(),
                maxWriteAttempts != -1 ? maxWriteAttempts : DEFAULT_MAX_WRITE_ATTEMPTS,
                gatePolicy != null ? gatePolicy : GatePolicy.empty(),
                accessPolicy != null ? accessPolicy : AccessPolicy.allowAll(),
                gateTimeout != null ? gateTimeout : DEFAULT_GATE_TIMEOUT,
                Optional.ofNullable(gateExecutor),
                customGates,
                requireExactDataLineage != null && requireExactDataLineage,
                metricCatalog != null ? metricCatalog : MetricCatalog.standard()));
    }

    /** The engine, looked up once, when the first registry is built. */
    private static final class EngineHolder {
        static final RegistryEngine ENGINE = ServiceLoader.load(RegistryEngine.class, ModelRegistryBuilder.class.getClassLoader())
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("No " + RegistryEngine.class.getName() + " on the class path: "
                        + "registry-core's META-INF/services entry is missing (a shaded jar must merge service files)"));
    }

    private static void requireUnset(Object current, String name) {
        if (current != null) {
            throw new IllegalStateException(name + " was already set to " + current);
        }
    }
}
