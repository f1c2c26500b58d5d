package dev.modelregistry;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
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
 * <h2>A model that does not exist</h2>
 * One rule for every method that names a model:
 * <ul>
 *   <li>a {@code find…} read returns an empty {@link Optional}, as it does for a version, tag,
 *       stage holder, evaluation, model card or request that does not exist;</li>
 *   <li>every other read that names a model throws {@link NotFoundException}: the {@code get…}
 *       reads, {@link #resolve}, {@link #stageOf}, the lists ({@link #versionsIn},
 *       {@link #stageHistory}, {@link #openRequests}, {@link #evaluations},
 *       {@link #latestEvaluations}, {@link #signatures}, {@link #log(String)}), {@link #search},
 *       comparisons and diffs, {@link #upstream}, {@link #openLineageEvent}, {@link #manifest},
 *       artifacts and {@link #verify(String)};</li>
 *   <li>a write to a model that does not exist throws {@link NotFoundException} and creates
 *       nothing, except {@link #register} and {@link #setCanonicalEvaluationSet}, which create the
 *       model's log.</li>
 * </ul>
 * Reads that name no model are not affected: {@link #downstream} takes a lineage node, and a node
 * that no version used (a version of a model that does not exist included) has an empty impact.
 *
 * <h2>Exceptions</h2>
 * Every exception is an unchecked {@link RegistryException} that names the value it is about. A
 * call that throws has written nothing, except that an access denial and a gate's refusal are
 * themselves recorded in the log, and that after {@link StorageStateUnknownException} the write
 * may have happened.
 * <ul>
 *   <li>{@link ValidationException}: bad input, refused before anything is written. Its subtypes
 *       name the kind: {@link InvalidNameException}, {@link InvalidVersionException},
 *       {@link MetadataTooLargeException}, {@link BreakingChangeException},
 *       {@link IllegalTransitionException} (an unknown stage, a move the lifecycle does not define
 *       from the version's stage, a rollback of a shared stage), {@link PolicyException},
 *       {@link KeyMaterialException}.</li>
 *   <li>{@link NotFoundException}: the model, version, tag, stage holder, request or artifact
 *       named does not exist (see above).</li>
 *   <li>{@link StateConflictException}: the call is well-formed but the current state does not
 *       allow it, and it may succeed once the state has changed: the version is already in the
 *       stage; the promotion request is no longer open; the four-eyes rule excludes the approver
 *       (the author of the version or the requester); a rollback target that never held the stage
 *       or holds it now; a stage with no earlier holder to roll back to.</li>
 *   <li>{@link AlreadyExistsException}: what the call would create exists: the version or a tag,
 *       an open request for the same promotion, the principal's decision on a request, a signature
 *       by the same key, the same canonical evaluation set.</li>
 *   <li>{@link AccessDeniedException}: the access policy refuses the principal; it names
 *       {@link AccessDeniedException#principal() principal()}, {@link AccessDeniedException#action()
 *       action()} and {@link AccessDeniedException#target() target()}, and the attempt is recorded.
 *       Access is checked before the model is looked up (a decision on a request looks up the
 *       request first, for the stage it asks for).</li>
 *   <li>{@link GateRejectedException}: a gate refused a promotion or an approval; its
 *       {@link GateRejectedException#report() report()} is recorded in the log.</li>
 *   <li>{@link ConcurrentUpdateException}: other writers kept appending first; the registry
 *       retried before giving up, nothing was written, and the call is safe to retry.</li>
 *   <li>{@link StorageStateUnknownException}: the storage failed after the write was sent, so it
 *       may or may not have happened; read the log to find out, do not clean up.</li>
 *   <li>{@link StorageException}: the storage failed (I/O, SQL, S3); a write that fails with it
 *       was not applied.</li>
 *   <li>{@link IntegrityException}: bytes that do not match their digest, or a log whose hash
 *       chain is broken.</li>
 * </ul>
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
     * The first registration of a model creates its log.
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
     * @throws IllegalTransitionException the stage is unknown or NONE, or the lifecycle has no move from the version's stage to it
     * @throws StateConflictException     the version is already in the stage
     * @throws AlreadyExistsException     the same promotion is already requested
     * @throws NotFoundException          the model or version does not exist
     */
    PromotionResult promote(Principal by, String model, SemVer version, Stage to, String reason);

    /**
     * Moves {@code version} to the lifecycle's archive stage. Governed by access control, not gates.
     *
     * @throws StateConflictException the version is already archived
     * @throws NotFoundException      the model or version does not exist
     */
    StageChange archive(Principal by, String model, SemVer version, String reason);

    // ---------------------------------------------------------------- requests and approvals

    /**
     * Approves an open request. Every gate is evaluated again at this moment with the approval
     * counted: when all pass, the promotion is applied in the same atomic append; when one fails the
     * request closes as rejected and {@link GateRejectedException} carries the new report.
     *
     * @throws StateConflictException the request is no longer open, or a four-eyes rule excludes the approver
     * @throws AlreadyExistsException the principal already decided on the request
     * @throws NotFoundException      the request or its model does not exist
     */
    PromotionResult approve(Principal by, RequestId request, String comment);

    /** Rejects an open request; it closes. {@link StateConflictException} when it is no longer open. */
    PromotionRequest reject(Principal by, RequestId request, String comment);

    /**
     * Withdraws an open request: its requester, or anyone who may promote into its stage.
     * {@link StateConflictException} when it is no longer open.
     */
    PromotionRequest withdraw(Principal by, RequestId request, String reason);

    /** The request, open or closed; empty when it or its model does not exist. */
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

    /**
     * The latest evaluation of the version on {@code evaluationSet}; empty when the model, the
     * version or such an evaluation does not exist.
     */
    default Optional<Evaluation> findEvaluation(String model, SemVer version, DatasetRef evaluationSet) {
        Objects.requireNonNull(evaluationSet, "evaluationSet");
        if (findVersion(model, version).isEmpty()) {
            return Optional.empty();
        }
        return Optional.ofNullable(latestEvaluations(model, version).get(evaluationSet.id()));
    }

    /** Attaches (or replaces) the model card of a version; both stay in the log. */
    void attachModelCard(Principal by, String model, SemVer version, ModelCard card, String reason);

    Optional<ModelCard> findModelCard(String model, SemVer version);

    /**
     * Locks the model's canonical evaluation set, which gates and {@link #compare(String, SemVer, SemVer)}
     * use when they name none ({@code CHANGE_POLICY}). It may be locked before the model's first
     * version: the call then creates the model's log.
     *
     * @throws ValidationException    the set is not exact ({@link DatasetRef#isExact()}): it must name one immutable snapshot
     * @throws AlreadyExistsException it already is the model's canonical evaluation set
     */
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
     * @throws IllegalTransitionException the stage is not exclusive
     * @throws StateConflictException     the stage has no earlier holder to go back to
     * @throws NotFoundException          the model does not exist
     */
    StageChange rollback(Principal by, String model, Stage stage, String reason);

    /**
     * Reinstates {@code target}, which must have held the exclusive {@code stage} before, like
     * {@link #rollback(Principal, String, Stage, String)}.
     *
     * @throws StateConflictException {@code target} never held the stage, or holds it now
     * @throws NotFoundException      the model or {@code target} does not exist
     */
    StageChange rollback(Principal by, String model, Stage stage, SemVer target, String reason);

    // ---------------------------------------------------------------- resolving

    /** Every model, sorted by name: each that has a log (a version, or a locked canonical evaluation set). */
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
     * Resolves a reference {@code model@selector}. The selector is {@code latest} (the most recently
     * registered version), a stage name of this lifecycle (its current version), an exact version, or
     * a version range (the highest match); a selector that is a valid name but none of these is a
     * tag. Tags can never be read as any of the others (registration refuses such tags), so every
     * selector means one thing.
     *
     * @throws ValidationException the reference is malformed: no {@code @}, an invalid model name, an
     *                             empty selector, or a selector that is none of the above
     * @throws NotFoundException   nothing matches: the model does not exist, the stage is empty, no
     *                             version is in the range, or no version carries the tag
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
     * A node that no version used, a version of a model that does not exist included, has an empty impact.
     */
    List<LineageResult> downstream(NodeId node, LineageQuery query);

    /** The registration of a version as an OpenLineage run event (JSON), for lineage tools that speak it. */
    String openLineageEvent(String model, SemVer version, String namespace);

    /** The latest evaluation of the version on each evaluation set, by {@code DatasetRef.id()}. */
    default Map<String, Evaluation> latestEvaluations(String model, SemVer version) {
        Map<String, Evaluation> latest = new HashMap<>();
        for (Evaluation e : evaluations(model, version)) {
            latest.put(e.dataset().id(), e);
        }
        return Map.copyOf(latest);
    }

    /**
     * Compares two versions on one evaluation set: per-metric values, deltas and verdicts (each
     * metric's direction from the {@link MetricCatalog}), operational deltas, and the slices where the
     * candidate is worse beyond {@code sliceTolerance}, ranked. Refuses when either version lacks an
     * evaluation on exactly that set, naming the sets each has.
     */
    ComparisonReport compare(String model, SemVer baseline, SemVer candidate, DatasetRef evaluationSet, double sliceTolerance);

    /**
     * {@link #compare(String, SemVer, SemVer, DatasetRef, double)} on the model's canonical evaluation
     * set, tolerance 0; {@link ValidationException} when the model has none.
     */
    default ComparisonReport compare(String model, SemVer baseline, SemVer candidate) {
        Optional<DatasetRef> canonical = findCanonicalEvaluationSet(model);
        if (canonical.isEmpty()) {
            // A model or version that does not exist is NotFoundException here too, as in every read naming one.
            getVersion(model, baseline);
            getVersion(model, candidate);
            throw new ValidationException("Model " + model + " has no canonical evaluation set; name one, or lock one with setCanonicalEvaluationSet");
        }
        return compare(model, baseline, candidate, canonical.get(), 0.0);
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
     * The model's log from {@code fromSequence} on, oldest first: how listeners tail a model and
     * resume from a stored cursor. Empty when the model's log does not reach that far yet; a model
     * that does not exist is {@link NotFoundException}, and a {@code fromSequence} below 1 is
     * {@link ValidationException}.
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
    default long exportAudit(AuditQuery query, Appendable out) {
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

    /** Recomputes the hash chain of one model's log; {@link NotFoundException} when the model does not exist. */
    VerificationReport verify(String model);

    /** The lifecycle this registry enforces. */
    Lifecycle lifecycle();

    /** Closes the stores the registry was built with. */
    @Override
    void close();
}
