package dev.modelregistry.internal.engine;

import dev.modelregistry.AccessDeniedException;
import dev.modelregistry.AlreadyExistsException;
import dev.modelregistry.ArtifactRef;
import dev.modelregistry.AuditQuery;
import dev.modelregistry.BreakingChangeException;
import dev.modelregistry.Bump;
import dev.modelregistry.ConcurrentUpdateException;
import dev.modelregistry.DatasetRef;
import dev.modelregistry.Evaluation;
import dev.modelregistry.GateRejectedException;
import dev.modelregistry.Gates;
import dev.modelregistry.IllegalTransitionException;
import dev.modelregistry.IntegrityException;
import dev.modelregistry.InvalidNameException;
import dev.modelregistry.InvalidVersionException;
import dev.modelregistry.Lifecycle;
import dev.modelregistry.Limits;
import dev.modelregistry.MetadataTooLargeException;
import dev.modelregistry.ModelCard;
import dev.modelregistry.ModelName;
import dev.modelregistry.ModelRegistry;
import dev.modelregistry.ModelRegistryBuilder;
import dev.modelregistry.ModelSummary;
import dev.modelregistry.ModelVersion;
import dev.modelregistry.Names;
import dev.modelregistry.NotFoundException;
import dev.modelregistry.Page;
import dev.modelregistry.Principal;
import dev.modelregistry.PromotionRequest;
import dev.modelregistry.PromotionResult;
import dev.modelregistry.Provenance;
import dev.modelregistry.Registration;
import dev.modelregistry.RequestId;
import dev.modelregistry.SemVer;
import dev.modelregistry.Sha256;
import dev.modelregistry.Signature;
import dev.modelregistry.Stage;
import dev.modelregistry.StageChange;
import dev.modelregistry.StorageException;
import dev.modelregistry.ValidationException;
import dev.modelregistry.VerificationReport;
import dev.modelregistry.VersionQuery;
import dev.modelregistry.VersionRange;

import dev.modelregistry.internal.verify.LogAudit;

import dev.modelregistry.AccessPolicy;
import dev.modelregistry.Action;
import dev.modelregistry.AccessDenied;
import dev.modelregistry.AccessPolicyChanged;
import dev.modelregistry.ApprovalRecorded;
import dev.modelregistry.CanonicalEvaluationSetChanged;
import dev.modelregistry.EvaluationRecorded;
import dev.modelregistry.GatePolicyChanged;
import dev.modelregistry.ModelCardAttached;
import dev.modelregistry.PromotionRejected;
import dev.modelregistry.PromotionRequested;
import dev.modelregistry.RequestClosed;
import dev.modelregistry.ComparisonReport;
import dev.modelregistry.MetricCatalog;
import dev.modelregistry.VersionDiff;
import dev.modelregistry.internal.util.DurableFiles;
import dev.modelregistry.Approval;
import dev.modelregistry.Gate;
import dev.modelregistry.GateContext;
import dev.modelregistry.internal.gate.GateEngine;
import dev.modelregistry.GateOutcome;
import dev.modelregistry.GatePolicy;
import dev.modelregistry.GateReport;
import dev.modelregistry.GateResult;
import dev.modelregistry.GateSpec;
import dev.modelregistry.LineageGraph;
import dev.modelregistry.LineageQuery;
import dev.modelregistry.LineageResult;
import dev.modelregistry.NodeId;
import dev.modelregistry.internal.lineage.OpenLineageEvents;
import dev.modelregistry.TrustPolicyChanged;
import dev.modelregistry.VersionSigned;
import dev.modelregistry.SigningKey;
import dev.modelregistry.TrustCheck;
import dev.modelregistry.TrustPolicy;
import dev.modelregistry.VersionManifest;
import dev.modelregistry.VersionSignature;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import dev.modelregistry.EventCodec;
import dev.modelregistry.LogEntry;
import dev.modelregistry.ModelCreated;
import dev.modelregistry.RegistryEvent;
import dev.modelregistry.StageChanged;
import dev.modelregistry.VersionRegistered;
import dev.modelregistry.spi.ArtifactStore;
import dev.modelregistry.spi.RegistrySettings;
import dev.modelregistry.memory.InMemoryArtifactStore;
import dev.modelregistry.memory.InMemoryEventStore;
import dev.modelregistry.spi.EventStore;
import dev.modelregistry.spi.StoredArtifact;
import dev.modelregistry.spi.SupportsChangeNotification;
import dev.modelregistry.spi.SupportsLineageQueries;
import dev.modelregistry.spi.SupportsRequestQueries;
import dev.modelregistry.spi.SupportsStorageAudit;
import dev.modelregistry.spi.SupportsVersionQueries;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Function;

/**
 * The registry: every rule lives here, once, for every backend. Stores only append and read.
 *
 * <p>Each model has a {@link ModelEntry} holding its folded state. Writes lock the entry, catch up
 * with the store, plan the events against the up-to-date state (validation throws here, before any
 * change), and append them with a compare-and-swap on the log's last sequence number; a lost race
 * re-reads, re-plans and retries. Reads catch up only when the store's change token moved.
 *
 * <p>Every write passes through {@link #write}; the promotion rules sit in {@link #planPromotion},
 * which is where gate evaluation and access checks attach.
 */
final class DefaultModelRegistry implements ModelRegistry {
    private final EventStore events;
    private final ArtifactStore artifacts;
    private final Clock clock;
    private final Lifecycle lifecycle;
    private final int maxWriteAttempts;
    /** The store's own read indexes, when it has them. */
    private final SupportsVersionQueries indexed;
    /** The store's lineage index, when it has one; asked whenever no current lineage graph is built. */
    private final SupportsLineageQueries lineageIndex;
    /** The store's table of open requests, when it has one; asked for models not loaded. */
    private final SupportsRequestQueries requestIndex;
    /** Every stage of the lifecycle and NONE: the stages the serving view has an answer for. */
    private final Stage[] servedStages;
    private final Map<String, Gate> customGates;
    private final GateEngine gateEngine;
    private final ExecutorService ownedGateExecutor;
    private final GatePolicy bootstrapGatePolicy;
    private final AccessPolicy bootstrapAccessPolicy;
    private final boolean requireExactDataLineage;
    private final MetricCatalog metricCatalog;
    private volatile ParsedPolicy parsedPolicy;

    /** The gate that holds promotions asked for by principals who may only request them. */
    static final String RELEASE_APPROVAL = GateSpec.Custom.RELEASE_APPROVAL;
    private static final GateSpec RELEASE_APPROVAL_SPEC = new GateSpec.Custom(RELEASE_APPROVAL);
    /** Keyed by the raw name so that the serving path needs no {@link ModelName} allocation. */
    private final ConcurrentMap<String, ModelEntry> entries = new ConcurrentHashMap<>();
    /** The entries whose serving view has been published: what {@link #findCurrent} looks up. */
    private final ServingIndex serving = new ServingIndex();

    DefaultModelRegistry(RegistrySettings settings) {
        this.events = settings.eventStore().orElseGet(InMemoryEventStore::new);
        this.artifacts = settings.artifactStore().orElseGet(InMemoryArtifactStore::new);
        this.clock = settings.clock();
        this.lifecycle = settings.lifecycle();
        this.maxWriteAttempts = settings.maxWriteAttempts();
        this.indexed = events instanceof SupportsVersionQueries q ? q : null;
        this.lineageIndex = events instanceof SupportsLineageQueries q ? q : null;
        this.requestIndex = events instanceof SupportsRequestQueries q ? q : null;
        List<Stage> stages = new ArrayList<>(lifecycle.stages());
        stages.add(Stage.NONE);
        this.servedStages = stages.toArray(Stage[]::new);
        this.bootstrapGatePolicy = settings.gatePolicy();
        this.bootstrapAccessPolicy = settings.accessPolicy();
        this.requireExactDataLineage = settings.requireExactDataLineage();
        this.metricCatalog = settings.metricCatalog();
        Map<String, Gate> gates = new LinkedHashMap<>(settings.customGates());
        gates.put(RELEASE_APPROVAL, this::releaseApproval);
        this.customGates = Map.copyOf(gates);
        ExecutorService executor = settings.gateExecutor().orElse(null);
        this.ownedGateExecutor = executor == null ? Executors.newCachedThreadPool(daemonThreads("registry-gate")) : null;
        this.gateEngine = new GateEngine(customGates, settings.gateTimeout(), executor != null ? executor : ownedGateExecutor);
    }

