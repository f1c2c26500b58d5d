package dev.modelregistry.internal;

import dev.modelregistry.AccessPolicy;
import dev.modelregistry.AuditQuery;
import dev.modelregistry.ComparisonReport;
import dev.modelregistry.DatasetRef;
import dev.modelregistry.Evaluation;
import dev.modelregistry.GatePolicy;
import dev.modelregistry.LineageGraph;
import dev.modelregistry.LineageQuery;
import dev.modelregistry.LineageResult;
import dev.modelregistry.Lifecycle;
import dev.modelregistry.LogEntry;
import dev.modelregistry.MetricCatalog;
import dev.modelregistry.ModelCard;
import dev.modelregistry.ModelName;
import dev.modelregistry.ModelRegistry;
import dev.modelregistry.ModelSummary;
import dev.modelregistry.ModelVersion;
import dev.modelregistry.NodeId;
import dev.modelregistry.Page;
import dev.modelregistry.Principal;
import dev.modelregistry.PromotionRequest;
import dev.modelregistry.PromotionResult;
import dev.modelregistry.Registration;
import dev.modelregistry.RequestId;
import dev.modelregistry.SemVer;
import dev.modelregistry.SigningKey;
import dev.modelregistry.Stage;
import dev.modelregistry.StageChange;
import dev.modelregistry.TrustPolicy;
import dev.modelregistry.ValidationException;
import dev.modelregistry.VerificationReport;
import dev.modelregistry.VersionQuery;
import dev.modelregistry.VersionRange;
import dev.modelregistry.VersionSignature;
import dev.modelregistry.internal.artifacts.Artifacts;
import dev.modelregistry.internal.engine.ModelLog;
import dev.modelregistry.internal.engine.Guard;
import dev.modelregistry.internal.engine.ModelLogs;
import dev.modelregistry.internal.engine.Policies;
import dev.modelregistry.internal.gate.GateEngine;
import dev.modelregistry.internal.lineage.Lineage;
import dev.modelregistry.internal.read.Reads;
import dev.modelregistry.internal.verify.Verifier;
import dev.modelregistry.memory.InMemoryArtifactStore;
import dev.modelregistry.memory.InMemoryEventStore;
import dev.modelregistry.ArtifactStore;
import dev.modelregistry.EventStore;
import dev.modelregistry.RegistrySettings;
import dev.modelregistry.spi.SupportsChangeNotification;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The registry, as a facade: it wires the engine's pieces together and hands each call to one of
 * them. Writes go through {@link Writes} (arguments, access, the policies in force) to the commit
 * loop ({@link ModelLog}) as commands of pure planners; reads go to {@link Reads}; lineage,
 * artifacts and audit to their own pieces. Every rule lives in those pieces, once, for every
 * backend; stores only append and read.
 */
final class DefaultModelRegistry implements ModelRegistry {
    private final EventStore events;
    private final ArtifactStore artifactStore;
    private final Lifecycle lifecycle;
    private final MetricCatalog metricCatalog;
    private final ExecutorService ownedGateExecutor;
    private final ModelLogs logs;
    private final Policies policies;
    private final Writes writes;
    private final Reads reads;
    private final Lineage lineage;
    private final Artifacts artifacts;
    private final Verifier verifier;

    DefaultModelRegistry(RegistrySettings settings) {
        this.events = settings.eventStore().orElseGet(InMemoryEventStore::new);
        this.artifactStore = settings.artifactStore().orElseGet(InMemoryArtifactStore::new);
        this.lifecycle = settings.lifecycle();
        this.metricCatalog = settings.metricCatalog();
        this.ownedGateExecutor = settings.gateExecutor().isPresent() ? null : Executors.newCachedThreadPool(daemonThreads("registry-gate"));
        GateEngine gates = new GateEngine(settings.customGates(), settings.gateTimeout(), settings.gateExecutor().orElse(ownedGateExecutor));
        this.logs = new ModelLogs(new ModelLog.Context(events, settings.clock(), gates, settings.maxWriteAttempts()), lifecycle);
        this.policies = new Policies(logs, settings.gatePolicy(), settings.accessPolicy(), lifecycle);
        this.reads = new Reads(events, logs, policies, lifecycle);
        this.lineage = new Lineage(events, logs, reads);
        this.artifacts = new Artifacts(artifactStore);
        this.verifier = new Verifier(events, reads, artifacts);
        this.writes = new Writes(lifecycle, settings.requireExactDataLineage(), settings.customGates(), logs, policies, gates,
                new Guard(logs, events), reads, artifacts);
    }

