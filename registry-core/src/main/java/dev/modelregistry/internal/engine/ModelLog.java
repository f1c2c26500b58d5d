package dev.modelregistry.internal.engine;

import dev.modelregistry.ConcurrentUpdateException;
import dev.modelregistry.Gate;
import dev.modelregistry.LogEntry;
import dev.modelregistry.ModelName;
import dev.modelregistry.Principal;
import dev.modelregistry.RegistryEvent;
import dev.modelregistry.Sha256;
import dev.modelregistry.internal.gate.GateEngine;
import dev.modelregistry.EventStore;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * One model's log as this registry knows it: its folded {@link ModelState}, the serving view of it,
 * and the commit loop, the one place where the registry writes. Everything that touches the state
 * holds this object's lock; the serving path reads only {@link #view}.
 *
 * <p>A write ({@link #write}) refreshes the state from the store, asks the command for the
 * user-code gates it needs and, if there are any, evaluates them <em>without</em> the lock against
 * that position of the log; then, under the lock, plans against the state and commits with a
 * compare-and-swap on the log's last sequence ({@link #commit}). Whenever the log has moved in
 * between (another writer here, another process, a lost race in the store) the command is planned
 * again, and its gates are evaluated again; when nothing moved, they run once.
 */
public final class ModelLog {
    /** What every log's commit loop works with. */
    public record Context(EventStore store, Clock clock, GateEngine gates, int maxAttempts) {
    }

    /** The model's name as a string, and its spread hash: the serving index's key. */
    final String key;
    final int hash;
    private final ModelState state;
    private final Context context;
    /** The current version of every stage as of a store change token; replaced, never mutated. */
    volatile ServingView view = ServingView.NONE;

    ModelLog(ModelName name, Context context) {
        this.key = name.value();
        this.hash = ServingIndex.spread(key);
        this.state = new ModelState(name);
        this.context = context;
    }

    public ModelName name() {
        return state.model();
    }

    /** Runs {@code read} on the state as this registry last saw it; {@link ModelLogs#load} has caught it up. */
    synchronized <T> T read(Function<ModelState, T> read) {
        return read.apply(state);
    }

    synchronized boolean exists() {
        return state.exists();
    }

    /** Brings the state up to the end of the store's log. Caller holds the lock. */
    void refresh() {
        for (LogEntry e : context.store().read(state.model(), state.lastSequence() + 1)) {
            state.apply(e);
        }
    }

    /** Catches up and publishes a new serving view at {@code token}. */
    synchronized void refreshView(long token, dev.modelregistry.Stage[] served) {
        refresh();
        view = new ServingView(token, served, state.currentOf(served));
    }

    /**
     * Appends {@code entries} if the log still ends at {@code base}, and folds them into the state.
     * Caller holds the lock. False when the log moved: nothing was written, and the caller plans again.
     */
    boolean commit(long base, List<LogEntry> entries) {
        try {
            context.store().append(state.model(), base, entries);
        } catch (ConcurrentUpdateException lostRace) {
            return false;
        }
        for (LogEntry e : entries) {
            state.apply(e);
        }
        return true;
    }

    /** Plans {@code command} against the current state and commits it; see the class comment. */
    public <R> Outcome<R> write(Principal by, String reason, PolicySnapshot policies, Command<R> command) {
        Map<String, Gate.Verdict> verdicts = null;
        long verdictsAt = -1;
        int commits = 0;
        int evaluations = 0;
        while (commits < context.maxAttempts()) {
            GateRun pending;
            long base;
            synchronized (this) {
                refresh();
                Instant now = context.clock().instant();
                base = state.lastSequence();
                GateRun run = command.gates(state, policies, now);
                boolean needsEvaluation = run != null && context.gates().hasCustom(run.specs())
                        && (verdicts == null || verdictsAt != base);
                if (!needsEvaluation) {
                    Plan<R> plan = command.plan(state, policies, now, verdicts == null ? Map.of() : verdicts);
                    if (plan.events().isEmpty()) {
                        return plan.outcome().apply(List.of());
                    }
                    List<LogEntry> sealed = seal(now, by, reason, plan.events());
                    plan.check().accept(sealed);
                    if (commit(base, sealed)) {
                        return plan.outcome().apply(sealed);
                    }
                    commits++;
                    continue;
                }
                pending = run;
            }
            if (evaluations == context.maxAttempts()) {
                break; // the log moved after each evaluation: every attempt's verdicts went stale before it could commit
            }
            evaluations++;
            verdicts = context.gates().evaluateCustom(pending.specs(), pending.context());
            verdictsAt = base;
        }
        throw new ConcurrentUpdateException("Gave up writing to " + state.model() + " after " + context.maxAttempts()
                + " attempts: other writers kept appending first");
    }

    /** Plans {@code command} (which must need no user-code gates) and checks its sealed entries, without committing. */
    synchronized <R> void dryRun(Principal by, String reason, PolicySnapshot policies, Command<R> command) {
        refresh();
        Instant now = context.clock().instant();
        Plan<R> plan = command.plan(state, policies, now, Map.of());
        plan.check().accept(seal(now, by, reason, plan.events()));
    }

    /** Numbers and chains {@code events} after the end of the log; each entry is serialised once, here. */
    private List<LogEntry> seal(Instant now, Principal by, String reason, List<RegistryEvent> events) {
        List<LogEntry> sealed = new ArrayList<>(events.size());
        long seq = state.lastSequence();
        Sha256 prev = state.lastHash();
        for (RegistryEvent event : events) {
            LogEntry e = LogEntry.seal(state.model(), ++seq, now, by.name(), reason, prev, event);
            sealed.add(e);
            prev = e.hash();
        }
        return sealed;
    }
}