    private static java.util.concurrent.ThreadFactory daemonThreads(String prefix) {
        java.util.concurrent.atomic.AtomicInteger n = new java.util.concurrent.atomic.AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /** A model's folded state, and what the serving path reads of it without a lock. */
    private static final class ModelEntry {
        /** The model's name as a string, and its spread hash: the serving index's key. */
        final String key;
        final int hash;
        final ModelState state;
        /** The current version of every stage as of a store change token; replaced, never mutated. */
        volatile ServingView view = ServingView.NONE;

        ModelEntry(ModelName name) {
            this.key = name.value();
            this.hash = ServingIndex.spread(key);
            this.state = new ModelState(name);
        }
    }

    /**
     * The serving path's lookup from a model's name to its entry: an open-addressing table read
     * without a lock, written under one. It exists for one reason: the compiled
     * {@link #findCurrent} must stay small enough for the JIT to inline into its callers (HotSpot
     * refuses callees whose code exceeds {@code InlineSmallCode}, 2,500 bytes), and a
     * {@link ConcurrentHashMap#get} alone, with its bin walk and two inlined {@code String.equals},
     * took most of that budget. Here a lookup is one hash, one probe and usually an identity
     * compare; {@code String.equals} runs only on a full hash match, so while callers pass the
     * name instances they registered with, the JIT compiles no string comparison at all.
     *
     * <p>Readers may see a table without an entry put a moment ago; they then take the slow path,
     * which puts it. Entries are safely published by their final fields, so a racy read of a slot
     * sees a complete entry. An entry is replaced, never removed: a stale one has a stale view
     * token and sends readers down the slow path, which puts the live one.
     */
    private static final class ServingIndex {
        private volatile ModelEntry[] table = new ModelEntry[64];
        private int size;

        ModelEntry get(String key) {
            if (key == null) {
                return null;
            }
            ModelEntry[] t = table;
            int mask = t.length - 1;
            int h = spread(key);
            for (int i = h & mask; ; i = (i + 1) & mask) {
                ModelEntry e = t[i];
                if (e == null || e.key == key || (e.hash == h && e.key.equals(key))) {
                    return e;
                }
            }
        }

        static int spread(String key) {
            int h = key.hashCode();
            return h ^ (h >>> 16);
        }

        synchronized void put(ModelEntry entry) {
            ModelEntry[] t = table;
            if (2 * (size + 1) > t.length) {
                ModelEntry[] grown = new ModelEntry[t.length * 2];
                for (ModelEntry e : t) {
                    if (e != null) {
                        grown[slot(grown, e.key)] = e;
                    }
                }
                t = grown;
            }
            int i = slot(t, entry.key);
            if (t[i] == null) {
                size++;
            }
            t[i] = entry;
            table = t; // a volatile write: publishes the new slot (and a grown table) to readers
        }

        /** The slot that holds {@code key}, or the empty slot where it belongs. */
        private static int slot(ModelEntry[] t, String key) {
            int mask = t.length - 1;
            int i = spread(key) & mask;
            while (t[i] != null && !t[i].key.equals(key)) {
                i = (i + 1) & mask;
            }
            return i;
        }
    }

    /**
     * What the serving path reads, with one volatile read: the store change token the state was
     * caught up at, and the current version of every stage as parallel arrays with precomputed
     * {@code Optional}s, so answering is a scan of a handful of references with no hashing and no
     * allocation. Lifecycles have a few stages, so the scan beats any map.
     */
    private static final class ServingView {
        static final ServingView NONE = new ServingView(Long.MIN_VALUE, new Stage[0], new Optional<?>[0]);

        final long token;
        /** Stage, current version, stage, current version…: one array, so a lookup touches one object. */
        private final Object[] slots;

        ServingView(long token, Stage[] stages, Optional<?>[] current) {
            this.token = token;
            this.slots = new Object[stages.length * 2];
            for (int i = 0; i < stages.length; i++) {
                slots[2 * i] = stages[i];
                slots[2 * i + 1] = current[i];
            }
        }

        /** The current version of {@code stage}, or null when the stage is not in the view. */
        @SuppressWarnings("unchecked")
        Optional<ModelVersion> find(Stage stage) {
            Object[] s = slots;
            for (int i = 0; i < s.length; i += 2) {
                if (s[i] == stage) {
                    return (Optional<ModelVersion>) s[i + 1];
                }
            }
            return findEqual(stage);
        }

        /** The rare case of an equal but distinct {@code Stage} instance, kept out of the loop above. */
        @SuppressWarnings("unchecked")
        private Optional<ModelVersion> findEqual(Stage stage) {
            if (stage == null) {
                return null;
            }
            Object[] s = slots;
            for (int i = 0; i < s.length; i += 2) {
                if (((Stage) s[i]).name().equals(stage.name())) {
                    return (Optional<ModelVersion>) s[i + 1];
                }
            }
            return null;
        }
    }

    /** The events a write will append, and how to turn the sealed entries into the caller's result. */
    private record Plan<R>(List<RegistryEvent> events, Function<List<LogEntry>, R> result) {
    }

    @FunctionalInterface
    private interface Planner<R> {
        Plan<R> plan(ModelState state, Instant now);
    }

    // ================================================================ writing

    @Override
    public ModelVersion register(Principal by, Registration registration) {
        requirePrincipal(by);
        Objects.requireNonNull(registration, "registration");
        ModelName name = registration.model();
        authorize(by, Action.REGISTER, name, null);
        for (String tag : registration.tags()) {
            checkTagIsUnambiguous(tag);
        }
        checkLineage(name, registration);
        List<ArtifactRef> stored = List.of();
        if (!registration.artifacts().isEmpty()) {
            // Refuse what can be refused before any artifact is stored, so a refused registration
            // leaves no orphaned bytes behind in the common cases; the write re-checks atomically.
            withState(name, state -> {
                planRegistration(state, registration, by, clock.instant(), List.of());
                return null;
            }, () -> {
                planRegistration(new ModelState(name), registration, by, clock.instant(), List.of());
                return null;
            });
            stored = storeArtifacts(registration);
        }
        List<ArtifactRef> artifactsStored = stored;
        return write(by, name, registration.reason(), (state, now) -> planRegistration(state, registration, by, now, artifactsStored));
    }

    private Plan<ModelVersion> planRegistration(ModelState state, Registration r, Principal by, Instant now,
                                                List<ArtifactRef> stored) {
        SemVer version = chooseVersion(state, r);
        for (String tag : r.tags()) {
            Optional<SemVer> holder = state.versionOfTag(tag);
            if (holder.isPresent()) {
                throw new AlreadyExistsException("Tag " + Names.quote(tag) + " already names " + state.model() + "@" + holder.get());
            }
        }
        ModelVersion v = r.toVersion(version, by.name(), now, stored);
        int size = EventCodec.sizeOf(new VersionRegistered(v));
        if (size > Limits.MAX_VERSION_RECORD_BYTES) {
            throw new MetadataTooLargeException("Version record of " + v + " takes " + size
                    + " bytes as JSON; the limit is " + Limits.MAX_VERSION_RECORD_BYTES);
        }
        List<RegistryEvent> planned = new ArrayList<>(3);
        if (!state.exists()) {
            planned.add(new ModelCreated(state.model()));
        }
        planned.add(new VersionRegistered(v));
        r.modelCard().ifPresent(card -> planned.add(new ModelCardAttached(version, card)));
        return new Plan<>(planned, sealed -> v);
    }

    /**
     * The version a registration gets: the explicit one, or the bump applied to the highest existing
     * version ({@link Bump#AUTO}: the bump the signature change requires; the first version of a
     * model under AUTO is 1.0.0). Either way the step from the version below must cover what the
     * signature change requires.
     */
    private SemVer chooseVersion(ModelState state, Registration r) {
        Optional<SemVer> explicit = r.version();
        SemVer chosen;
        Optional<ModelVersion> base;
        if (explicit.isPresent()) {
            chosen = explicit.get();
            Optional<ModelVersion> same = state.find(chosen);
            if (same.isPresent()) {
                throw new AlreadyExistsException("Model " + state.model() + " already has version " + same.get().version()
                        + (chosen.build().equals(same.get().version().build()) ? "" : " (build metadata is not part of a version's identity)"));
            }
            base = state.below(chosen);
        } else {
            base = state.highest();
            Signature.Change change = base.map(b -> Signature.compare(b.signature(), r.signature()))
                    .orElseGet(() -> Signature.compare(Signature.UNDECLARED, Signature.UNDECLARED));
            Bump bump = r.bump() == Bump.AUTO ? change.requiredBump() : r.bump();
            if (base.isEmpty()) {
                chosen = r.bump() == Bump.AUTO ? SemVer.of(1, 0, 0) : bump.apply(SemVer.of(0, 0, 0));
            } else {
                chosen = bump.apply(base.get().version());
            }
        }
        if (base.isPresent()) {
            Signature.Change change = Signature.compare(base.get().signature(), r.signature());
            Bump step = stepBetween(base.get().version(), chosen);
            if (!step.covers(change.requiredBump())) {
                throw new BreakingChangeException("Version " + chosen + " of " + state.model() + " is a " + step
                        + " step from " + base.get().version() + ", but the signature change needs " + change.requiredBump()
                        + ": " + String.join("; ", change.requiredBump() == Bump.MAJOR ? change.breaking() : change.compatible()),
                        change.requiredBump());
            }
        }
        return chosen;
    }

    /**
     * How large the step from {@code base} up to {@code next} is. Going from a pre-release to its
     * release (or a later pre-release of it) counts as the step the pre-release line previews:
     * {@code 2.0.0-rc.1 → 2.0.0} is MAJOR, as node-semver's {@code inc} treats it.
     */
    static Bump stepBetween(SemVer base, SemVer next) {
        if (next.major() != base.major()) {
            return Bump.MAJOR;
        }
        if (next.minor() != base.minor()) {
            return Bump.MINOR;
        }
        if (next.patch() != base.patch()) {
            return Bump.PATCH;
        }
        if (base.minor() == 0 && base.patch() == 0) {
            return Bump.MAJOR;
        }
        return base.patch() == 0 ? Bump.MINOR : Bump.PATCH;
    }

    /**
     * Parents must already be registered (versions are never removed, so checking before the write
     * is enough); that keeps the lineage graph acyclic by construction. Datasets must be exact when
     * the registry requires exact data lineage.
     */
    private void checkLineage(ModelName name, Registration r) {
        for (Provenance.ParentRef parent : r.provenance().parents()) {
            if (parent.model().equals(name) && r.version().map(parent.version()::equals).orElse(false)) {
                throw new ValidationException(name + "@" + parent.version() + " cannot be its own parent: lineage must stay acyclic");
            }
            if (findVersion(parent.model().value(), parent.version()).isEmpty()) {
                throw new NotFoundException("Parent " + parent.model() + "@" + parent.version()
                        + " is not registered; a version can only derive from registered versions");
            }
        }
        if (requireExactDataLineage) {
            for (DatasetRef d : r.provenance().datasets()) {
                if (!d.isExact()) {
                    throw new ValidationException("Dataset " + d + " has no exact version (commit, table version, snapshot id "
                            + "or as-of time), and this registry requires exact data lineage");
                }
            }
        }
    }

    /** Tags may not read as anything else a reference can name, so {@code model@x} is never ambiguous. */
    private void checkTagIsUnambiguous(String tag) {
        String why = null;
        if (tag.equalsIgnoreCase("latest")) {
            why = "\"latest\" is reserved";
        } else if (lifecycle.stages().contains(Stage.of(tag)) || Stage.of(tag).equals(Stage.NONE)) {
            why = "it names a stage";
        } else if (parses(() -> SemVer.parse(tag))) {
            why = "it reads as a version";
        } else if (parses(() -> VersionRange.parse(tag))) {
            why = "it reads as a version range";
        }
        if (why != null) {
            throw new InvalidNameException("Invalid tag " + Names.quote(tag) + ": " + why);
        }
    }

    private static boolean parses(Runnable parse) {
        try {
            parse.run();
            return true;
        } catch (InvalidVersionException e) {
            return false;
        }
    }

    private List<ArtifactRef> storeArtifacts(Registration r) {
        List<ArtifactRef> refs = new ArrayList<>();
        for (Registration.ArtifactSource source : r.artifacts()) {
            StoredArtifact stored;
            if (source.existing() != null) {
                ArtifactRef existing = source.existing();
                stored = artifacts.find(existing.sha256()).orElseThrow(() -> new NotFoundException(
                        "Artifact " + Names.quote(existing.name()) + " refers to SHA-256 " + existing.sha256()
                                + ", which is not in the artifact store"));
                if (stored.size() != existing.size()) {
                    throw new IntegrityException("Artifact " + Names.quote(existing.name()) + " claims " + existing.size()
                            + " bytes but the stored content with its digest has " + stored.size());
                }
            } else {
                try (InputStream in = source.content().open()) {
                    stored = artifacts.put(in, source.expectedDigest());
                } catch (IntegrityException e) {
                    throw new IntegrityException("Artifact " + Names.quote(source.name()) + ": " + e.getMessage());
                } catch (StorageException e) {
                    // The store cannot know which artifact of the registration it was writing; say it here.
                    throw new StorageException("Cannot store artifact " + Names.quote(source.name()) + ": " + e.getMessage(), e);
                } catch (IOException e) {
                    throw new StorageException("Cannot read artifact " + Names.quote(source.name()) + ": " + e.getMessage(), e);
                }
            }
            refs.add(new ArtifactRef(source.name(), stored.uri(), stored.sha256(), stored.size(), source.mediaType()));
        }
        return refs;
    }

    @Override
    public PromotionResult promote(Principal by, String model, SemVer version, Stage to, String reason) {
        requirePrincipal(by);
        ModelName name = ModelName.of(model);
        Objects.requireNonNull(version, "version");
        lifecycle.require(to);
        if (to.equals(Stage.NONE)) {
            throw new IllegalTransitionException("Cannot promote into NONE; archive the version instead");
        }
        AccessPolicy access = accessPolicy();
        boolean direct = access.allows(by, Action.PROMOTE, name, to);
        if (!direct && !access.allows(by, Action.REQUEST_PROMOTION, name, to)) {
            throw deny(by, Action.PROMOTE, name, to);
        }
        GatePolicy gates = gatePolicy();
        TrustPolicy trust = trustPolicy();
        return write(by, name, reason, (state, now) -> planPromotion(state, by, version, to, now, gates, trust, direct));
    }

    @Override
    public StageChange archive(Principal by, String model, SemVer version, String reason) {
        requirePrincipal(by);
        ModelName name = ModelName.of(model);
        Objects.requireNonNull(version, "version");
        authorize(by, Action.ARCHIVE, name, lifecycle.archiveStage());
        return write(by, name, reason, (state, now) -> {
            Stage from = checkMove(state, version, lifecycle.archiveStage());
            List<RegistryEvent> moves = List.of(new StageChanged(version, from, lifecycle.archiveStage(), StageChange.Kind.ARCHIVE));
            return new Plan<>(withStaleRequestsClosed(state, moves, null), sealed -> stageChangeOf(sealed, version));
        });
    }

    /** The candidate's current stage, after checking that it may move to {@code to}. */
    private Stage checkMove(ModelState state, SemVer version, Stage to) {
        requireExists(state);
        ModelVersion candidate = state.require(version);
        Stage from = state.stageOf(version);
        if (from.equals(to)) {
            throw new IllegalTransitionException(candidate + " is already in " + to);
        }
        if (!lifecycle.allows(from, to)) {
            throw new IllegalTransitionException("Cannot move " + candidate + " from " + from + " to " + to
                    + "; allowed from " + from + ": " + lifecycle.transitionsFrom(from));
        }
        return from;
    }

    /**
     * Evaluates the transition's gates and plans the outcome: the move itself when every gate passed,
     * an open request when some are pending, a recorded rejection (and {@link GateRejectedException})
     * when one failed. A principal who may only request promotions always waits for a release
     * approval.
     */
    private Plan<PromotionResult> planPromotion(ModelState state, Principal by, SemVer version, Stage to, Instant now,
                                                GatePolicy gates, TrustPolicy trust, boolean direct) {
        Stage from = checkMove(state, version, to);
        for (ModelState.Request open : state.openRequests()) {
            if (open.version.equals(version) && open.to.equals(to)) {
                throw new AlreadyExistsException("Promotion of " + state.model() + "@" + version + " to " + to
                        + " is already requested: " + new RequestId(state.model(), open.id));
            }
        }
        List<GateSpec> specs = gateSpecs(gates, from, to, !direct);
        GateReport report = withTrustGate(gateEngine.evaluate(specs, context(state, state.require(version), from, to, List.of(), by, now)),
                state, state.require(version), to, trust);
        switch (report.outcome()) {
            case FAILED -> {
                return new Plan<>(List.of(new PromotionRejected(version, from, to, report)), sealed -> {
                    throw new GateRejectedException("Promotion of " + state.model() + "@" + version + " to " + to
                            + " refused by its gates", report);
                });
            }
            case PENDING -> {
                return new Plan<>(List.of(new PromotionRequested(version, from, to, report)), sealed -> new PromotionResult(report, null,
                        requestView(state, state.request(sealed.get(0).sequence()).orElseThrow(), gates, accessPolicy())));
            }
            default -> {
                List<RegistryEvent> moves = moveInto(state, version, from, to, report, null);
                return new Plan<>(withStaleRequestsClosed(state, moves, null),
                        sealed -> new PromotionResult(report, stageChangeOf(sealed, version), null));
            }
        }
    }

    /** The events that move {@code version} into {@code to}, displacing an exclusive stage's holder first. */
    private List<RegistryEvent> moveInto(ModelState state, SemVer version, Stage from, Stage to, GateReport report, Long request) {
        List<RegistryEvent> moves = new ArrayList<>(2);
        if (lifecycle.isExclusive(to)) {
            state.current(to).ifPresent(holder -> moves.add(
                    new StageChanged(holder.version(), to, lifecycle.archiveStage(), StageChange.Kind.DISPLACED)));
        }
        StageChange.Kind kind = to.equals(lifecycle.archiveStage()) ? StageChange.Kind.ARCHIVE : StageChange.Kind.PROMOTION;
        moves.add(new StageChanged(version, from, to, kind, report, request));
        return moves;
    }

    /**
     * Appends, after {@code moves}, the closing of every open request whose candidate those moves
     * take elsewhere (except the request being completed): such a request no longer applies.
     */
    private static List<RegistryEvent> withStaleRequestsClosed(ModelState state, List<RegistryEvent> moves, Long completing) {
        List<RegistryEvent> out = new ArrayList<>(moves);
        for (RegistryEvent e : moves) {
            if (e instanceof StageChanged c) {
                for (ModelState.Request open : state.openRequests()) {
                    if (open.version.equals(c.version()) && !Long.valueOf(open.id).equals(completing)) {
                        out.add(new RequestClosed(open.id, PromotionRequest.Status.CLOSED,
                                "candidate moved from " + c.from() + " to " + c.to()));
                    }
                }
            }
        }
        return out;
    }

    private List<GateSpec> gateSpecs(GatePolicy gates, Stage from, Stage to, boolean needsReleaseApproval) {
        List<GateSpec> specs = new ArrayList<>(gates.gatesFor(from, to));
        if (needsReleaseApproval) {
            specs.add(RELEASE_APPROVAL_SPEC);
        }
        return specs;
    }

    private GateContext context(ModelState state, ModelVersion candidate, Stage from, Stage to, List<Approval> approvals,
                                Principal requester, Instant now) {
        Optional<ModelVersion> incumbent = state.current(to);
        return new GateContext(state.model(), candidate, incumbent, from, to,
                state.latestEvaluations(candidate.version()),
                incumbent.map(i -> state.latestEvaluations(i.version())).orElse(Map.of()),
                state.canonicalEvaluationSet().map(DatasetRef::id),
                state.card(candidate.version()), approvals, requester, now);
    }

    /** The name of the gate that checks signatures against the trust policy, in gate reports. */
    static final String TRUST_GATE = "trusted-signatures";

    /**
     * Adds the trust policy's verdict to a gate report when the policy requires signatures for
     * {@code to}: the candidate's manifest is recomputed from the version as stored and every
     * recorded signature verified. It runs here, with the model's state in hand, rather than as a
     * custom gate, because signatures are model state a {@link GateContext} does not carry; the
     * result sits in the same report, so a refusal is a {@link GateRejectedException} and is logged
     * with the decision like any failed gate.
     */
    private static GateReport withTrustGate(GateReport report, ModelState state, ModelVersion candidate, Stage to, TrustPolicy trust) {
        if (trust.requirementFor(to).isEmpty()) {
            return report;
        }
        TrustCheck check = trust.check(to, candidate, state.signatures(candidate.version()));
        List<GateResult> results = new ArrayList<>(report.results());
        results.add(new GateResult(TRUST_GATE, "signature", check.satisfied() ? GateOutcome.PASSED : GateOutcome.FAILED,
                List.of(check.summary()), Map.of("validSignatures", (double) check.validKeys().size(),
                "requiredSignatures", (double) check.required())));
        return new GateReport(report.from(), report.to(), results);
    }

    /**
     * The gate that holds a promotion asked for by a principal who may only request it: one approval
     * from a principal whose roles may approve or promote into the target stage, other than the
     * requester. A rejection by such a principal fails it.
     */
    private Gate.Verdict releaseApproval(GateContext ctx) {
        AccessPolicy access = accessPolicy();
        int approvals = 0;
        for (Approval a : ctx.approvals()) {
            Principal p = new Principal(a.principal(), a.roles());
            boolean eligible = !a.principal().equals(ctx.requester().name())
                    && (access.allows(p, Action.APPROVE, ctx.model(), ctx.to()) || access.allows(p, Action.PROMOTE, ctx.model(), ctx.to()));
            if (eligible && !a.approved()) {
                return Gate.Verdict.failed("rejected by " + a.principal(), Map.of());
            }
            if (eligible) {
                approvals++;
            }
        }
        if (approvals >= 1) {
            return Gate.Verdict.passed("approved for release", Map.of("approvals", (double) approvals));
        }
        return Gate.Verdict.pending("needs an approval from a principal allowed to approve promotions into " + ctx.to()
                + " (roles " + access.rolesAllowing(Action.APPROVE, ctx.model(), ctx.to()) + ")", Map.of("approvals", 0.0));
    }

    // ================================================================ requests and approvals

    @Override
    public PromotionResult approve(Principal by, RequestId request, String comment) {
        requirePrincipal(by);
        Objects.requireNonNull(request, "request");
        ModelState.Request open = openRequest(request);
        authorize(by, Action.APPROVE, request.model(), open.to);
        GatePolicy gates = gatePolicy();
        TrustPolicy trust = trustPolicy();
        return write(by, request.model(), comment, (state, now) -> {
            ModelState.Request r = requireOpen(state, request);
            if (r.approvals.stream().anyMatch(a -> a.principal().equals(by.name()))) {
                throw new AlreadyExistsException(by.name() + " already decided on request " + request);
            }
            List<Approval> approvals = new ArrayList<>(r.approvals);
            approvals.add(new Approval(by.name(), by.roles(), true, comment, now));
            boolean releaseApproval = r.report.results().stream().anyMatch(g -> g.gate().equals(RELEASE_APPROVAL));
            List<GateSpec> specs = gateSpecs(gates, r.from, r.to, releaseApproval);
            ModelVersion candidate = state.require(r.version);
            GateReport report = withTrustGate(gateEngine.evaluate(specs, context(state, candidate, r.from, r.to, approvals,
                    new Principal(r.requester, java.util.Set.of()), now)), state, candidate, r.to, trust);
            List<RegistryEvent> planned = new ArrayList<>();
            planned.add(new ApprovalRecorded(r.id, true, comment, by.roles(), report));
            switch (report.outcome()) {
                case FAILED -> {
                    planned.add(new RequestClosed(r.id, PromotionRequest.Status.REJECTED, "a gate failed when re-evaluated on approval"));
                    return new Plan<>(planned, sealed -> {
                        throw new GateRejectedException("Request " + request + " was approved by " + by.name()
                                + " but its gates now refuse the promotion", report);
                    });
                }
                case PENDING -> {
                    return new Plan<>(planned, sealed -> new PromotionResult(report, null,
                            requestView(state, state.request(r.id).orElseThrow(), gates, accessPolicy())));
                }
                default -> {
                    planned.addAll(moveInto(state, r.version, r.from, r.to, report, r.id));
                    planned.add(new RequestClosed(r.id, PromotionRequest.Status.COMPLETED, "every gate passed"));
                    return new Plan<>(withStaleRequestsClosed(state, planned, r.id),
                            sealed -> new PromotionResult(report, stageChangeOf(sealed, r.version), null));
                }
            }
        });
    }

    @Override
    public PromotionRequest reject(Principal by, RequestId request, String comment) {
        requirePrincipal(by);
        ModelState.Request open = openRequest(request);
        authorize(by, Action.APPROVE, request.model(), open.to);
        GatePolicy gates = gatePolicy();
        return write(by, request.model(), comment, (state, now) -> {
            ModelState.Request r = requireOpen(state, request);
            return new Plan<>(List.of(new ApprovalRecorded(r.id, false, comment, by.roles(), null),
                    new RequestClosed(r.id, PromotionRequest.Status.REJECTED, "rejected by " + by.name())),
                    sealed -> requestView(state, r, gates, accessPolicy()));
        });
    }

    @Override
    public PromotionRequest withdraw(Principal by, RequestId request, String reason) {
        requirePrincipal(by);
        ModelState.Request open = openRequest(request);
        if (!open.requester.equals(by.name())) {
            authorize(by, Action.PROMOTE, request.model(), open.to);
        }
        GatePolicy gates = gatePolicy();
        return write(by, request.model(), reason, (state, now) -> {
            ModelState.Request r = requireOpen(state, request);
            return new Plan<>(List.of(new RequestClosed(r.id, PromotionRequest.Status.WITHDRAWN, "withdrawn by " + by.name())),
                    sealed -> requestView(state, r, gates, accessPolicy()));
        });
    }

    private ModelState.Request openRequest(RequestId id) {
        Objects.requireNonNull(id, "request");
        return withState(id.model(), s -> requireOpen(s, id), () -> {
            throw new NotFoundException("No request " + id + ": no model named " + id.model());
        });
    }

    private static ModelState.Request requireOpen(ModelState state, RequestId id) {
        ModelState.Request r = state.request(id.sequence())
                .orElseThrow(() -> new NotFoundException("No request " + id));
        if (r.status != PromotionRequest.Status.OPEN) {
            throw new IllegalTransitionException("Request " + id + " is " + r.status
                    + (r.closedBecause.isEmpty() ? "" : " (" + r.closedBecause + ")"));
        }
        return r;
    }

    @Override
    public Optional<PromotionRequest> findRequest(RequestId id) {
        Objects.requireNonNull(id, "id");
        GatePolicy gates = gatePolicy();
        AccessPolicy access = accessPolicy();
        return withState(id.model(), s -> s.request(id.sequence()).map(r -> requestView(s, r, gates, access)), Optional::empty);
    }

    @Override
    public List<PromotionRequest> openRequests(String model) {
        GatePolicy gates = gatePolicy();
        AccessPolicy access = accessPolicy();
        ModelName name = ModelName.of(model);
        if (requestIndex != null && !entries.containsKey(name.value())) {
            return requestIndex.openRequests(name).stream().map(r -> new PromotionRequest(r.id(), r.version(), r.from(), r.to(),
                    r.requester(), r.reason(), r.openedAt(), r.approvals(), r.report(),
                    awaitingRoles(name, r.from(), r.to(), r.report(), gates, access), PromotionRequest.Status.OPEN, "")).toList();
        }
        return withState(name, s -> s.openRequests().stream().map(r -> requestView(s, r, gates, access)).toList(), List::of);
    }

    @Override
    public List<PromotionRequest> openRequestsAwaiting(String role) {
        Names.check("role", role);
        List<PromotionRequest> out = new ArrayList<>();
        for (ModelName m : requestIndex != null ? requestIndex.modelsWithOpenRequests() : models()) {
            for (PromotionRequest r : openRequests(m.value())) {
                if (r.awaitingRoles().contains(role)) {
                    out.add(r);
                }
            }
        }
        return out;
    }

    private PromotionRequest requestView(ModelState state, ModelState.Request r, GatePolicy gates, AccessPolicy access) {
        java.util.Set<String> awaiting = r.status == PromotionRequest.Status.OPEN
                ? awaitingRoles(state.model(), r.from, r.to, r.report, gates, access) : java.util.Set.of();
        return new PromotionRequest(new RequestId(state.model(), r.id), r.version, r.from, r.to, r.requester, r.reason,
                r.openedAt, r.approvals, r.report, awaiting, r.status, r.closedBecause);
    }

    /** The roles whose approval one of the pending gates of an open request from {@code from} to {@code to} waits for. */
    private static java.util.Set<String> awaitingRoles(ModelName model, Stage from, Stage to, GateReport report, GatePolicy gates,
                                                       AccessPolicy access) {
        java.util.Set<String> awaiting = new java.util.TreeSet<>();
        for (GateResult pending : report.withOutcome(GateOutcome.PENDING)) {
            if (pending.gate().equals(RELEASE_APPROVAL)) {
                awaiting.addAll(access.rolesAllowing(Action.APPROVE, model, to));
            } else {
                for (GateSpec spec : gates.gatesFor(from, to)) {
                    if (spec.name().equals(pending.gate()) && spec instanceof GateSpec.ManualApproval manual) {
                        awaiting.add(manual.role());
                    }
                }
            }
        }
        return awaiting;
    }

    // ================================================================ evaluations, cards, policies

    @Override
    public void recordEvaluation(Principal by, String model, SemVer version, Evaluation evaluation, String reason) {
        requirePrincipal(by);
        ModelName name = ModelName.of(model);
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(evaluation, "evaluation");
        authorize(by, Action.ANNOTATE, name, null);
        write(by, name, reason, (state, now) -> {
            requireExists(state);
            state.require(version);
            return new Plan<>(List.of(new EvaluationRecorded(version, evaluation)), sealed -> null);
        });
    }

    @Override
    public List<Evaluation> evaluations(String model, SemVer version) {
        Objects.requireNonNull(version, "version");
        return withExistingState(model, s -> {
            s.require(version);
            return s.evaluations().stream().filter(e -> e.version().equals(version)).map(ModelState.RecordedEvaluation::evaluation).toList();
        });
    }

    @Override
    public Optional<Evaluation> findEvaluation(String model, SemVer version, DatasetRef evaluationSet) {
        Objects.requireNonNull(evaluationSet, "evaluationSet");
        return findInState(model, s -> Optional.ofNullable(s.latestEvaluations(version).get(evaluationSet.id())));
    }

    @Override
    public void attachModelCard(Principal by, String model, SemVer version, ModelCard card, String reason) {
        requirePrincipal(by);
        ModelName name = ModelName.of(model);
        Objects.requireNonNull(card, "card");
        authorize(by, Action.ANNOTATE, name, null);
        write(by, name, reason, (state, now) -> {
            requireExists(state);
            state.require(version);
            return new Plan<>(List.of(new ModelCardAttached(version, card)), sealed -> null);
        });
    }

    @Override
    public Optional<ModelCard> findModelCard(String model, SemVer version) {
        Objects.requireNonNull(version, "version");
        return findInState(model, s -> s.card(version));
    }

    @Override
    public void setCanonicalEvaluationSet(Principal by, String model, DatasetRef evaluationSet, String reason) {
        requirePrincipal(by);
        ModelName name = ModelName.of(model);
        Objects.requireNonNull(evaluationSet, "evaluationSet");
        authorize(by, Action.CHANGE_POLICY, name, null);
        write(by, name, reason, (state, now) -> {
            requireExists(state);
            if (state.canonicalEvaluationSet().map(evaluationSet::equals).orElse(false)) {
                throw new AlreadyExistsException("The canonical evaluation set of " + name + " already is " + evaluationSet);
            }
            return new Plan<>(List.of(new CanonicalEvaluationSetChanged(evaluationSet)), sealed -> null);
        });
    }

    @Override
    public Optional<DatasetRef> findCanonicalEvaluationSet(String model) {
        return findInState(model, ModelState::canonicalEvaluationSet);
    }

    @Override
    public void setGatePolicy(Principal by, GatePolicy policy, String reason) {
        requirePrincipal(by);
        Objects.requireNonNull(policy, "policy");
        for (String custom : policy.customGateNames()) {
            if (!customGates.containsKey(custom)) {
                throw new ValidationException("Gate policy refers to custom gate \"" + custom
                        + "\", which is not registered on this registry; registered: " + new java.util.TreeSet<>(customGates.keySet()));
            }
        }
        // Gates on a move the lifecycle cannot make would never run: a mistyped stage must not leave a transition ungated.
        for (GatePolicy.Transition t : policy.transitions().keySet()) {
            for (Stage stage : List.of(t.from(), t.to())) {
                try {
                    lifecycle.require(stage);
                } catch (IllegalTransitionException e) {
                    throw new IllegalTransitionException("Gate policy has gates for " + t.from() + "->" + t.to() + ": " + e.getMessage());
                }
            }
        }
        authorize(by, Action.CHANGE_POLICY, null, null);
        write(by, ModelName.SYSTEM, reason, (state, now) -> new Plan<>(List.of(new GatePolicyChanged(policy.toJson())), sealed -> null));
    }

    @Override
    public GatePolicy gatePolicy() {
        String json = withState(ModelName.SYSTEM, s -> s.gatePolicyJson().orElse(null), () -> null);
        if (json == null) {
            return bootstrapGatePolicy;
        }
        ParsedPolicy cached = parsedPolicy;
        if (cached == null || !cached.json.equals(json)) {
            cached = new ParsedPolicy(json, GatePolicy.fromJson(json));
            parsedPolicy = cached;
        }
        return cached.policy;
    }

    /** The last gate policy document read from the system log, parsed once. */
    private record ParsedPolicy(String json, GatePolicy policy) {
    }

    @Override
    public void setAccessPolicy(Principal by, AccessPolicy policy, String reason) {
        requirePrincipal(by);
        Objects.requireNonNull(policy, "policy");
        authorize(by, Action.MANAGE_ACCESS, null, null);
        write(by, ModelName.SYSTEM, reason, (state, now) -> new Plan<>(List.of(new AccessPolicyChanged(policy)), sealed -> null));
    }

    @Override
    public AccessPolicy accessPolicy() {
        return withState(ModelName.SYSTEM, s -> s.accessPolicy().orElse(bootstrapAccessPolicy), () -> bootstrapAccessPolicy);
    }

    /** Refuses (recording the refusal) unless the access policy lets {@code by} do {@code action}. */
    private void authorize(Principal by, Action action, ModelName model, Stage stage) {
        if (!accessPolicy().allows(by, action, model, stage)) {
            throw deny(by, action, model, stage);
        }
    }

    /**
     * Records a denied attempt (in the model's log when the model exists, else in the system log)
     * and returns the exception to throw.
     */
    private AccessDeniedException deny(Principal by, Action action, ModelName model, Stage stage) {
        String target = (model == null ? "the registry" : model.value()) + (stage == null ? "" : " into " + stage);
        ModelName log = model != null && events.lastSequence(model) > 0 ? model : ModelName.SYSTEM;
        write(by, log, "access denied", (state, now) -> new Plan<>(List.of(new AccessDenied(action, target, by.roles())), sealed -> null));
        return new AccessDeniedException(by.name() + " (roles " + by.roles() + ") may not " + action + " " + target);
    }

    // ================================================================ signing

    @Override
    public VersionManifest manifest(String model, SemVer version) {
        return VersionManifest.of(getVersion(model, version));
    }

    @Override
    public VersionSignature sign(Principal by, String model, SemVer version, SigningKey key) {
        requirePrincipal(by);
        ModelName name = ModelName.of(model);
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(key, "key");
        authorize(by, Action.SIGN, name, null);
        return write(by, name, "signed with key " + key.keyId(), (state, now) -> {
            requireExists(state);
            VersionManifest manifest = VersionManifest.of(state.require(version));
            for (VersionSignature existing : state.signatures(version)) {
                if (existing.keyId().equals(key.keyId()) && existing.manifestDigest().equals(manifest.digest())) {
                    throw new AlreadyExistsException("Key " + Names.quote(key.keyId()) + " already signed " + name + "@" + version
                            + " (log entry " + existing.sequence() + ")");
                }
            }
            String signature = java.util.Base64.getEncoder().encodeToString(key.sign(manifest));
            return new Plan<>(List.of(new VersionSigned(version, key.keyId(), manifest.digest(), signature)), sealed -> {
                LogEntry e = sealed.get(0);
                return new VersionSignature(key.keyId(), manifest.digest(), signature, e.principal(), e.time(), e.sequence());
            });
        });
    }

    @Override
    public List<VersionSignature> signatures(String model, SemVer version) {
        Objects.requireNonNull(version, "version");
        return withExistingState(model, s -> {
            s.require(version);
            return s.signatures(version);
        });
    }

    @Override
    public void setTrustPolicy(Principal by, TrustPolicy policy, String reason) {
        requirePrincipal(by);
        Objects.requireNonNull(policy, "policy");
        for (TrustPolicy.Requirement r : policy.requirements()) {
            lifecycle.require(r.stage());
        }
        authorize(by, Action.MANAGE_ACCESS, null, null);
        write(by, ModelName.SYSTEM, reason, (state, now) -> new Plan<>(List.of(new TrustPolicyChanged(policy)), sealed -> null));
    }

    @Override
    public TrustPolicy trustPolicy() {
        return withState(ModelName.SYSTEM, s -> s.trustPolicy().orElse(TrustPolicy.none()), TrustPolicy::none);
    }

    // ================================================================ rollback

    @Override
    public StageChange rollback(Principal by, String model, Stage stage, String reason) {
        return rollback(by, model, stage, Optional.empty(), reason);
    }

    @Override
    public StageChange rollback(Principal by, String model, Stage stage, SemVer target, String reason) {
        return rollback(by, model, stage, Optional.of(Objects.requireNonNull(target, "target")), reason);
    }

    private StageChange rollback(Principal by, String model, Stage stage, Optional<SemVer> target, String reason) {
        requirePrincipal(by);
        ModelName name = ModelName.of(model);
        lifecycle.require(stage);
        if (!lifecycle.isExclusive(stage)) {
            throw new IllegalTransitionException("Rollback needs an exclusive stage; " + stage + " is not exclusive");
        }
        authorize(by, Action.ROLLBACK, name, stage);
        return write(by, name, reason, (state, now) -> planRollback(state, stage, target));
    }

    private Plan<StageChange> planRollback(ModelState state, Stage stage, Optional<SemVer> requested) {
        requireExists(state);
        Optional<SemVer> current = state.current(stage).map(ModelVersion::version);
        List<Tenure> tenures = tenures(state.history(), stage);
        SemVer target;
        if (requested.isPresent()) {
            target = requested.get();
            state.require(target);
            boolean heldBefore = tenures.stream().anyMatch(t -> t.version.equals(requested.get()) && t.exit != null);
            if (current.isPresent() && current.get().equals(target)) {
                throw new IllegalTransitionException(state.model() + "@" + target + " already holds " + stage);
            }
            if (!heldBefore) {
                throw new IllegalTransitionException(state.model() + "@" + target + " never held " + stage + "; rollback only reinstates earlier holders");
            }
        } else {
            target = null;
            // Only a version's latest stay counts: one that last left the stage by a rollback is
            // known bad and is skipped, whatever happened in its earlier stays.
            Set<SemVer> considered = new HashSet<>();
            for (int i = tenures.size() - 1; i >= 0 && target == null; i--) {
                Tenure t = tenures.get(i);
                if (!considered.add(t.version)) {
                    continue;
                }
                boolean eligible = t.exit != null && t.exit != StageChange.Kind.ROLLED_BACK
                        && !(current.isPresent() && current.get().equals(t.version));
                if (eligible) {
                    target = t.version;
                }
            }
            if (target == null) {
                throw new IllegalTransitionException("Cannot roll back " + stage + " of " + state.model()
                        + ": it has no earlier holder" + current.map(c -> " before " + c).orElse(""));
            }
        }
        List<RegistryEvent> planned = new ArrayList<>(2);
        current.ifPresent(c -> planned.add(new StageChanged(c, stage, lifecycle.archiveStage(), StageChange.Kind.ROLLED_BACK)));
        planned.add(new StageChanged(target, state.stageOf(target), stage, StageChange.Kind.ROLLBACK));
        SemVer reinstated = target;
        return new Plan<>(withStaleRequestsClosed(state, planned, null), sealed -> stageChangeOf(sealed, reinstated));
    }

    /** One stay of a version in a stage, and how it ended (null while it lasts). */
    private static final class Tenure {
        final SemVer version;
        StageChange.Kind exit;

        Tenure(SemVer version) {
            this.version = version;
        }
    }

    private static List<Tenure> tenures(List<StageChange> history, Stage stage) {
        List<Tenure> out = new ArrayList<>();
        Map<SemVer, Tenure> open = new LinkedHashMap<>();
        for (StageChange c : history) {
            if (c.from().equals(stage)) {
                Tenure t = open.remove(c.version());
                if (t != null) {
                    t.exit = c.kind();
                }
            }
            if (c.to().equals(stage)) {
                Tenure t = new Tenure(c.version());
                open.put(c.version(), t);
                out.add(t);
            }
        }
        return out;
    }

    /** The stage change of {@code version} among the entries just appended. */
    private static StageChange stageChangeOf(List<LogEntry> sealed, SemVer version) {
        for (int i = sealed.size() - 1; i >= 0; i--) {
            LogEntry e = sealed.get(i);
            if (e.event() instanceof StageChanged c && c.version().equals(version)) {
                return new StageChange(e.model(), e.sequence(), e.time(), e.principal(), e.reason(), c.version(), c.from(), c.to(), c.kind());
            }
        }
        throw new IllegalStateException("No stage change of " + version + " among the appended entries");
    }

    /**
     * Locks the model, catches up with the store, plans against the current state and appends with a
     * compare-and-swap; on a lost race it starts over. Validation failures in the planner propagate
     * before anything is written.
     */
    private <R> R write(Principal by, ModelName name, String reason, Planner<R> planner) {
        String why = Names.checkText("reason", reason, Limits.MAX_REASON_CHARS);
        ModelEntry entry = entries.computeIfAbsent(name.value(), k -> new ModelEntry(name));
        try {
            for (int attempt = 1; attempt <= maxWriteAttempts; attempt++) {
                synchronized (entry) {
                    catchUp(entry);
                    ModelState state = entry.state;
                    Instant now = clock.instant();
                    Plan<R> plan = planner.plan(state, now);
                    List<LogEntry> sealed = seal(state, now, by, why, plan.events());
                    try {
                        events.append(name, state.lastSequence(), sealed);
                    } catch (ConcurrentUpdateException lostRace) {
                        continue;
                    }
                    for (LogEntry e : sealed) {
                        state.apply(e);
                    }
                    return plan.result().apply(sealed);
                }
            }
        } finally {
            if (!entry.state.exists()) {
                entries.remove(name.value(), entry);
            }
        }
        throw new ConcurrentUpdateException("Gave up writing to " + name + " after " + maxWriteAttempts
                + " attempts: other writers kept appending first");
    }

    private static List<LogEntry> seal(ModelState state, Instant now, Principal by, String reason, List<RegistryEvent> planned) {
        List<LogEntry> sealed = new ArrayList<>(planned.size());
        long seq = state.lastSequence();
        Sha256 prev = state.lastHash();
        for (RegistryEvent event : planned) {
            LogEntry e = LogEntry.seal(state.model(), ++seq, now, by.name(), reason, prev, event);
            sealed.add(e);
            prev = e.hash();
        }
        return sealed;
    }

    // ================================================================ reading

    /** Brings the entry's state up to the end of the store's log. Caller holds the entry's lock. */
    private void catchUp(ModelEntry entry) {
        for (LogEntry e : events.read(entry.state.model(), entry.state.lastSequence() + 1)) {
            entry.state.apply(e);
        }
    }

    /** The up-to-date entry of a model that has a log, or null. */
    private ModelEntry load(ModelName name) {
        long token = events.changeToken();
        ModelEntry entry = entries.get(name.value());
        if (entry == null) {
            if (events.lastSequence(name) == 0) {
                return null;
            }
            entry = entries.computeIfAbsent(name.value(), k -> new ModelEntry(name));
        }
        if (entry.view.token != token) {
            synchronized (entry) {
                catchUp(entry);
                entry.view = new ServingView(token, servedStages, entry.state.currentOf(servedStages));
            }
            if (serving.get(entry.key) != entry) {
                serving.put(entry);
            }
        }
        return entry.state.exists() ? entry : null;
    }

    /** Runs {@code read} on the model's consistent state, or {@code missing} when the model has no log. */
    private <T> T withState(ModelName name, Function<ModelState, T> read, java.util.function.Supplier<T> missing) {
        ModelEntry entry = load(name);
        if (entry == null) {
            return missing.get();
        }
        synchronized (entry) {
            return read.apply(entry.state);
        }
    }

    private <T> T withExistingState(String model, Function<ModelState, T> read) {
        ModelName name = ModelName.of(model);
        return withState(name, read, () -> {
            throw new NotFoundException("No model named " + name);
        });
    }

    private <T> Optional<T> findInState(String model, Function<ModelState, Optional<T>> read) {
        return withState(ModelName.of(model), read, Optional::empty);
    }

    /**
     * Answers a read from the store's own indexes when it has them and this registry has not loaded
     * the model yet (so a freshly opened registry does not fold a long history to answer one
     * question), and from the folded state otherwise.
     */
    private <T> Optional<T> query(String model, Function<SupportsVersionQueries, Optional<T>> fromIndex,
                                  Function<ModelState, Optional<T>> fromState) {
        ModelName name = ModelName.of(model);
        if (indexed != null && !entries.containsKey(name.value())) {
            return fromIndex.apply(indexed);
        }
        return withState(name, fromState, Optional::empty);
    }

    private static void requireExists(ModelState state) {
        if (!state.exists()) {
            throw new NotFoundException("No model named " + state.model());
        }
    }

    @Override
    public List<ModelName> models() {
        return events.models().stream().filter(m -> !m.isSystem()).toList();
    }

    @Override
    public Optional<ModelSummary> findModel(String model) {
        return findInState(model, s -> {
            Map<Stage, SemVer> current = new LinkedHashMap<>();
            for (Stage stage : s.occupiedStages()) {
                s.current(stage).ifPresent(v -> current.put(stage, v.version()));
            }
            return Optional.of(new ModelSummary(s.model(), s.createdAt(), s.versionCount(),
                    s.highest().map(ModelVersion::version).orElse(null),
                    s.latestRegistered().map(ModelVersion::version).orElse(null), current, s.lastSequence()));
        });
    }

    @Override
    public Optional<ModelVersion> findVersion(String model, SemVer version) {
        Objects.requireNonNull(version, "version");
        return query(model, q -> q.findVersion(ModelName.of(model), version), s -> s.find(version));
    }

    @Override
    public ModelVersion getVersion(String model, SemVer version) {
        Objects.requireNonNull(version, "version");
        return withExistingState(model, s -> s.require(version));
    }

    @Override
    public Optional<ModelVersion> findByTag(String model, String tag) {
        Names.check("tag", tag);
        return query(model, q -> q.findByTag(ModelName.of(model), tag), s -> s.versionOfTag(tag).flatMap(s::find));
    }

    @Override
    public Optional<ModelVersion> findHighest(String model, VersionRange range) {
        Objects.requireNonNull(range, "range");
        return query(model, q -> q.findHighest(ModelName.of(model), range), s -> s.highestIn(range));
    }

    @Override
    public Optional<ModelVersion> findLatest(String model) {
        return query(model, q -> q.findLatest(ModelName.of(model)), ModelState::latestRegistered);
    }

    @Override
    public Optional<ModelVersion> findCurrent(String model, Stage stage) {
        // The serving path: one probe of the serving index, one volatile read, the store's token, a
        // short scan. Anything else (a change since, an unknown or null stage, an unloaded model, a
        // null name) takes the slow path, which validates.
        ModelEntry entry = serving.get(model);
        if (entry != null) {
            ServingView view = entry.view;
            if (view.token == events.changeToken()) {
                Optional<ModelVersion> current = view.find(stage);
                if (current != null) {
                    return current;
                }
            }
        }
        return findCurrentAfterChange(model, stage);
    }

    /**
     * Everything but the steady state: a change since the last look, an unloaded model, a bad
     * argument. Deliberately not folded into {@link #findCurrent}: kept apart (and too large for the
     * JIT to inline while cold), it leaves the serving path small enough to inline into its callers.
     */
    private Optional<ModelVersion> findCurrentAfterChange(String model, Stage stage) {
        lifecycle.require(stage);
        ModelName name = ModelName.of(model);
        if (indexed != null && !entries.containsKey(name.value())) {
            return indexed.findCurrent(name, stage);
        }
        ModelEntry entry = load(name);
        if (entry == null) {
            return Optional.empty();
        }
        synchronized (entry) {
            return entry.state.current(stage);
        }
    }

    @Override
    public ModelVersion getCurrent(String model, Stage stage) {
        return findCurrent(model, stage).orElseThrow(() -> new NotFoundException(
                findModel(model).isPresent() ? "No version of " + model + " is in " + stage : "No model named " + model));
    }

    @Override
    public ModelVersion resolve(String reference) {
        if (reference == null || reference.indexOf('@') < 0) {
            throw new ValidationException("Invalid reference " + Names.quote(reference) + ": expected model@selector, "
                    + "e.g. fraud-detector@production, fraud-detector@1.2.0, fraud-detector@^1.2, fraud-detector@latest");
        }
        int at = reference.indexOf('@');
        String model = reference.substring(0, at);
        String selector = reference.substring(at + 1);
        try {
            ModelName.of(model);
        } catch (InvalidNameException e) {
            // Name the whole reference: "@production" has an empty model name because nothing came before '@'.
            throw new InvalidNameException("Invalid reference " + Names.quote(reference) + ": " + e.getMessage());
        }
        if (selector.isBlank()) {
            // npm reads an empty range as "*": "model@" would silently mean "the highest version".
            throw new ValidationException("Invalid reference " + Names.quote(reference) + ": the selector after '@' is empty");
        }
        Optional<ModelVersion> found;
        if (selector.equalsIgnoreCase("latest")) {
            found = findLatest(model);
        } else if (Names.isValid(selector) && (lifecycle.stages().contains(Stage.of(selector)))) {
            found = findCurrent(model, Stage.of(selector));
        } else if (Names.isValid(selector) && findByTag(model, selector).isPresent()) {
            found = findByTag(model, selector);
        } else if (parses(() -> SemVer.parse(selector))) {
            found = findVersion(model, SemVer.parse(selector));
        } else if (parses(() -> VersionRange.parse(selector))) {
            found = findHighest(model, VersionRange.parse(selector));
        } else {
            throw new ValidationException("Invalid reference " + Names.quote(reference) + ": " + Names.quote(selector)
                    + " is not latest, a stage, a tag, a version or a version range");
        }
        return found.orElseThrow(() -> new NotFoundException("Nothing matches " + Names.quote(reference)));
    }

    @Override
    public Stage stageOf(String model, SemVer version) {
        Objects.requireNonNull(version, "version");
        return withExistingState(model, s -> s.stageOf(version));
    }

    @Override
    public List<ModelVersion> versionsIn(String model, Stage stage) {
        lifecycle.require(stage);
        return withState(ModelName.of(model), s -> s.inStage(stage), List::of);
    }

    @Override
    public Page<ModelVersion> search(String model, VersionQuery query) {
        Objects.requireNonNull(query, "query");
        query.stage().ifPresent(lifecycle::require);
        ModelName name = ModelName.of(model);
        if (indexed != null && !entries.containsKey(name.value())) {
            return indexed.search(name, query);
        }
        return withState(name, s -> query.apply(s.versionsAscending(), s::stageOf), () -> new Page<>(List.of(), null));
    }

    @Override
    public List<StageChange> stageHistory(String model) {
        return withState(ModelName.of(model), s -> List.copyOf(s.history()), List::of);
    }

    @Override
    public Optional<ModelVersion> findCurrentAt(String model, Stage stage, Instant at) {
        lifecycle.require(stage);
        Objects.requireNonNull(at, "at");
        return findInState(model, s -> {
            LinkedHashSet<SemVer> in = new LinkedHashSet<>();
            for (StageChange c : s.history()) {
                if (c.time().isAfter(at)) {
                    break;
                }
                if (c.from().equals(stage)) {
                    in.remove(c.version());
                }
                if (c.to().equals(stage)) {
                    in.add(c.version());
                }
            }
            SemVer last = null;
            for (SemVer v : in) {
                last = v;
            }
            return last == null ? Optional.empty() : s.find(last);
        });
    }

    // ================================================================ lineage and comparison

    /** The lineage graph and the change token it was built at. */
    private record BuiltLineage(long token, LineageGraph graph) {
    }

    private volatile BuiltLineage lineage;

    @Override
    public LineageGraph lineage() {
        long token = events.changeToken();
        BuiltLineage built = lineage;
        if (built != null && built.token == token) {
            return built.graph;
        }
        List<ModelVersion> versions = new ArrayList<>();
        Map<ModelVersion, Stage> stages = new java.util.IdentityHashMap<>();
        for (ModelName m : models()) {
            withState(m, s -> {
                for (ModelVersion v : s.versionsAscending()) {
                    versions.add(v);
                    stages.put(v, s.stageOf(v.version()));
                }
                return null;
            }, () -> null);
        }
        LineageGraph graph = LineageGraph.build(versions, stages::get);
        lineage = new BuiltLineage(token, graph);
        return graph;
    }

    @Override
    public List<LineageResult> upstream(String model, SemVer version, LineageQuery query) {
        Objects.requireNonNull(query, "query");
        Objects.requireNonNull(version, "version");
        if (lineageIndex != null && !lineageIsCurrent()) {
            Optional<List<LineageResult>> answer = lineageIndex.upstream(ModelName.of(model), version, query);
            if (answer.isPresent()) {
                return answer.get();
            }
        }
        getVersion(model, version);
        return lineage().upstream(NodeId.version(model, version), query);
    }

    @Override
    public List<LineageResult> downstream(NodeId node, LineageQuery query) {
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(query, "query");
        if (lineageIndex != null && !lineageIsCurrent()) {
            Optional<List<LineageResult>> answer = lineageIndex.downstream(node, query);
            if (answer.isPresent()) {
                return answer.get();
            }
        }
        return lineage().downstream(node, query);
    }

    /** Whether the lineage graph built last is still the current one (then it answers faster than any index). */
    private boolean lineageIsCurrent() {
        BuiltLineage built = lineage;
        return built != null && built.token == events.changeToken();
    }

    @Override
    public String openLineageEvent(String model, SemVer version, String namespace) {
        ModelVersion v = getVersion(model, version);
        // A name-based run id: sending the event again describes the same run.
        java.util.UUID runId = java.util.UUID.nameUUIDFromBytes((v.model() + "@" + v.version()).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return OpenLineageEvents.registrationEvent(v, namespace, v.createdAt(), runId);
    }

    @Override
    public Map<String, Evaluation> latestEvaluations(String model, SemVer version) {
        Objects.requireNonNull(version, "version");
        return withExistingState(model, s -> {
            s.require(version);
            return Map.copyOf(s.latestEvaluations(version));
        });
    }

    @Override
    public ComparisonReport compare(String model, SemVer baseline, SemVer candidate, DatasetRef evaluationSet, double sliceTolerance) {
        Objects.requireNonNull(evaluationSet, "evaluationSet");
        if (!Double.isFinite(sliceTolerance) || sliceTolerance < 0) {
            throw new ValidationException("Slice tolerance must be a finite number >= 0, was " + sliceTolerance);
        }
        return ComparisonReport.compare(getVersion(model, baseline), latestEvaluations(model, baseline),
                getVersion(model, candidate), latestEvaluations(model, candidate), evaluationSet, metricCatalog, sliceTolerance);
    }

    @Override
    public ComparisonReport compare(String model, SemVer baseline, SemVer candidate) {
        DatasetRef canonical = findCanonicalEvaluationSet(model).orElseThrow(() -> new ValidationException(
                "Model " + model + " has no canonical evaluation set; name one, or lock one with setCanonicalEvaluationSet"));
        return compare(model, baseline, candidate, canonical, 0.0);
    }

    @Override
    public VersionDiff diff(String model, SemVer a, SemVer b) {
        return VersionDiff.of(getVersion(model, a), getVersion(model, b));
    }

    @Override
    public MetricCatalog metricCatalog() {
        return metricCatalog;
    }

    // ================================================================ artifacts

    @Override
    public InputStream openArtifact(String model, SemVer version, String artifactName) {
        ArtifactRef ref = getVersion(model, version).artifact(artifactName);
        return new NamingIntegrityFailures(artifacts.open(ref.sha256()), "Artifact " + Names.quote(ref.name()) + " of " + model + "@" + version);
    }

    /**
     * Puts the model, version and artifact name in front of an integrity failure the store's stream
     * reports (which knows only the digest), so whoever reads the artifact — a download, a serving
     * handle — learns what was altered.
     */
    private static final class NamingIntegrityFailures extends java.io.FilterInputStream {
        private final String what;

        NamingIntegrityFailures(InputStream in, String what) {
            super(in);
            this.what = what;
        }

        @Override
        public int read() throws IOException {
            try {
                return in.read();
            } catch (IntegrityException e) {
                throw new IntegrityException(what + ": " + e.getMessage());
            }
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            try {
                return in.read(b, off, len);
            } catch (IntegrityException e) {
                throw new IntegrityException(what + ": " + e.getMessage());
            }
        }

        @Override
        public long skip(long n) throws IOException {
            try {
                return in.skip(n);
            } catch (IntegrityException e) {
                throw new IntegrityException(what + ": " + e.getMessage());
            }
        }
    }

    @Override
    public Path downloadArtifact(String model, SemVer version, String artifactName, Path target) {
        Objects.requireNonNull(target, "target");
        Path dir = target.toAbsolutePath().getParent();
        Path temp = null;
        try (InputStream in = openArtifact(model, version, artifactName)) {
            Files.createDirectories(dir);
            temp = Files.createTempFile(dir, "." + target.getFileName(), ".partial");
            try (OutputStream out = Files.newOutputStream(temp)) {
                in.transferTo(out);
            }
            DurableFiles.moveAtomically(temp, target);
            temp = null;
            return target;
        } catch (IOException e) {
            throw new StorageException("Cannot download " + artifactName + " of " + model + "@" + version + " to " + target + ": " + e.getMessage(), e);
        } finally {
            if (temp != null) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException ignored) {
                    // The partial file has a dot-name and a .partial suffix; nothing reads it.
                }
            }
        }
    }

