package dev.modelregistry;

import java.util.Map;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * An embeddable model registry: immutable, semantically versioned model versions with their
 * artifacts and metadata; stages they move through; instant rollback; and an audit trail that can
 * prove it was not altered.
 *
 * <p>Every model is an append-only, hash-chained log of events, and everything this interface
 * reports is a fold of those logs. Every mutating method names the {@link Principal} acting and
 * appends its events atomically, or changes nothing and throws. All methods are thread-safe.
 *
 * <pre>{@code
 * try (ModelRegistry registry = ModelRegistry.inMemory()) {
 *     Principal alice = Principal.of("alice");
 *     ModelVersion v = registry.register(alice, Registration.of("fraud-detector").version("1.0.0")
 *         .artifact("model.bin", "application/octet-stream", Path.of("model.bin")).build());
 *     registry.promote(alice, "fraud-detector", v.version(), Stage.STAGING, "smoke tests passed");
 *     registry.promote(alice, "fraud-detector", v.version(), Stage.PRODUCTION, "approved in review 42");
 *     ModelVersion serving = registry.getCurrent("fraud-detector", Stage.PRODUCTION);
 * }
 * }</pre>
 *
 * <p>Model names and versions in arguments are validated first: bad input throws a
 * {@link ValidationException} subtype naming the value, and changes nothing.
 */
public interface ModelRegistry extends AutoCloseable {

    /** A builder for a registry over chosen stores; see {@link ModelRegistryBuilder}. */
    static ModelRegistryBuilder builder() {
        return new ModelRegistryBuilder();
    }

    /** A registry that keeps everything in memory, with the default lifecycle and the system clock. */
    static ModelRegistry inMemory() {
        return builder().build();
    }

    // ---------------------------------------------------------------- writing

    /**
     * Registers a new immutable version: chooses its version (explicit, bumped or derived from the
     * signature change), stores its artifacts (verifying expected digests), and appends the event.
     *
     * @throws AlreadyExistsException   the version or a tag already exists in the model
     * @throws BreakingChangeException  the version understates a breaking signature change
     * @throws IntegrityException       an artifact's bytes do not match its expected digest
     */
    ModelVersion register(Principal by, Registration registration);

    /**
     * Asks to move {@code version} into stage {@code to} along a transition the lifecycle allows, and
     * runs that transition's gates. When every gate passes the move happens at once (promoting into an
     * exclusive stage moves the previous holder to the archive stage in the same atomic append); when
     * some are pending (manual approvals) it becomes an open {@link PromotionRequest}. A principal who
     * may only {@code REQUEST_PROMOTION} always gets a request that waits for a release approval.
     *
     * @throws GateRejectedException      a gate failed; the refusal and its report are in the log
     * @throws AccessDeniedException      the principal may neither promote nor request it; recorded too
     * @throws IllegalTransitionException the stage is unknown, the move is not allowed, or the version is already there
     * @throws NotFoundException          the model or version does not exist
     */
    PromotionResult promote(Principal by, String model, SemVer version, Stage to, String reason);

    /** Moves {@code version} to the lifecycle's archive stage. Governed by access control, not gates. */
    StageChange archive(Principal by, String model, SemVer version, String reason);

    // ---------------------------------------------------------------- requests and approvals

    /**
     * Approves an open request. Every gate is evaluated again at this moment with the approval
     * counted: when all pass, the promotion is applied in the same atomic append; when one fails the
     * request closes as rejected and {@link GateRejectedException} carries the new report.
     */
    PromotionResult approve(Principal by, RequestId request, String comment);

    /** Rejects an open request; it closes. */
    PromotionRequest reject(Principal by, RequestId request, String comment);

    /** Withdraws an open request: its requester, or anyone who may promote into its stage. */
    PromotionRequest withdraw(Principal by, RequestId request, String reason);

    Optional<PromotionRequest> findRequest(RequestId request);

    /** The model's open requests, oldest first. */
    List<PromotionRequest> openRequests(String model);

    /** Open requests, across models, with a pending gate that waits for an approval by {@code role}. */
    List<PromotionRequest> openRequestsAwaiting(String role);

    // ---------------------------------------------------------------- evaluations, model cards, policies

    /** Records an evaluation of a version on one evaluation set (append-only; the latest per set counts). */
    void recordEvaluation(Principal by, String model, SemVer version, Evaluation evaluation, String reason);

    /** Every evaluation of the version, in the order recorded. */
    List<Evaluation> evaluations(String model, SemVer version);

    /** The latest evaluation of the version on {@code evaluationSet}. */
    Optional<Evaluation> findEvaluation(String model, SemVer version, DatasetRef evaluationSet);

    /** Attaches (or replaces) the model card of a version; both stay in the log. */
    void attachModelCard(Principal by, String model, SemVer version, ModelCard card, String reason);

    Optional<ModelCard> findModelCard(String model, SemVer version);

    /** Locks the model's canonical evaluation set, which gates use when they name none ({@code CHANGE_POLICY}). */
    void setCanonicalEvaluationSet(Principal by, String model, DatasetRef evaluationSet, String reason);

    Optional<DatasetRef> findCanonicalEvaluationSet(String model);

