package dev.modelregistry.serving;

import dev.modelregistry.ModelName;
import dev.modelregistry.ModelRegistry;
import dev.modelregistry.SemVer;
import dev.modelregistry.Stage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The model currently in one stage of one registered model, loaded and kept current: a serving
 * application binds to (model, stage), never to a file, so the registry stays the one path to
 * production.
 *
 * <pre>{@code
 * ModelHandle<Scorer> handle = ModelHandle.builder(registry, "fraud-detector", Stage.PRODUCTION,
 *             (file, version) -> Scorer.load(file))
 *     .cache(LocalArtifactCache.open(Path.of("/var/cache/models"), 10L << 30))
 *     .validator((scorer, version) -> scorer.score(SAMPLE))
 *     .build();                                   // loads the current version now
 *
 * try (Lease<Scorer> lease = handle.acquire()) {  // per request
 *     return lease.model().score(features);
 * }
 * }</pre>
 *
 * <p><b>Following the stage.</b> A background poll compares {@link ModelRegistry#changeToken()}
 * (cheap on every backend) every {@code pollInterval}, doubling the wait up to
 * {@code maxPollInterval} while nothing changes and returning to {@code pollInterval} on any change.
 * When the token moved it asks {@link ModelRegistry#findCurrent} for the stage; when that names
 * another version (a promotion or a rollback, in this process or any other sharing the storage) it
 * downloads the artifact into the {@link LocalArtifactCache} (verifying its SHA-256 before the file
 * gets its name), loads it, runs the validator, and only then swaps atomically.
 *
 * <p><b>Checking the log.</b> Before anything is downloaded the handle checks the version against
 * the model's log: the log must verify, record the version as the registry answered it, and have
 * it in the stage. {@code findCurrent} may answer from a view as stale as the backend documents
 * (S3's change check interval), and a promotion may land between it and the check; when the log
 * has the version elsewhere, the handle checks the holder a fresh read names instead. Staleness
 * within the bound therefore serves the previous or the new holder, never an
 * {@link dev.modelregistry.IntegrityException}; only a version the registry still names the holder
 * while its log puts it elsewhere, or a log that does not verify, is one.
 *
 * <p><b>Failures.</b> If any of those steps fails the handle keeps serving what it serves, logs a
 * WARN and tells the {@link SwapListener}s; it tries the same version again later (after
 * {@code pollInterval}, doubling up to {@code maxPollInterval}) and a different version as soon as
 * the stage moves to one. A stage that becomes empty keeps the last model served.
 *
 * <p><b>Leases and retirement.</b> {@link #acquire()} holds the model it returns until the lease is
 * closed; a retired model is closed (if {@link AutoCloseable}) only when its last lease ends and
 * {@code retireDelay} (default 1 s) has passed since the swap. {@link #current()} takes no hold:
 * it is for calls that finish well within {@code retireDelay}, or models that need no closing.
 *
 * <p><b>Starting.</b> {@link Builder#build()} loads synchronously: it throws
 * {@link dev.modelregistry.NotFoundException} when the stage is empty (there is nothing safe to serve)
 * and the load failure when the first load fails, so a service that starts has a model.
 *
 * <p>All methods are thread-safe.
 *
 * @param <M> the model type the loader produces
 */
public interface ModelHandle<M> extends AutoCloseable {

    /**
     * A handle on whatever version is in {@code stage} of {@code model}, loaded by {@code loader}.
     */
    static <M> Builder<M> builder(ModelRegistry registry, String model, Stage stage, ModelLoader<M> loader) {
        return new Builder<>(registry, model, stage, loader);
    }

    /**
     * The model served now and its version: one volatile read of a pre-built pair, no lock, no
     * allocation. Takes no hold; see the class comment.
     */
    Serving<M> current();

    /** Holds the model served now until the lease is closed. Cheap: one atomic increment. */
    Lease<M> acquire();

    /** The model this handle follows. */
    ModelName model();

    /** The stage this handle follows (in pinned mode, the stage it was built for). */
    Stage stage();

    /** Whether this handle serves one fixed version instead of following its stage; for debugging only. */
    boolean isPinned();

    /**
     * Waits until the handle serves {@code version}; true if it does, false when {@code timeout}
     * passed first. For tests and operations (e.g. a deploy script waiting for the swap).
     */
    boolean awaitVersion(SemVer version, Duration timeout) throws InterruptedException;

    /**
     * Checks the registry now on the calling thread (loading and swapping if the stage moved), as a
     * scheduled poll would; for callers told of a change by other means.
     */
    void refresh();

    /**
     * Stops following the stage and retires the model; it is closed once the last lease ends. After
     * this, {@link #acquire()} throws {@link IllegalStateException}.
     */
    @Override
    void close();

    /**
     * Builds a {@link ModelHandle}. Each setting may be given once (listeners excepted) and is checked
     * at the call.
     */
    final class Builder<M> {
        /** Default {@code pollInterval}. */
        public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(1);
        /** Default {@code maxPollInterval}: the longest wait while the registry is idle. */
        public static final Duration DEFAULT_MAX_POLL_INTERVAL = Duration.ofSeconds(10);
        /** Default {@code retireDelay}. */
        public static final Duration DEFAULT_RETIRE_DELAY = Duration.ofSeconds(1);

        final ModelRegistry registry;
        final ModelName model;
        final Stage stage;
        final ModelLoader<M> loader;
        String artifactName;
        LocalArtifactCache cache;
        Duration pollInterval;
        Duration maxPollInterval;
        Duration retireDelay;
        ScheduledExecutorService scheduler;
        ModelValidator<M> validator;
        final List<SwapListener<M>> listeners = new ArrayList<>();
        SemVer pinned;
        dev.modelregistry.TrustPolicy trustPolicy;

        private Builder(ModelRegistry registry, String model, Stage stage, ModelLoader<M> loader) {
            this.registry = Objects.requireNonNull(registry, "registry");
            this.model = ModelName.of(model);
            this.stage = Objects.requireNonNull(stage, "stage");
            this.loader = Objects.requireNonNull(loader, "loader");
            registry.lifecycle().require(stage);
        }

        /** Which artifact of each version to load; by default the version's first artifact. */
        public Builder<M> artifact(String name) {
            requireUnset(artifactName, "artifact");
            this.artifactName = Objects.requireNonNull(name, "artifact name");
            return this;
        }

        /**
         * Where artifacts are downloaded to; share one cache between handles and processes. By
         * default the handle uses a cache of its own in a new temporary folder that keeps only what the
         * handle serves, deleted when the handle is closed.
         */
        public Builder<M> cache(LocalArtifactCache cache) {
            requireUnset(this.cache, "cache");
            this.cache = Objects.requireNonNull(cache, "cache");
            return this;
        }

        /** How often the registry's change token is compared while it is moving (default 1 s). */
        public Builder<M> pollInterval(Duration interval) {
            requireUnset(pollInterval, "pollInterval");
            this.pollInterval = positive("pollInterval", interval);
            return this;
        }

        /**
         * The longest wait between checks while nothing changes (default 10 s): the worst-case delay
         * before a swap after a long quiet period. Equal to {@code pollInterval} disables back-off.
         */
        public Builder<M> maxPollInterval(Duration interval) {
            requireUnset(maxPollInterval, "maxPollInterval");
            this.maxPollInterval = positive("maxPollInterval", interval);
            return this;
        }

        /**
         * How long a retired model stays open at least after a swap, for callers of
         * {@link ModelHandle#current()} that hold no lease (default 1 s). {@link Duration#ZERO} closes
         * it as soon as its last lease ends.
         */
        public Builder<M> retireDelay(Duration delay) {
            requireUnset(retireDelay, "retireDelay");
            Objects.requireNonNull(delay, "retireDelay");
            if (delay.isNegative()) {
                throw new IllegalArgumentException("retireDelay must not be negative, was " + delay);
            }
            this.retireDelay = delay;
            return this;
        }

        /**
         * Where polls, loads and closes run. The handle does not shut it down. By default the handle
         * has one daemon thread of its own, shut down on close.
         */
        public Builder<M> scheduler(ScheduledExecutorService scheduler) {
            requireUnset(this.scheduler, "scheduler");
            this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
            return this;
        }

        /** Warm-up and validation run on each newly loaded model before it is served. */
        public Builder<M> validator(ModelValidator<M> validator) {
            requireUnset(this.validator, "validator");
            this.validator = Objects.requireNonNull(validator, "validator");
            return this;
        }

        /** Told of swaps and failures; may be given several times. */
        public Builder<M> listener(SwapListener<M> listener) {
            listeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /**
         * Serves only versions that {@code policy} vouches for in this handle's stage: before each
         * load the handle recomputes the version's manifest and verifies its recorded signatures
         * against the policy's keys; a version without enough valid signatures is refused with
         * {@link dev.modelregistry.UntrustedVersionException} (the handle keeps serving what it
         * serves, and tells its listeners why). Give the policy from the host's own configuration to
         * trust keys independently of the storage; {@code registry.trustPolicy()} trusts what the
         * registry says.
         *
         * @throws IllegalArgumentException the policy requires no signature for this handle's stage
         */
        public Builder<M> trustPolicy(dev.modelregistry.TrustPolicy policy) {
            requireUnset(trustPolicy, "trustPolicy");
            Objects.requireNonNull(policy, "policy");
            if (policy.requirementFor(stage).isEmpty()) {
                throw new IllegalArgumentException("The trust policy requires no signature for " + stage
                        + ", the stage this handle serves; it would check nothing");
            }
            this.trustPolicy = policy;
            return this;
        }

        /**
         * <b>Debugging only.</b> Serves exactly {@code version}, which must be a registered version of
         * the model, and ignores the stage: the handle reports {@link ModelHandle#isPinned()} and logs a
         * WARN when built.
         */
        public Builder<M> pinned(SemVer version) {
            requireUnset(pinned, "pinned");
            this.pinned = Objects.requireNonNull(version, "version");
            return this;
        }

        /**
         * Loads the stage's current version (or the pinned one) on this thread and starts following
         * the stage.
         *
         * @throws dev.modelregistry.NotFoundException the stage is empty, or the pinned version or the artifact does not exist
         * @throws dev.modelregistry.IntegrityException the model's log does not verify or contradicts the registry, or the artifact's bytes do not match its digest
         * @throws dev.modelregistry.StorageException   downloading or caching failed
         * @throws ModelLoadException                   the loader threw or the validator refused
         * @throws dev.modelregistry.UntrustedVersionException the trust policy does not vouch for the version
         */
        public ModelHandle<M> build() {
            Duration base = pollInterval != null ? pollInterval : DEFAULT_POLL_INTERVAL;
            Duration max = maxPollInterval != null ? maxPollInterval : DEFAULT_MAX_POLL_INTERVAL.compareTo(base) < 0 ? base : DEFAULT_MAX_POLL_INTERVAL;
            if (max.compareTo(base) < 0) {
                throw new IllegalArgumentException("maxPollInterval " + max + " is shorter than pollInterval " + base);
            }
            return DefaultModelHandle.start(this, base, max, retireDelay != null ? retireDelay : DEFAULT_RETIRE_DELAY);
        }

        private static Duration positive(String name, Duration d) {
            if (d == null || d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(name + " must be positive, was " + d);
            }
            return d;
        }

        private static void requireUnset(Object current, String name) {
            if (current != null) {
                throw new IllegalStateException(name + " was already set to " + current);
            }
        }
    }
}