    // ================================================================ audit

    @Override
    public List<LogEntry> log(String model) {
        ModelName name = ModelName.of(model);
        List<LogEntry> log = events.read(name, 1);
        if (log.isEmpty()) {
            throw new NotFoundException("No model named " + name);
        }
        return log;
    }

    @Override
    public List<LogEntry> log(String model, long fromSequence) {
        if (fromSequence < 1) {
            throw new ValidationException("Log sequence numbers start at 1, got " + fromSequence);
        }
        return events.read(ModelName.of(model), fromSequence);
    }

    @Override
    public long changeToken() {
        return events.changeToken();
    }

    @Override
    public AutoCloseable onChange(Runnable listener) {
        Objects.requireNonNull(listener, "listener");
        if (events instanceof SupportsChangeNotification notifying) {
            return notifying.onChange(listener);
        }
        return () -> { };
    }

    @Override
    public VerificationReport verify() {
        List<VerificationReport.LogResult> results = new ArrayList<>();
        for (ModelName name : events.models()) {
            results.add(verifyLog(name));
        }
        return new VerificationReport(results);
    }

    @Override
    public VerificationReport verify(String model) {
        ModelName name = ModelName.of(model);
        if (events.lastSequence(name) == 0
                && (!(events instanceof SupportsStorageAudit audit) || audit.storedEntries(name).isEmpty())) {
            throw new NotFoundException("No model named " + name);
        }
        return new VerificationReport(List.of(verifyLog(name)));
    }

