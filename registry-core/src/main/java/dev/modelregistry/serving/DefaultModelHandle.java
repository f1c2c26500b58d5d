package dev.modelregistry.serving;

import dev.modelregistry.ArtifactRef;
import dev.modelregistry.ConcurrentUpdateException;
import dev.modelregistry.IntegrityException;
import dev.modelregistry.ModelName;
import dev.modelregistry.ModelRegistry;
import dev.modelregistry.ModelVersion;
import dev.modelregistry.NotFoundException;
import dev.modelregistry.RegistryException;
import dev.modelregistry.SemVer;
import dev.modelregistry.Stage;
import dev.modelregistry.StorageException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The one {@link ModelHandle}: a volatile pointer to a pre-built {@link Serving}, moved by a {@link Poller}. */
final class DefaultModelHandle<M> implements ModelHandle<M> {
    private static final Logger LOG = LoggerFactory.getLogger(ModelHandle.class);
    /** How often the stage's holder may move while one load checks it before the load gives up until the next poll. */
    private static final int MAX_HOLDER_MOVES = 8;

    private final ModelRegistry registry;
    private final ModelName model;
    private final Stage stage;
    private final ModelLoader<M> loader;
    private final ModelValidator<M> validator;
    private final List<SwapListener<M>> listeners;
    private final String artifactName;
    private final SemVer pinned;
    private final dev.modelregistry.TrustPolicy trustPolicy;
    private final LocalArtifactCache cache;
    private final Path ownedCacheDir;
    private final Duration retryBase;
    private final Duration retryMax;
    private final Duration retireDelay;
    private final Poller poller;
    /** Wakes the poller at once when the backend can tell this process about a change. */
    private volatile AutoCloseable changeSubscription;
    private final ScheduledExecutorService scheduler;
    private final String label;
    private final Object swapped = new Object();
    private final Map<Serving<M>, ScheduledFuture<?>> retiring = new ConcurrentHashMap<>();

    private volatile Serving<M> current;
    private volatile boolean closed;

    // Touched only by checks, which the poller runs one at a time.
    private long lastToken;
    private SemVer failedVersion;
    private int consecutiveFailures;
    private long retryAtNanos;
    private boolean stageEmptyReported;

    private DefaultModelHandle(ModelHandle.Builder<M> b, Duration pollInterval, Duration maxPollInterval, Duration retireDelay,
                               LocalArtifactCache cache, Path ownedCacheDir) {
        this.registry = b.registry;
        this.model = b.model;
        this.stage = b.stage;
        this.loader = b.loader;
        this.validator = b.validator;
        this.listeners = List.copyOf(b.listeners);
        this.artifactName = b.artifactName;
        this.pinned = b.pinned;
        this.trustPolicy = b.trustPolicy;
        this.cache = cache;
        this.ownedCacheDir = ownedCacheDir;
        this.retryBase = pollInterval;
        this.retryMax = maxPollInterval;
        this.retireDelay = retireDelay;
        this.label = model + "@" + stage;
        this.poller = new Poller("model-handle-" + model + "-" + stage, b.scheduler, pollInterval, maxPollInterval, this::check);
        this.scheduler = poller.scheduler();
    }

    static <M> ModelHandle<M> start(ModelHandle.Builder<M> b, Duration pollInterval, Duration maxPollInterval, Duration retireDelay) {
        LocalArtifactCache cache = b.cache;
        Path ownedDir = null;
        if (cache == null) {
            try {
                ownedDir = Files.createTempDirectory("model-handle-" + b.model + "-");
            } catch (IOException e) {
                throw new StorageException("Cannot create a temporary artifact cache for " + b.model + "@" + b.stage + ": " + e.getMessage(), e);
            }
            cache = LocalArtifactCache.open(ownedDir, 0);
        }
        DefaultModelHandle<M> handle = new DefaultModelHandle<>(b, pollInterval, maxPollInterval, retireDelay, cache, ownedDir);
        try {
            handle.loadFirst();
        } catch (RuntimeException e) {
            handle.poller.close();
            handle.deleteOwnedCache();
            throw e;
        }
        if (handle.pinned == null) {
            handle.poller.start();
            handle.changeSubscription = b.registry.onChange(handle.poller::wakeUpSoon);
        }
        return handle;
    }