    private static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    @Override
    public ModelVersion register(Principal by, Registration registration) {
        return writes.register(by, registration);
    }

    @Override
    public PromotionResult promote(Principal by, String model, SemVer version, Stage to, String reason) {
        return writes.promote(by, model, version, to, reason);
    }

    @Override
    public StageChange archive(Principal by, String model, SemVer version, String reason) {
        return writes.archive(by, model, version, reason);
    }

    @Override
    public PromotionResult approve(Principal by, RequestId request, String comment) {
        return writes.approve(by, request, comment);
    }

    @Override
    public PromotionRequest reject(Principal by, RequestId request, String comment) {
        return writes.reject(by, request, comment);
    }

    @Override
    public PromotionRequest withdraw(Principal by, RequestId request, String reason) {
        return writes.withdraw(by, request, reason);
    }

    @Override
    public StageChange rollback(Principal by, String model, Stage stage, String reason) {
        return writes.rollback(by, model, stage, reason);
    }

    @Override
    public StageChange rollback(Principal by, String model, Stage stage, SemVer target, String reason) {
        return writes.rollback(by, model, stage, target, reason);
    }

    @Override
    public void recordEvaluation(Principal by, String model, SemVer version, Evaluation evaluation, String reason) {
        writes.recordEvaluation(by, model, version, evaluation, reason);
    }

    @Override
    public void attachModelCard(Principal by, String model, SemVer version, ModelCard card, String reason) {
        writes.attachModelCard(by, model, version, card, reason);
    }

    @Override
    public void setCanonicalEvaluationSet(Principal by, String model, DatasetRef evaluationSet, String reason) {
        writes.setCanonicalEvaluationSet(by, model, evaluationSet, reason);
    }

    @Override
    public void setGatePolicy(Principal by, GatePolicy policy, String reason) {
        writes.setGatePolicy(by, policy, reason);
    }

    @Override
    public void setAccessPolicy(Principal by, AccessPolicy policy, String reason) {
        writes.setAccessPolicy(by, policy, reason);
    }

    @Override
    public void setTrustPolicy(Principal by, TrustPolicy policy, String reason) {
        writes.setTrustPolicy(by, policy, reason);
    }

    @Override
    public VersionSignature sign(Principal by, String model, SemVer version, SigningKey key) {
        return writes.sign(by, model, version, key);
    }

    // ================================================================ policies in force

    @Override
    public GatePolicy gatePolicy() {
        return policies.snapshot().gates();
    }

    @Override
    public AccessPolicy accessPolicy() {
        return policies.snapshot().access();
    }

    @Override
    public TrustPolicy trustPolicy() {
        return policies.snapshot().trust();
    }

    // ================================================================ reading

    @Override
    public Optional<ModelVersion> findCurrent(String model, Stage stage) {
        Optional<ModelVersion> fresh = logs.findCurrentIfFresh(model, stage);
        return fresh != null ? fresh : reads.findCurrentAfterChange(model, stage);
    }

    @Override
    public List<ModelName> models() {
        return reads.models();
    }

    @Override
    public Optional<ModelSummary> findModel(String model) {
        return reads.findModel(model);
    }

    @Override
    public Optional<ModelVersion> findVersion(String model, SemVer version) {
        return reads.findVersion(model, version);
    }

    @Override
    public Optional<ModelVersion> findByTag(String model, String tag) {
        return reads.findByTag(model, tag);
    }

    @Override
    public Optional<ModelVersion> findHighest(String model, VersionRange range) {
        return reads.findHighest(model, range);
    }

    @Override
    public Optional<ModelVersion> findLatest(String model) {
        return reads.findLatest(model);
    }

    @Override
    public ModelVersion resolve(String reference) {
        return reads.resolve(reference);
    }

    @Override
    public Stage stageOf(String model, SemVer version) {
        return reads.stageOf(model, version);
    }