    /** The log as stored when the backend can show it (every copy, and its own record of the end), else as read. */
    private VerificationReport.LogResult verifyLog(ModelName name) {
        try {
            if (events instanceof SupportsStorageAudit audit) {
                // The recorded end first: a log only grows, so the entries read after it reach at least
                // that far even while others append, and a write between the two reads is never taken
                // for a truncation.
                Optional<SupportsStorageAudit.RecordedHead> head = audit.recordedHead(name);
                return LogAudit.ofStorage(name, audit.storedEntries(name), head);
            }
            return LogAudit.ofEntries(name, events.read(name, 1));
        } catch (IntegrityException e) {
            return LogAudit.unreadable(name, e);
        }
    }

    @Override
    public VerificationReport verifyWithArtifacts() {
        VerificationReport logs = verify();
        List<VerificationReport.ArtifactProblem> problems = new ArrayList<>();
        // Content is addressed by digest: read each stored object once, whatever number of versions refers to it.
        Map<Sha256, String> checked = new java.util.HashMap<>();
        for (VerificationReport.LogResult log : logs.logs()) {
            if (log.model().isSystem() || !log.intact()) {
                continue;
            }
            List<ModelVersion> versions = withState(log.model(), ModelState::versionsAscending, List::of);
            for (ModelVersion v : versions) {
                for (ArtifactRef ref : v.artifacts()) {
                    String problem = checked.computeIfAbsent(ref.sha256(), d -> checkArtifact(ref));
                    if (!problem.isEmpty()) {
                        problems.add(new VerificationReport.ArtifactProblem(v.model(), v.version(), ref.name(), ref.sha256(), problem));
                    }
                }
            }
        }
        return new VerificationReport(logs.logs(), problems);
    }