    /**
     * Replaces the gate policy; the change is an audited event in the registry's own log.
     *
     * @throws ValidationException the policy names a custom gate not registered on this registry, or
     *                             a transition whose stage is not in this registry's lifecycle
     */
    void setGatePolicy(Principal by, GatePolicy policy, String reason);

    /** The gate policy in force. */
    GatePolicy gatePolicy();

    /** Replaces the access policy; the change is an audited event in the registry's own log. */
    void setAccessPolicy(Principal by, AccessPolicy policy, String reason);

    /** The access policy in force. */
    AccessPolicy accessPolicy();

    /**
     * Reinstates the previous holder of the exclusive {@code stage} at once, without gates or
     * approvals, as its own event; the current holder (if any) goes to the archive stage. The
     * previous holder is the most recent one before the current holder that did not itself leave the
     * stage by a rollback, so rolling back twice goes two versions back rather than returning to the
     * version just rolled back from.
     *
     * @throws IllegalTransitionException the stage is not exclusive, or it has no earlier holder
     */
    StageChange rollback(Principal by, String model, Stage stage, String reason);

    /**
     * Reinstates {@code target}, which must have held the exclusive {@code stage} before, like
     * {@link #rollback(Principal, String, Stage, String)}.
     */
    StageChange rollback(Principal by, String model, Stage stage, SemVer target, String reason);

    // ---------------------------------------------------------------- resolving

    /** Every model with at least one version, sorted by name. */
    List<ModelName> models();

    Optional<ModelSummary> findModel(String model);

    Optional<ModelVersion> findVersion(String model, SemVer version);

    /** The version, or {@link NotFoundException}. */
    default ModelVersion getVersion(String model, SemVer version) {
        return findVersion(model, version).orElseThrow(() -> new NotFoundException(findModel(model)
                .map(m -> "Model " + m.name() + " has no version " + version
                        + (m.highestVersion() == null ? "" : "; its highest is " + m.highestVersion()))
                .orElse("No model named " + model)));
    }

    Optional<ModelVersion> findByTag(String model, String tag);

    /** The highest version the range matches (npm semantics: pre-releases only within their own tuple). */
    Optional<ModelVersion> findHighest(String model, VersionRange range);

    /** The most recently registered version. */
    Optional<ModelVersion> findLatest(String model);

    /**
     * The version currently in {@code stage}: the holder of an exclusive stage, or the most recent
     * entrant of a shared one. This is the serving path: once a model is loaded it takes no lock and
     * allocates nothing while the registry is unchanged.
     */
    Optional<ModelVersion> findCurrent(String model, Stage stage);

    /** Like {@link #findCurrent} but throws {@link NotFoundException} when the stage is empty. */
    default ModelVersion getCurrent(String model, Stage stage) {
        return findCurrent(model, stage).orElseThrow(() -> new NotFoundException(
                findModel(model).isPresent() ? "No version of " + model + " is in " + stage : "No model named " + model));
    }

    /**
     * Resolves a reference {@code model@selector}, where the selector is {@code latest}, a stage
     * name, a tag, an exact version, or a range (highest match), tried in that order. Tags can never
     * be read as any of the others, so the order only matters for readability.
     *
     * @throws NotFoundException nothing matches
     */
    ModelVersion resolve(String reference);

    /** Where {@code version} is in the lifecycle now ({@link Stage#NONE} before its first promotion). */
    Stage stageOf(String model, SemVer version);

    /** The versions in {@code stage}, in the order they entered it. */
    List<ModelVersion> versionsIn(String model, Stage stage);

    /** Searches the versions of a model; see {@link VersionQuery}. */
    Page<ModelVersion> search(String model, VersionQuery query);

    /** Every stage move of the model, oldest first. */
    List<StageChange> stageHistory(String model);

    /** The version that was current in {@code stage} at instant {@code at}. */
    Optional<ModelVersion> findCurrentAt(String model, Stage stage, Instant at);

    // ---------------------------------------------------------------- lineage and comparison

    /**
     * The lineage graph across every model as of now: versions and the runs, code commits, dataset
     * snapshots, images and environments they used, and the versions they derive from. A snapshot:
     * rebuilt (once) after the registry changes.
     */
    LineageGraph lineage();

    /** Everything {@code model@version} came from, transitively through its parent versions, with paths. */
    List<LineageResult> upstream(String model, SemVer version, LineageQuery query);

    /**
     * Every version that used {@code node} (a dataset snapshot, a commit, a run, an image, a version)
     * directly or through derived models, each with its current stage and the path that links it;
     * {@code LineageQuery.inStages(PRODUCTION)} answers "which Production models does this data bug touch".
     */
    List<LineageResult> downstream(NodeId node, LineageQuery query);

    /** The registration of a version as an OpenLineage run event (JSON), for lineage tools that speak it. */
    String openLineageEvent(String model, SemVer version, String namespace);

    /** The latest evaluation of the version on each evaluation set, by {@code DatasetRef.id()}. */
    Map<String, Evaluation> latestEvaluations(String model, SemVer version);

