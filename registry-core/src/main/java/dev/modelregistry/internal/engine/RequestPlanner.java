package dev.modelregistry.internal.engine;

import dev.modelregistry.Action;
import dev.modelregistry.AlreadyExistsException;
import dev.modelregistry.Approval;
import dev.modelregistry.ApprovalRecorded;
import dev.modelregistry.Gate;
import dev.modelregistry.GateReport;
import dev.modelregistry.GateSpec;
import dev.modelregistry.ModelVersion;
import dev.modelregistry.NotFoundException;
import dev.modelregistry.Principal;
import dev.modelregistry.PromotionRequest;
import dev.modelregistry.PromotionResult;
import dev.modelregistry.RegistryEvent;
import dev.modelregistry.RequestClosed;
import dev.modelregistry.RequestId;
import dev.modelregistry.StateConflictException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Plans decisions on open promotion requests: approve (which re-evaluates every gate), reject, withdraw. Pure. */
public final class RequestPlanner {
    private final PromotionPlanner promotions;

    public RequestPlanner(PromotionPlanner promotions) {
        this.promotions = promotions;
    }

    /** The open request {@code id} of {@code state}'s model, or the reason it cannot be decided on. */
    public static ModelState.Request requireOpen(ModelState state, RequestId id) {
        ModelState.Request r = state.request(id.sequence()).orElseThrow(() -> new NotFoundException("No request " + id));
        if (r.status != PromotionRequest.Status.OPEN) {
            throw new StateConflictException("Request " + id + " is " + r.status
                    + (r.closedBecause.isEmpty() ? "" : " (" + r.closedBecause + ")"));
        }
        return r;
    }

    /**
     * An approval by {@code by}. Every gate is evaluated again with it; when all pass, the move is
     * applied in the same append, when one fails the request closes as rejected.
     */
    public Command<PromotionResult> approve(Principal by, RequestId request, String comment) {
        return new Command<>() {
            @Override
            public GateRun gates(ModelState state, PolicySnapshot policies, Instant now) {
                ModelState.Request r = requireOpen(state, request);
                if (r.approvals.stream().anyMatch(a -> a.principal().equals(by.name()))) {
                    throw new AlreadyExistsException(by.name() + " already decided on request " + request);
                }
                List<Approval> approvals = new ArrayList<>(r.approvals);
                approvals.add(new Approval(by.name(), by.roles(), true, comment, now));
                boolean releaseApproval = r.report.results().stream().anyMatch(g -> g.gate().equals(PolicySnapshot.RELEASE_APPROVAL));
                List<GateSpec> specs = PromotionPlanner.specs(policies, r.from, r.to, releaseApproval);
                ModelVersion candidate = state.require(r.version);
                String excluded = fourEyesExclusion(policies, specs, candidate, r, by);
                if (excluded != null) {
                    throw new StateConflictException(excluded);
                }
                return new GateRun(specs, PromotionPlanner.context(state, candidate, r.from, r.to, approvals,
                        new Principal(r.requester, Set.of()), now));
            }

            @Override
            public Plan<PromotionResult> plan(ModelState state, PolicySnapshot policies, Instant now,
                                              Map<String, Gate.Verdict> customVerdicts) {
                GateRun run = gates(state, policies, now);
                ModelState.Request r = requireOpen(state, request);
                GateReport report = promotions.report(state, policies, run, customVerdicts);
                List<RegistryEvent> planned = new ArrayList<>();
                planned.add(new ApprovalRecorded(r.id, true, comment, by.roles(), report));
                switch (report.outcome()) {
                    case FAILED -> {
                        planned.add(new RequestClosed(r.id, PromotionRequest.Status.REJECTED, "a gate failed when re-evaluated on approval"));
                        String message = "Request " + request + " was approved by " + by.name() + " but its gates now refuse the promotion";
                        return new Plan<>(planned, sealed -> new Outcome.Rejected<>(message, report));
                    }
                    case PENDING -> {
                        return Plan.applied(planned, sealed -> new PromotionResult(report, null,
                                RequestViews.view(state.model(), state.request(r.id).orElseThrow(), policies)));
                    }
                    default -> {
                        planned.addAll(Moves.moveInto(state, policies.lifecycle(), r.version, r.from, r.to, report, r.id));
                        planned.add(new RequestClosed(r.id, PromotionRequest.Status.COMPLETED, "every gate passed"));
                        return Plan.applied(Moves.withStaleRequestsClosed(state, planned, r.id),
                                sealed -> new PromotionResult(report, Moves.stageChangeOf(sealed, r.version), null));
                    }
                }
            }
        };
    }

    /** A rejection by {@code by}: recorded, and the request closes as rejected. */
    public static Command<PromotionRequest> reject(Principal by, RequestId request, String comment) {
        return (state, policies, now, verdicts) -> {
            ModelState.Request r = requireOpen(state, request);
            return Plan.applied(List.of(new ApprovalRecorded(r.id, false, comment, by.roles(), null),
                            new RequestClosed(r.id, PromotionRequest.Status.REJECTED, "rejected by " + by.name())),
                    sealed -> RequestViews.view(state.model(), r, policies));
        };
    }

    /** The request withdrawn by {@code by}. */
    public static Command<PromotionRequest> withdraw(Principal by, RequestId request) {
        return (state, policies, now, verdicts) -> {
            ModelState.Request r = requireOpen(state, request);
            return Plan.applied(List.of(new RequestClosed(r.id, PromotionRequest.Status.WITHDRAWN, "withdrawn by " + by.name())),
                    sealed -> RequestViews.view(state.model(), r, policies));
        };
    }

    /**
     * Why an approval by {@code by} would count towards none of the request's approval gates because
     * four-eyes rules exclude its own author or requester, or null when it counts (or when no such
     * rule is what stands in its way). Recording such an approval would change nothing, so it is
     * refused with the rule that excludes it.
     */
    private static String fourEyesExclusion(PolicySnapshot policies, List<GateSpec> specs, ModelVersion candidate,
                                            ModelState.Request r, Principal by) {
        List<String> excluded = new ArrayList<>();
        for (GateSpec spec : specs) {
            if (spec instanceof GateSpec.ManualApproval m && by.roles().contains(m.role())) {
                if (m.distinctFromAuthor() && by.name().equals(candidate.author())) {
                    excluded.add(by.name() + " is the author of " + candidate + ", and gate \"" + m.name()
                            + "\" needs approvals from someone other than the author");
                } else if (m.distinctFromRequester() && by.name().equals(r.requester)) {
                    excluded.add(by.name() + " requested this promotion, and gate \"" + m.name()
                            + "\" needs approvals from someone other than the requester");
                } else {
                    return null;
                }
            } else if (spec instanceof GateSpec.Custom c && c.name().equals(PolicySnapshot.RELEASE_APPROVAL)
                    && (policies.allows(by, Action.APPROVE, candidate.model(), r.to)
                    || policies.allows(by, Action.PROMOTE, candidate.model(), r.to))) {
                if (!by.name().equals(r.requester)) {
                    return null;
                }
                excluded.add(by.name() + " requested this promotion, and its release approval must come from someone else");
            }
        }
        return excluded.isEmpty() ? null : String.join("; ", excluded);
    }
}
