package dev.modelregistry.internal;

import dev.modelregistry.AccessPolicy;
import dev.modelregistry.Action;
import dev.modelregistry.ArtifactRef;
import dev.modelregistry.DatasetRef;
import dev.modelregistry.Evaluation;
import dev.modelregistry.Gate;
import dev.modelregistry.GatePolicy;
import dev.modelregistry.IllegalTransitionException;
import dev.modelregistry.Lifecycle;
import dev.modelregistry.Limits;
import dev.modelregistry.ModelCard;
import dev.modelregistry.ModelName;
import dev.modelregistry.ModelVersion;
import dev.modelregistry.Names;
import dev.modelregistry.NotFoundException;
import dev.modelregistry.Principal;
import dev.modelregistry.PromotionRequest;
import dev.modelregistry.PromotionResult;
import dev.modelregistry.Provenance;
import dev.modelregistry.Registration;
import dev.modelregistry.RequestId;
import dev.modelregistry.SemVer;
import dev.modelregistry.SigningKey;
import dev.modelregistry.Stage;
import dev.modelregistry.StageChange;
import dev.modelregistry.TrustPolicy;
import dev.modelregistry.ValidationException;
import dev.modelregistry.VersionSignature;
import dev.modelregistry.internal.artifacts.Artifacts;
import dev.modelregistry.internal.engine.AnnotationPlanner;
import dev.modelregistry.internal.engine.Command;
import dev.modelregistry.internal.engine.Guard;
import dev.modelregistry.internal.engine.ModelLogs;
import dev.modelregistry.internal.engine.ModelState;
import dev.modelregistry.internal.engine.Policies;
import dev.modelregistry.internal.engine.PolicyPlanner;
import dev.modelregistry.internal.engine.PolicySnapshot;
import dev.modelregistry.internal.engine.PromotionPlanner;
import dev.modelregistry.internal.engine.RegistrationPlanner;
import dev.modelregistry.internal.engine.RequestPlanner;
import dev.modelregistry.internal.engine.RollbackPlanner;
import dev.modelregistry.internal.engine.SigningPlanner;
import dev.modelregistry.internal.gate.GateEngine;
import dev.modelregistry.internal.read.Reads;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The door of every write: arguments are checked, the policies in force are taken once and access
 * is checked against them (a refusal is recorded), and the write goes to the commit loop as a
 * command of a pure planner. The one place where an engine outcome becomes the API's exception.
 */
final class Writes {
    private final Lifecycle lifecycle;
    private final boolean requireExactDataLineage;
    private final Map<String, Gate> customGates;
    private final ModelLogs logs;
    private final Policies policies;
    private final Guard guard;
    private final PromotionPlanner promotions;
    private final RequestPlanner requests;
    private final Reads reads;
    private final Artifacts artifacts;

    Writes(Lifecycle lifecycle, boolean requireExactDataLineage, Map<String, Gate> customGates, ModelLogs logs, Policies policies,
           GateEngine gates, Guard guard, Reads reads, Artifacts artifacts) {
        this.lifecycle = lifecycle;
        this.requireExactDataLineage = requireExactDataLineage;
        this.customGates = Map.copyOf(customGates);
        this.logs = logs;
        this.policies = policies;
        this.guard = guard;
        this.promotions = new PromotionPlanner(gates);
        this.requests = new RequestPlanner(promotions);
        this.reads = reads;
        this.artifacts = artifacts;
    }

    /** Writes through the commit loop; the one place where an outcome becomes the API's exception. */
    private <R> R write(ModelName name, Principal by, String reason, PolicySnapshot p, Command<R> command) {
        String why = Names.checkText("reason", reason, Limits.MAX_REASON_CHARS);
        return logs.write(name, by, why, p, command).orThrow();
    }

    /** The policies in force, after checking that {@code by} may do {@code action} (a refusal is recorded). */
    private PolicySnapshot authorized(Principal by, Action action, ModelName model, Stage stage) {
        Guard.requirePrincipal(by);
        PolicySnapshot p = policies.snapshot();
        guard.authorize(p, by, action, model, stage);
        return p;
    }

    // ================================================================ writing