    /**
     * Compares two versions on one evaluation set: per-metric values, deltas and verdicts (each
     * metric's direction from the {@link MetricCatalog}), operational deltas, and the slices where the
     * candidate is worse beyond {@code sliceTolerance}, ranked. Refuses when either version lacks an
     * evaluation on exactly that set, naming the sets each has.
     */
    ComparisonReport compare(String model, SemVer baseline, SemVer candidate, DatasetRef evaluationSet, double sliceTolerance);

    /** {@link #compare(String, SemVer, SemVer, DatasetRef, double)} on the model's canonical evaluation set, tolerance 0. */
    default ComparisonReport compare(String model, SemVer baseline, SemVer candidate) {
        DatasetRef canonical = findCanonicalEvaluationSet(model).orElseThrow(() -> new ValidationException(
                "Model " + model + " has no canonical evaluation set; name one, or lock one with setCanonicalEvaluationSet"));
        return compare(model, baseline, candidate, canonical, 0.0);
    }

    /** The structural difference of two versions: hyperparameters, signature, data, code, framework, runtime, artifacts. */
    default VersionDiff diff(String model, SemVer a, SemVer b) {
        return VersionDiff.of(getVersion(model, a), getVersion(model, b));
    }

    /** What this registry knows about metrics: direction and display precision. */
    MetricCatalog metricCatalog();

    // ---------------------------------------------------------------- signing

    /**
     * The manifest of a version as stored now: what a signature vouches for (metadata, artifact
     * digests, lineage), in canonical bytes.
     */
    default VersionManifest manifest(String model, SemVer version) {
        return VersionManifest.of(getVersion(model, version));
    }

    /**
     * Signs the version's manifest with {@code key} (Ed25519) and records the signature in the
     * model's log; the private key is never stored. Needs {@code SIGN}.
     *
     * @throws AlreadyExistsException the key already signed this manifest
     * @throws NotFoundException      the model or version does not exist
     */
    VersionSignature sign(Principal by, String model, SemVer version, SigningKey key);

    /** Every recorded signature of the version, oldest first; valid or not (see {@link TrustPolicy#check}). */
    List<VersionSignature> signatures(String model, SemVer version);

    /**
     * Replaces the trust policy: which public keys are trusted and how many valid signatures a
     * version needs to be promoted into each stage. Needs {@code MANAGE_ACCESS}; an audited event in
     * the registry's own log.
     *
     * @throws ValidationException a stage of the policy is not in this registry's lifecycle
     */
    void setTrustPolicy(Principal by, TrustPolicy policy, String reason);

    /** The trust policy in force; {@link TrustPolicy#none()} until one is set. */
    TrustPolicy trustPolicy();

    // ---------------------------------------------------------------- artifacts

    /** Streams an artifact of a version; the stream throws {@link IntegrityException} at its end if the bytes do not match. */
    InputStream openArtifact(String model, SemVer version, String artifactName);

    /** Copies an artifact to {@code target} (replacing it), verifying its digest before the file appears there. */
    Path downloadArtifact(String model, SemVer version, String artifactName, Path target);

    // ---------------------------------------------------------------- audit

    /** The model's whole log, oldest first: the audit trail. */
    default List<LogEntry> log(String model) {
        return log(model, 1);
    }

    /**
     * The model's log from {@code fromSequence} on, oldest first (empty when there is nothing that
     * far yet): how listeners tail a model and resume from a stored cursor.
     */
    List<LogEntry> log(String model, long fromSequence);

    /**
     * A cheap value that changes whenever anything in the registry may have changed, including
     * through another process sharing the storage: poll it, and read logs only when it moved.
     */
    long changeToken();

    /**
     * Runs {@code listener} (on the writer's thread, which may hold locks: hand the work off, never
     * block) after every change this process makes
     * when the backend can notify directly (the in-memory one does); watchers use it to wake up at
     * once instead of at their next poll. Backends that cannot notify return a subscription that
     * does nothing, and watchers keep polling {@link #changeToken()}. Close the result to stop.
     */
    AutoCloseable onChange(Runnable listener);

    /** Entries of every log (the registry's own included) that match {@code query}, in time order. */
    List<LogEntry> audit(AuditQuery query);

    /** Writes the matching entries as JSON Lines (one canonical entry per line); returns how many. */
    long exportAudit(AuditQuery query, Appendable out);

    /**
     * Recomputes the hash chain of every log, the registry's own included, and cross-checks it with
     * whatever else the backend recorded (where a log ends, second copies such as snapshots): an
     * edited, deleted, reordered or truncated entry is reported with the model, the sequence number,
     * the kind of change and where it was found.
     */
    VerificationReport verify();

    /**
     * {@link #verify()}, and re-reads every artifact every version refers to, checking its SHA-256
     * and size; an altered or missing artifact is reported with model, version and artifact name.
     * Reads every stored byte, so it takes as long as downloading them all.
     */
    VerificationReport verifyWithArtifacts();

    /** Recomputes the hash chain of one model's log. */
    VerificationReport verify(String model);

    /** The lifecycle this registry enforces. */
    Lifecycle lifecycle();

    /** Closes the stores the registry was built with. */
    @Override
    void close();
}