    private void loadFirst() {
        ModelVersion version;
        if (pinned != null) {
            version = registry.getVersion(model.value(), pinned);
            LOG.warn("Model handle {} is PINNED to {}: it serves that version only and ignores every promotion and rollback. "
                    + "Use pinned mode for debugging only.", label, version);
            checkLog(version);
        } else {
            lastToken = registry.changeToken();
            version = registry.findCurrent(model.value(), stage).flatMap(this::confirmedHolder).orElseThrow(this::emptyStage);
        }
        current = load(version);
        LOG.info("Model handle {} serves {}", label, version);
    }

    /** Why a handle cannot start on an empty stage; an empty stage may be the visible part of a tampered log, so say so rather than "empty". */
    private RegistryException emptyStage() {
        boolean intact;
        String summary = "";
        try {
            dev.modelregistry.VerificationReport report = registry.verify(model.value());
            intact = report.intact();
            summary = report.summary();
        } catch (NotFoundException noModel) {
            intact = true;
        }
        if (!intact) {
            return new IntegrityException("Model handle " + label + " cannot start: the log of " + model + " was tampered with: " + summary);
        }
        return new NotFoundException("No version of " + model + " is in " + stage + "; a model handle needs one to start");
    }

    // ---------------------------------------------------------------- serving path

    @Override
    public Serving<M> current() {
        return current;
    }

    @Override
    public Lease<M> acquire() {
        while (true) {
            Serving<M> s = current;
            if (s.tryRetain()) {
                if (closed) {
                    s.release();
                    break;
                }
                return new Lease<>(s);
            }
            if (s == current) {
                break;
            }
        }
        throw new IllegalStateException("Model handle " + label + " is closed");
    }

    @Override
    public ModelName model() {
        return model;
    }

    @Override
    public Stage stage() {
        return stage;
    }

    @Override
    public boolean isPinned() {
        return pinned != null;
    }