    @Override
    public List<ModelVersion> versionsIn(String model, Stage stage) {
        return reads.versionsIn(model, stage);
    }

    @Override
    public Page<ModelVersion> search(String model, VersionQuery query) {
        return reads.search(model, query);
    }

    @Override
    public List<StageChange> stageHistory(String model) {
        return reads.stageHistory(model);
    }

    @Override
    public Optional<ModelVersion> findCurrentAt(String model, Stage stage, Instant at) {
        return reads.findCurrentAt(model, stage, at);
    }

    @Override
    public List<Evaluation> evaluations(String model, SemVer version) {
        return reads.evaluations(model, version);
    }

    @Override
    public Optional<ModelCard> findModelCard(String model, SemVer version) {
        return reads.findModelCard(model, version);
    }

    @Override
    public Optional<DatasetRef> findCanonicalEvaluationSet(String model) {
        return reads.findCanonicalEvaluationSet(model);
    }

    @Override
    public List<VersionSignature> signatures(String model, SemVer version) {
        return reads.signatures(model, version);
    }

    @Override
    public Optional<PromotionRequest> findRequest(RequestId request) {
        return reads.findRequest(request);
    }

    @Override
    public List<PromotionRequest> openRequests(String model) {
        return reads.openRequests(model);
    }

    @Override
    public List<PromotionRequest> openRequestsAwaiting(String role) {
        return reads.openRequestsAwaiting(role);
    }

    // ================================================================ lineage and comparison

    @Override
    public LineageGraph lineage() {
        return lineage.graph();
    }

    @Override
    public List<LineageResult> upstream(String model, SemVer version, LineageQuery query) {
        return lineage.upstream(model, version, query);
    }

    @Override
    public List<LineageResult> downstream(NodeId node, LineageQuery query) {
        return lineage.downstream(node, query);
    }

    @Override
    public String openLineageEvent(String model, SemVer version, String namespace) {
        return lineage.openLineageEvent(model, version, namespace);
    }

    @Override
    public ComparisonReport compare(String model, SemVer baseline, SemVer candidate, DatasetRef evaluationSet, double sliceTolerance) {
        Objects.requireNonNull(evaluationSet, "evaluationSet");
        if (!Double.isFinite(sliceTolerance) || sliceTolerance < 0) {
            throw new ValidationException("Slice tolerance must be a finite number >= 0, was " + sliceTolerance);
        }
        return ComparisonReport.compare(reads.getVersion(model, baseline), latestEvaluations(model, baseline),
                reads.getVersion(model, candidate), latestEvaluations(model, candidate), evaluationSet, metricCatalog, sliceTolerance);
    }

    @Override
    public MetricCatalog metricCatalog() {
        return metricCatalog;
    }

    // ================================================================ artifacts, audit

    @Override
    public InputStream openArtifact(String model, SemVer version, String artifactName) {
        return artifacts.open(reads.getVersion(model, version), artifactName);
    }

    @Override
    public Path downloadArtifact(String model, SemVer version, String artifactName, Path target) {
        Objects.requireNonNull(target, "target");
        return artifacts.download(reads.getVersion(model, version), artifactName, target);
    }

    @Override
    public List<LogEntry> log(String model, long fromSequence) {
        return reads.log(model, fromSequence);
    }

    @Override
    public long changeToken() {
        return events.changeToken();
    }

    @Override
    public AutoCloseable onChange(Runnable listener) {
        Objects.requireNonNull(listener, "listener");
        return events instanceof SupportsChangeNotification notifying ? notifying.onChange(listener) : () -> { };
    }

    @Override
    public VerificationReport verify() {
        return verifier.verify();
    }

    @Override
    public VerificationReport verify(String model) {
        return verifier.verify(model);
    }

    @Override
    public VerificationReport verifyWithArtifacts() {
        return verifier.verifyWithArtifacts();
    }

    @Override
    public List<LogEntry> audit(AuditQuery query) {
        return verifier.audit(query);
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
            artifactStore.close();
        }
    }

    @Override
    public String toString() {
        return "ModelRegistry[" + events.getClass().getSimpleName() + ", " + artifactStore.getClass().getSimpleName()
                + ", " + lifecycle.stages().stream().map(s -> s.name().toLowerCase(Locale.ROOT)).toList() + "]";
    }
}
