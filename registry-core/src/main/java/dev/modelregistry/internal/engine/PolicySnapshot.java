package dev.modelregistry.internal.engine;

import dev.modelregistry.AccessPolicy;
import dev.modelregistry.Action;
import dev.modelregistry.Approval;
import dev.modelregistry.Gate;
import dev.modelregistry.GateContext;
import dev.modelregistry.GateOutcome;
import dev.modelregistry.GatePolicy;
import dev.modelregistry.GateReport;
import dev.modelregistry.GateResult;
import dev.modelregistry.GateSpec;
import dev.modelregistry.Lifecycle;
import dev.modelregistry.ModelName;
import dev.modelregistry.Principal;
import dev.modelregistry.Stage;
import dev.modelregistry.TrustPolicy;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The registry-wide policies in force, read once at the start of a write and carried through it:
 * access, gates, trust and the lifecycle. Immutable, so planners and gates see one consistent set
 * and nothing has to call back into the registry while a model is locked.
 */
public record PolicySnapshot(AccessPolicy access, GatePolicy gates, TrustPolicy trust, Lifecycle lifecycle) {

    /** The name of the gate that holds promotions asked for by principals who may only request them. */
    public static final String RELEASE_APPROVAL = GateSpec.Custom.RELEASE_APPROVAL;

    public boolean allows(Principal by, Action action, ModelName model, Stage stage) {
        return access.allows(by, action, model, stage);
    }

    /** The registry's own gates, evaluated inline with these policies: the release approval. */
    public Map<String, Gate> inlineGates() {
        return Map.of(RELEASE_APPROVAL, this::releaseApproval);
    }

    /**
     * The gate that holds a promotion asked for by a principal who may only request it: one approval
     * from a principal whose roles may approve or promote into the target stage, other than the
     * requester. A rejection by such a principal fails it.
     */
    private Gate.Verdict releaseApproval(GateContext ctx) {
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

    /** The roles whose approval one of the pending gates of an open request from {@code from} to {@code to} waits for. */
    public Set<String> awaitingRoles(ModelName model, Stage from, Stage to, GateReport report) {
        Set<String> awaiting = new TreeSet<>();
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
}