    /** Reads one artifact through, checking digest and size; the problem found, or "". */
    private String checkArtifact(ArtifactRef ref) {
        long size = 0;
        byte[] buf = new byte[64 * 1024];
        try (InputStream in = artifacts.open(ref.sha256())) {
            int n;
            while ((n = in.read(buf)) >= 0) {
                size += n;
            }
        } catch (IntegrityException e) {
            return "the stored bytes were altered: " + e.getMessage();
        } catch (NotFoundException e) {
            return "the stored bytes are missing: " + e.getMessage();
        } catch (IOException | StorageException e) {
            return "the stored bytes cannot be read: " + e.getMessage();
        }
        return size == ref.size() ? "" : "the stored bytes are " + size + " bytes long, the version records " + ref.size();
    }

    @Override
    public List<LogEntry> audit(AuditQuery query) {
        Objects.requireNonNull(query, "query");
        List<ModelName> logs = query.model().map(List::of).orElseGet(events::models);
        List<LogEntry> out = new ArrayList<>();
        for (ModelName log : logs) {
            for (LogEntry e : events.read(log, 1)) {
                if (query.matches(e)) {
                    out.add(e);
                }
            }
        }
        out.sort(java.util.Comparator.comparing(LogEntry::time).thenComparing(LogEntry::model).thenComparingLong(LogEntry::sequence));
        return out;
    }

    @Override
    public long exportAudit(AuditQuery query, Appendable out) {
        long n = 0;
        try {
            for (LogEntry e : audit(query)) {
                out.append(EventCodec.toJson(e)).append('\n');
                n++;
            }
        } catch (IOException e) {
            throw new StorageException("Cannot write the audit export: " + e.getMessage(), e);
        }
        return n;
    }

    @Override
    public Lifecycle lifecycle() {
        return lifecycle;
    }

    @Override
    public void close() {
        try {
            if (ownedGateExecutor != null) {
                ownedGateExecutor.shutdownNow();
            }
            events.close();
        } finally {
            artifacts.close();
        }
    }

    private static void requirePrincipal(Principal by) {
        if (by == null) {
            throw new ValidationException("Every change needs a principal; got null");
        }
    }

    @Override
    public String toString() {
        return "ModelRegistry[" + events.getClass().getSimpleName() + ", " + artifacts.getClass().getSimpleName()
                + ", " + lifecycle.stages().stream().map(s -> s.name().toLowerCase(Locale.ROOT)).toList() + "]";
    }
}