    @Override
    public boolean awaitVersion(SemVer version, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (swapped) {
            while (!current.version().version().equals(version)) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(swapped, left);
            }
            return true;
        }
    }

    @Override
    public void refresh() {
        if (pinned == null) {
            poller.pollNow();
        }
    }

    // ---------------------------------------------------------------- following the stage

    /** One poll; true when the registry changed (so the next poll comes soon). */
    private boolean check() {
        long token = registry.changeToken();
        boolean retryDue = failedVersion != null && System.nanoTime() - retryAtNanos >= 0;
        if (token == lastToken && !retryDue) {
            return false;
        }
        lastToken = token;
        Serving<M> serving = current;
        Optional<ModelVersion> found = registry.findCurrent(model.value(), stage);
        if (found.isPresent() && isNew(found.get(), serving, retryDue)) {
            ModelVersion named = found.get();
            try {
                found = confirmedHolder(named);
            } catch (RuntimeException e) {
                recordFailure(named, serving, e);
                return true;
            }
        }
        if (found.isEmpty()) {
            failedVersion = null;
            if (!stageEmptyReported) {
                stageEmptyReported = true;
                LOG.warn("Model handle {}: the stage is empty; still serving {}", label, serving.version());
                notifyListeners(l -> l.onStageEmpty(serving));
            }
            return true;
        }
        stageEmptyReported = false;
        ModelVersion target = found.get();
        if (target.version().equals(serving.version().version())) {
            failedVersion = null;
            consecutiveFailures = 0;
            return true;
        }
        if (!isNew(target, serving, retryDue)) {
            return true;
        }
        Serving<M> next;
        try {
            next = load(target);
        } catch (RuntimeException e) {
            recordFailure(target, serving, e);
            return true;
        }
        failedVersion = null;
        consecutiveFailures = 0;
        swap(serving, next);
        return true;
    }

    /** Whether {@code target} is worth loading: not what is served, and not a version that failed and waits for its retry. */
    private boolean isNew(ModelVersion target, Serving<M> serving, boolean retryDue) {
        return !target.version().equals(serving.version().version()) && (retryDue || !target.version().equals(failedVersion));
    }

    /** Counts a failure to serve {@code target}, schedules its retry with backoff, and tells the listeners. */
    private void recordFailure(ModelVersion target, Serving<M> serving, RuntimeException e) {
        RegistryException error = e instanceof RegistryException r ? r
                : new StorageException("Unexpected failure loading " + target + ": " + e, e);
        consecutiveFailures = target.version().equals(failedVersion) ? consecutiveFailures + 1 : 1;
        failedVersion = target.version();
        long delay = Math.min(retryMax.toNanos(), retryBase.toNanos() << Math.min(consecutiveFailures - 1, 20));
        retryAtNanos = System.nanoTime() + delay;
        LOG.warn("Model handle {} keeps serving {}: cannot serve {} (attempt {}, next in {} ms): {}", label,
                serving.version(), target, consecutiveFailures, TimeUnit.NANOSECONDS.toMillis(delay), error.getMessage(), error);
        notifyListeners(l -> l.onFailure(target, error));
    }

    private void swap(Serving<M> previous, Serving<M> next) {
        current = next;
        synchronized (swapped) {
            swapped.notifyAll();
        }
        LOG.info("Model handle {} swapped {} -> {}", label, previous.version(), next.version());
        retireLater(previous);
        notifyListeners(l -> l.onSwap(previous, next));
    }

    private void retireLater(Serving<M> retired) {
        if (retireDelay.isZero()) {
            retired.retire();
            return;
        }
        try {
            retiring.put(retired, scheduler.schedule(() -> {
                if (retiring.remove(retired) != null) {
                    retired.retire();
                }
            }, retireDelay.toNanos(), TimeUnit.NANOSECONDS));
        } catch (RejectedExecutionException e) {
            retiring.remove(retired);
            retired.retire();
        }
    }

    /** Loads a version whose log has been checked ({@link #checkLog}), once the trust policy vouches for it. */
    private Serving<M> load(ModelVersion version) {
        checkTrust(version);
        ArtifactRef ref = artifactOf(version);
        CachedArtifact file = cache.fetch(ref, () -> registry.openArtifact(model.value(), version.version(), ref.name()));
        M loaded;
        try {
            loaded = loader.load(file.path(), version);
        } catch (Exception | AssertionError | LinkageError e) {
            file.close();
            throw new ModelLoadException("Loader failed on " + version + " (artifact " + ref.name() + ", SHA-256 " + ref.sha256() + "): " + e, e);
        } catch (Error e) {
            file.close();
            throw e;
        }
        if (loaded == null) {
            file.close();
            throw new ModelLoadException("Loader returned null for " + version + " (artifact " + ref.name() + ")", null);
        }
        if (validator != null) {
            try {
                validator.validate(loaded, version);
            } catch (Exception | AssertionError | LinkageError e) {
                closeModel(loaded, version);
                file.close();
                throw new ModelLoadException("Validator refused " + version + " (artifact " + ref.name() + "): " + e, e);
            } catch (Error e) {
                closeModel(loaded, version);
                file.close();
                throw e;
            }
        }
        return new Serving<>(loaded, version, ref, () -> dispose(loaded, version, file));
    }

    /**
     * The holder to serve for {@code found}, the version {@code findCurrent} named: {@code found}
     * itself once its log is checked ({@link #checkLog}) and has it in the stage. The stage is taken
     * from the log because a backend's index (e.g. SQLite's query tables) could say otherwise.
     *
     * <p>{@code findCurrent} may answer from a view as stale as the backend documents (S3's change
     * check interval), and a promotion may land between it and this check: then the log has the
     * version elsewhere, and the holder a fresh read names is checked instead. So staleness within
     * the bound serves the previous or the new holder, never an integrity failure; only a version
     * the registry still names the holder while its log puts it elsewhere is one. Empty when the
     * stage has been emptied meanwhile.
     */
    private Optional<ModelVersion> confirmedHolder(ModelVersion found) {
        ModelVersion candidate = found;
        for (int moves = 0; ; moves++) {
            checkLog(candidate);
            Stage inLog = registry.stageOf(model.value(), candidate.version());
            if (inLog.equals(stage)) {
                return Optional.of(candidate);
            }
            Optional<ModelVersion> fresh = registry.findCurrent(model.value(), stage);
            if (fresh.isEmpty()) {
                return fresh;
            }
            if (fresh.get().version().equals(candidate.version())) {
                // Named again after the log put it elsewhere: unless it has just moved back, the two disagree.
                Stage now = registry.stageOf(model.value(), candidate.version());
                if (now.equals(stage)) {
                    return fresh;
                }
                throw new IntegrityException("Refusing to serve " + candidate + " from " + stage
                        + ": the registry names it the holder, but the model's log has it in " + now);
            }
            if (moves == MAX_HOLDER_MOVES) {
                throw new ConcurrentUpdateException("The holder of " + label + " moved " + (moves + 1)
                        + " times while it was being checked; the next poll tries again");
            }
            candidate = fresh.get();
        }
    }

    /**
     * Before anything is downloaded: the model's log must verify (a version that an edited, deleted
     * or reordered entry put into the stage is never served), and the version must be the one the
     * log records. Once per load, so it costs nothing per request.
     */
    private void checkLog(ModelVersion version) {
        dev.modelregistry.VerificationReport report = registry.verify(model.value());
        if (!report.intact()) {
            throw new IntegrityException("Refusing to serve " + version + ": the log of " + model
                    + " was tampered with: " + report.summary());
        }
        ModelVersion recorded = registry.getVersion(model.value(), version.version());
        if (!recorded.equals(version)) {
            throw new IntegrityException("Refusing to serve " + version + ": the registry's answer for "
                    + stage + " differs from the version its log records");
        }
    }

    /** With a trust policy, the version's signatures must satisfy it. */
    private void checkTrust(ModelVersion version) {
        if (trustPolicy != null) {
            dev.modelregistry.TrustCheck check = trustPolicy.check(stage, version,
                    registry.signatures(model.value(), version.version()));
            if (!check.satisfied()) {
                throw new dev.modelregistry.UntrustedVersionException("Refusing to serve " + version
                        + ": the trust policy does not vouch for it", check);
            }
        }
    }

    private ArtifactRef artifactOf(ModelVersion version) {
        if (artifactName != null) {
            return version.artifact(artifactName);
        }
        if (version.artifacts().isEmpty()) {
            throw new NotFoundException("Version " + version + " has no artifact to load");
        }
        return version.artifacts().get(0);
    }

    /** Closes a model whose last reference is gone; off the request thread that released it, when possible. */
    private void dispose(M loaded, ModelVersion version, CachedArtifact file) {
        Runnable close = () -> {
            closeModel(loaded, version);
            file.close();
        };
        try {
            scheduler.execute(close);
        } catch (RejectedExecutionException e) {
            close.run();
        }
    }

    private void closeModel(M loaded, ModelVersion version) {
        if (loaded instanceof AutoCloseable c) {
            try {
                c.close();
                LOG.debug("Model handle {} closed retired model {}", label, version);
            } catch (Exception e) {
                LOG.warn("Model handle {}: closing retired model {} failed: {}", label, version, e.toString(), e);
            }
        }
    }

    private void notifyListeners(java.util.function.Consumer<SwapListener<M>> call) {
        for (SwapListener<M> l : listeners) {
            try {
                call.accept(l);
            } catch (RuntimeException e) {
                LOG.warn("Model handle {}: listener {} threw: {}", label, l, e.toString(), e);
            }
        }
    }

    // ---------------------------------------------------------------- closing

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        closeQuietly(changeSubscription);
        poller.close();
        retiring.forEach((s, f) -> {
            f.cancel(false);
            s.retire();
        });
        retiring.clear();
        current.retire();
        deleteOwnedCache();
        LOG.info("Model handle {} closed", label);
    }

    private void deleteOwnedCache() {
        if (ownedCacheDir == null) {
            return;
        }
        try (Stream<Path> paths = Files.walk(ownedCacheDir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    LOG.debug("Cannot delete {}: {}", p, e.toString());
                }
            });
        } catch (IOException e) {
            LOG.debug("Cannot delete temporary artifact cache {}: {}", ownedCacheDir, e.toString());
        }
    }

    @Override
    public String toString() {
        return "ModelHandle[" + label + (pinned != null ? " PINNED" : "") + ", serving " + current.version().version() + "]";
    }

    static void closeQuietly(AutoCloseable subscription) {
        if (subscription == null) {
            return;
        }
        try {
            subscription.close();
        } catch (Exception e) {
            LOG.debug("Closing a change subscription failed: {}", e.toString());
        }
    }
}