    ModelVersion register(Principal by, Registration registration) {
        Guard.requirePrincipal(by);
        Objects.requireNonNull(registration, "registration");
        ModelName name = registration.model();
        PolicySnapshot p = authorized(by, Action.REGISTER, name, null);
        for (String tag : registration.tags()) {
            RegistrationPlanner.checkTagIsUnambiguous(lifecycle, tag);
        }
        checkLineage(name, registration);
        List<ArtifactRef> stored = List.of();
        if (!registration.artifacts().isEmpty()) {
            // Refuse what can be refused before any artifact is stored, so a refused registration
            // leaves no orphaned bytes behind in the common cases; the write re-checks atomically.
            String why = Names.checkText("reason", registration.reason(), Limits.MAX_REASON_CHARS);
            logs.dryRun(name, by, why, p, (s, pol, now, v) -> RegistrationPlanner.plan(s, registration, by, now, List.of()));
            stored = artifacts.store(registration);
        }
        List<ArtifactRef> artifactsStored = stored;
        return write(name, by, registration.reason(), p,
                (s, pol, now, v) -> RegistrationPlanner.plan(s, registration, by, now, artifactsStored));
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
            if (reads.findVersion(parent.model().value(), parent.version()).isEmpty()) {
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

    PromotionResult promote(Principal by, String model, SemVer version, Stage to, String reason) {
        Guard.requirePrincipal(by);
        ModelName name = ModelName.of(model);
        Objects.requireNonNull(version, "version");
        lifecycle.require(to);
        if (to.equals(Stage.NONE)) {
            throw new IllegalTransitionException("Cannot promote into NONE; archive the version instead");
        }
        PolicySnapshot p = policies.snapshot();
        boolean direct = p.allows(by, Action.PROMOTE, name, to);
        if (!direct && !p.allows(by, Action.REQUEST_PROMOTION, name, to)) {
            throw guard.deny(p, by, Action.PROMOTE, name, to);
        }
        return write(name, by, reason, p, promotions.promote(by, version, to, direct));
    }

    StageChange archive(Principal by, String model, SemVer version, String reason) {
        Guard.requirePrincipal(by);
        ModelName name = ModelName.of(model);
        Objects.requireNonNull(version, "version");
        PolicySnapshot p = authorized(by, Action.ARCHIVE, name, lifecycle.archiveStage());
        return write(name, by, reason, p, PromotionPlanner.archive(version));
    }

    PromotionResult approve(Principal by, RequestId request, String comment) {
        Guard.requirePrincipal(by);
        PolicySnapshot p = authorized(by, Action.APPROVE, request.model(), openRequest(request).to);
        return write(request.model(), by, comment, p, requests.approve(by, request, comment));
    }

    PromotionRequest reject(Principal by, RequestId request, String comment) {
        Guard.requirePrincipal(by);
        PolicySnapshot p = authorized(by, Action.APPROVE, request.model(), openRequest(request).to);
        return write(request.model(), by, comment, p, RequestPlanner.reject(by, request, comment));
    }

    PromotionRequest withdraw(Principal by, RequestId request, String reason) {
        Guard.requirePrincipal(by);
        var open = openRequest(request);
        PolicySnapshot p = open.requester.equals(by.name()) ? policies.snapshot()
                : authorized(by, Action.PROMOTE, request.model(), open.to);
        return write(request.model(), by, reason, p, RequestPlanner.withdraw(by, request));
    }

    private ModelState.Request openRequest(RequestId id) {
        Objects.requireNonNull(id, "request");
        return logs.withState(id.model(), s -> RequestPlanner.requireOpen(s, id), () -> {
            throw new NotFoundException("No request " + id + ": no model named " + id.model());
        });
    }

    StageChange rollback(Principal by, String model, Stage stage, String reason) {
        return rollback(by, model, stage, Optional.empty(), reason);
    }

    StageChange rollback(Principal by, String model, Stage stage, SemVer target, String reason) {
        return rollback(by, model, stage, Optional.of(Objects.requireNonNull(target, "target")), reason);
    }

    private StageChange rollback(Principal by, String model, Stage stage, Optional<SemVer> target, String reason) {
        Guard.requirePrincipal(by);
        ModelName name = ModelName.of(model);
        lifecycle.require(stage);
        if (!lifecycle.isExclusive(stage)) {
            throw new IllegalTransitionException("Rollback needs an exclusive stage; " + stage + " is not exclusive");
        }
        PolicySnapshot p = authorized(by, Action.ROLLBACK, name, stage);
        return write(name, by, reason, p, RollbackPlanner.rollback(stage, target));
    }

    void recordEvaluation(Principal by, String model, SemVer version, Evaluation evaluation, String reason) {
        ModelName name = ModelName.of(model);
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(evaluation, "evaluation");
        write(name, by, reason, authorized(by, Action.ANNOTATE, name, null), AnnotationPlanner.recordEvaluation(version, evaluation));
    }

    void attachModelCard(Principal by, String model, SemVer version, ModelCard card, String reason) {
        ModelName name = ModelName.of(model);
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(card, "card");
        write(name, by, reason, authorized(by, Action.ANNOTATE, name, null), AnnotationPlanner.attachModelCard(version, card));
    }

    void setCanonicalEvaluationSet(Principal by, String model, DatasetRef evaluationSet, String reason) {
        ModelName name = ModelName.of(model);
        Objects.requireNonNull(evaluationSet, "evaluationSet");
        Command<Void> command = AnnotationPlanner.setCanonicalEvaluationSet(evaluationSet);
        write(name, by, reason, authorized(by, Action.CHANGE_POLICY, name, null), command);
    }

    void setGatePolicy(Principal by, GatePolicy policy, String reason) {
        Guard.requirePrincipal(by);
        Objects.requireNonNull(policy, "policy");
        Command<Void> command = PolicyPlanner.setGatePolicy(policy, customGates.keySet(), lifecycle);
        write(ModelName.SYSTEM, by, reason, authorized(by, Action.CHANGE_POLICY, null, null), command);
    }

    void setAccessPolicy(Principal by, AccessPolicy policy, String reason) {
        Guard.requirePrincipal(by);
        Objects.requireNonNull(policy, "policy");
        write(ModelName.SYSTEM, by, reason, authorized(by, Action.MANAGE_ACCESS, null, null), PolicyPlanner.setAccessPolicy(policy));
    }

    void setTrustPolicy(Principal by, TrustPolicy policy, String reason) {
        Guard.requirePrincipal(by);
        Objects.requireNonNull(policy, "policy");
        Command<Void> command = PolicyPlanner.setTrustPolicy(policy, lifecycle);
        write(ModelName.SYSTEM, by, reason, authorized(by, Action.MANAGE_ACCESS, null, null), command);
    }

    VersionSignature sign(Principal by, String model, SemVer version, SigningKey key) {
        ModelName name = ModelName.of(model);
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(key, "key");
        PolicySnapshot p = authorized(by, Action.SIGN, name, null);
        return write(name, by, "signed with key " + key.keyId(), p, SigningPlanner.sign(version, key));
    }
}
