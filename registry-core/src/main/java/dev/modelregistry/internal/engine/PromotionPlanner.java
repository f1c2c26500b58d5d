package dev.modelregistry.internal.engine;

import dev.modelregistry.AlreadyExistsException;
import dev.modelregistry.Approval;
import dev.modelregistry.DatasetRef;
import dev.modelregistry.Gate;
import dev.modelregistry.GateContext;
import dev.modelregistry.GateOutcome;
import dev.modelregistry.GateReport;
import dev.modelregistry.GateResult;
import dev.modelregistry.GateSpec;
import dev.modelregistry.ModelVersion;
import dev.modelregistry.Principal;
import dev.modelregistry.PromotionRejected;
import dev.modelregistry.PromotionRequested;
import dev.modelregistry.PromotionResult;
import dev.modelregistry.RegistryEvent;
import dev.modelregistry.RequestId;
import dev.modelregistry.SemVer;
import dev.modelregistry.Stage;
import dev.modelregistry.StageChange;
import dev.modelregistry.StageChanged;
import dev.modelregistry.TrustCheck;
import dev.modelregistry.TrustPolicy;
import dev.modelregistry.internal.gate.GateEngine;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Plans promotions: the gates of the transition are evaluated (user-code gates by the commit loop,
 * outside the model's lock; built-in gates, the release approval and the trust check here) and the
 * outcome is the move itself when every gate passed, an open request when some are pending, and a
 * recorded refusal when one failed. Pure, given the gate engine's configuration.
 */
public final class PromotionPlanner {
    /** The name of the gate that checks signatures against the trust policy, in gate reports. */
    public static final String TRUST_GATE = "trusted-signatures";

    private final GateEngine gates;

    public PromotionPlanner(GateEngine gates) {
        this.gates = gates;
    }

    /**
     * Promotion of {@code version} into {@code to} by {@code by}; a principal who may only request
     * promotions ({@code direct} false) always waits for a release approval.
     */
    public Command<PromotionResult> promote(Principal by, SemVer version, Stage to, boolean direct) {
        return new Command<>() {
            @Override
            public GateRun gates(ModelState state, PolicySnapshot policies, Instant now) {
                Stage from = Moves.checkMove(state, policies.lifecycle(), version, to);
                for (ModelState.Request open : state.openRequests()) {
                    if (open.version.equals(version) && open.to.equals(to)) {
                        throw new AlreadyExistsException("Promotion of " + state.model() + "@" + version + " to " + to
                                + " is already requested: " + new RequestId(state.model(), open.id));
                    }
                }
                return new GateRun(specs(policies, from, to, !direct),
                        context(state, state.require(version), from, to, List.of(), by, now));
            }

            @Override
            public Plan<PromotionResult> plan(ModelState state, PolicySnapshot policies, Instant now,
                                              Map<String, Gate.Verdict> customVerdicts) {
                GateRun run = gates(state, policies, now);
                Stage from = run.context().from();
                GateReport report = report(state, policies, run, customVerdicts);
                switch (report.outcome()) {
                    case FAILED -> {
                        String message = "Promotion of " + state.model() + "@" + version + " to " + to + " refused by its gates";
                        return new Plan<>(List.of(new PromotionRejected(version, from, to, report)),
                                sealed -> new Outcome.Rejected<>(message, report));
                    }
                    case PENDING -> {
                        return Plan.applied(List.of(new PromotionRequested(version, from, to, report)),
                                sealed -> new PromotionResult(report, null, RequestViews.view(state.model(),
                                        state.request(sealed.get(0).sequence()).orElseThrow(), policies)));
                    }
                    default -> {
                        List<RegistryEvent> moves = Moves.moveInto(state, policies.lifecycle(), version, from, to, report, null);
                        return Plan.applied(Moves.withStaleRequestsClosed(state, moves, null),
                                sealed -> new PromotionResult(report, Moves.stageChangeOf(sealed, version), null));
                    }
                }
            }
        };
    }

    /** Archiving: a move to the lifecycle's archive stage, with no gates. */
    public static Command<StageChange> archive(SemVer version) {
        return (state, policies, now, verdicts) -> {
            Stage archive = policies.lifecycle().archiveStage();
            Stage from = Moves.checkMove(state, policies.lifecycle(), version, archive);
            List<RegistryEvent> moves = List.of(new StageChanged(version, from, archive, StageChange.Kind.ARCHIVE));
            return Plan.applied(Moves.withStaleRequestsClosed(state, moves, null), sealed -> Moves.stageChangeOf(sealed, version));
        };
    }

    /** The gates of a move from {@code from} to {@code to}, with the release approval when it is needed. */
    static List<GateSpec> specs(PolicySnapshot policies, Stage from, Stage to, boolean needsReleaseApproval) {
        List<GateSpec> specs = new ArrayList<>(policies.gates().gatesFor(from, to));
        if (needsReleaseApproval) {
            specs.add(new GateSpec.Custom(PolicySnapshot.RELEASE_APPROVAL));
        }
        return specs;
    }

    /** The full report of {@code run}: every gate, then the trust policy's verdict where it applies. */
    GateReport report(ModelState state, PolicySnapshot policies, GateRun run, Map<String, Gate.Verdict> customVerdicts) {
        GateReport report = gates.report(run.specs(), run.context(), customVerdicts, policies.inlineGates());
        return withTrustGate(report, state, run.context().candidate(), run.context().to(), policies.trust());
    }

    static GateContext context(ModelState state, ModelVersion candidate, Stage from, Stage to, List<Approval> approvals,
                               Principal requester, Instant now) {
        Optional<ModelVersion> incumbent = state.current(to);
        return new GateContext(state.model(), candidate, incumbent, from, to,
                state.latestEvaluations(candidate.version()),
                incumbent.map(i -> state.latestEvaluations(i.version())).orElse(Map.of()),
                state.canonicalEvaluationSet().map(DatasetRef::id),
                state.card(candidate.version()), approvals, requester, now);
    }

    /**
     * Adds the trust policy's verdict to a gate report when the policy requires signatures for
     * {@code to}: the candidate's manifest is recomputed from the version as stored and every
     * recorded signature verified. Signatures are model state a {@link GateContext} does not carry,
     * so this runs here rather than as a gate; the result sits in the same report, so a refusal is
     * logged with the decision like any failed gate.
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
}
