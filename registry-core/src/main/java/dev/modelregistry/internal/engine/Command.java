package dev.modelregistry.internal.engine;

import dev.modelregistry.Gate;
import java.time.Instant;
import java.util.Map;

/**
 * One write, as the commit loop sees it. {@link #plan} is pure: a function of the model's folded
 * state at one position of its log, the policies taken at the start of the write, the time, and the
 * verdicts of user-code gates evaluated against that same position. It validates by throwing
 * before anything is written, and otherwise returns the events to append.
 */
@FunctionalInterface
public interface Command<R> {

    Plan<R> plan(ModelState state, PolicySnapshot policies, Instant now, Map<String, Gate.Verdict> customVerdicts);

    /**
     * The user-code gates this write needs evaluated against {@code state}, or null when none. The
     * commit loop evaluates them without holding the model's lock and calls {@link #plan} with their
     * verdicts once the log is still where they were evaluated. Pure, like {@link #plan}.
     */
    default GateRun gates(ModelState state, PolicySnapshot policies, Instant now) {
        return null;
    }
}
