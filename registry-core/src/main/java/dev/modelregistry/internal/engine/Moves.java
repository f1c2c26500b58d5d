package dev.modelregistry.internal.engine;

import dev.modelregistry.GateReport;
import dev.modelregistry.Lifecycle;
import dev.modelregistry.LogEntry;
import dev.modelregistry.ModelVersion;
import dev.modelregistry.NotFoundException;
import dev.modelregistry.PromotionRequest;
import dev.modelregistry.RegistryEvent;
import dev.modelregistry.RequestClosed;
import dev.modelregistry.SemVer;
import dev.modelregistry.Stage;
import dev.modelregistry.StageChange;
import dev.modelregistry.StageChanged;
import dev.modelregistry.IllegalTransitionException;
import dev.modelregistry.StateConflictException;
import java.util.ArrayList;
import java.util.List;

/** The rules every stage move shares (promotion, approval, archive, rollback). Pure. */
public final class Moves {
    private Moves() {
    }

    /** Refuses any write to a model without a log. */
    public static void requireExists(ModelState state) {
        if (!state.exists()) {
            throw new NotFoundException("No model named " + state.model());
        }
    }

    /** The candidate's current stage, after checking that it may move to {@code to}. */
    public static Stage checkMove(ModelState state, Lifecycle lifecycle, SemVer version, Stage to) {
        requireExists(state);
        ModelVersion candidate = state.require(version);
        Stage from = state.stageOf(version);
        if (from.equals(to)) {
            throw new StateConflictException(candidate + " is already in " + to);
        }
        if (!lifecycle.allows(from, to)) {
            throw new IllegalTransitionException("Cannot move " + candidate + " from " + from + " to " + to
                    + "; allowed from " + from + ": " + lifecycle.transitionsFrom(from));
        }
        return from;
    }

    /** The events that move {@code version} into {@code to}, displacing an exclusive stage's holder first. */
    public static List<RegistryEvent> moveInto(ModelState state, Lifecycle lifecycle, SemVer version, Stage from, Stage to,
                                               GateReport report, Long request) {
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
    public static List<RegistryEvent> withStaleRequestsClosed(ModelState state, List<RegistryEvent> moves, Long completing) {
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

    /** The stage change of {@code version} among the entries just appended. */
    public static StageChange stageChangeOf(List<LogEntry> sealed, SemVer version) {
        for (int i = sealed.size() - 1; i >= 0; i--) {
            LogEntry e = sealed.get(i);
            if (e.event() instanceof StageChanged c && c.version().equals(version)) {
                return new StageChange(e.model(), e.sequence(), e.time(), e.principal(), e.reason(), c.version(), c.from(), c.to(), c.kind());
            }
        }
        throw new IllegalStateException("No stage change of " + version + " among the appended entries");
    }
}
