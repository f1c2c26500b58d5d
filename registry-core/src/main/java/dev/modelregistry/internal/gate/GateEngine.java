package dev.modelregistry.internal.gate;

import dev.modelregistry.Gate;
import dev.modelregistry.GateContext;
import dev.modelregistry.GateOutcome;
import dev.modelregistry.GatePolicy;
import dev.modelregistry.GateReport;
import dev.modelregistry.GateResult;
import dev.modelregistry.GateSpec;
import dev.modelregistry.Gates;
import dev.modelregistry.internal.util.MessageText;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Evaluates the gates of a transition into a {@link GateReport}. Every gate runs, also after one
 * has failed, so the stored report says everything that stands between the candidate and the
 * stage, not just the first obstacle.
 *
 * <p>Gates fail closed: a gate that throws, returns no verdict, cannot be scheduled or runs past
 * the time limit counts as {@link GateOutcome#FAILED}, with the cause in its reasons. Custom gates
 * (user code, which may block on I/O) run on the given executor, one at a time, each limited to
 * {@code timeoutPerGate} from its submission and cancelled (interrupted) when it runs over; the
 * executor should therefore have a thread free for gate evaluation, or queueing counts against the
 * limit. Built-in gates are pure functions of the context and run inline on the caller's thread.
 *
 * <p>The engine holds no state besides its configuration and is safe for concurrent use.
 */
public final class GateEngine {
    private static final Logger LOG = LoggerFactory.getLogger(GateEngine.class);

    private final Map<String, Gate> customGates;
    private final Duration timeoutPerGate;
    private final ExecutorService executor;

    /**
     * @param customGates    gates registered from code, by the name policies use in {@code custom} gates
     * @param timeoutPerGate how long one custom gate may take; positive
     * @param executor       where custom gates run; owned by the caller, who shuts it down
     */
    public GateEngine(Map<String, Gate> customGates, Duration timeoutPerGate, ExecutorService executor) {
        if (customGates == null) {
            throw new IllegalArgumentException("customGates must not be null; pass Map.of() for none");
        }
        Map<String, Gate> copy = new LinkedHashMap<>();
        customGates.forEach((name, gate) -> {
            new GateSpec.Custom(name); // validates the name as a policy would
            if (gate == null) {
                throw new IllegalArgumentException("Custom gate " + MessageText.quote(name) + " is null");
            }
            copy.put(name, gate);
        });
        if (timeoutPerGate == null || timeoutPerGate.isNegative() || timeoutPerGate.isZero()) {
            throw new IllegalArgumentException("timeoutPerGate must be positive, was " + timeoutPerGate);
        }
        if (executor == null) {
            throw new IllegalArgumentException("executor must not be null");
        }
        this.customGates = Map.copyOf(copy);
        this.timeoutPerGate = timeoutPerGate;
        this.executor = executor;
    }

    /** The gates of the context's transition ({@code from -> to}) in {@code policy}. */
    public GateReport evaluate(GatePolicy policy, GateContext context) {
        return evaluate(policy.gatesFor(context.from(), context.to()), context);
    }

    /** Runs every gate in order against {@code context}; the report has one result per gate, in the same order. */
    public GateReport evaluate(List<GateSpec> gates, GateContext context) {
        return report(gates, context, evaluateCustom(gates, context), Map.of());
    }

    /** Whether any of {@code gates} is user code, which {@link #evaluateCustom} runs under a time limit. */
    public boolean hasCustom(List<GateSpec> gates) {
        for (GateSpec spec : gates) {
            if (spec instanceof GateSpec.Custom custom && customGates.containsKey(custom.name())) {
                return true;
            }
        }
        return false;
    }

    /**
     * Runs the custom gates (user code) among {@code gates}, each under the time limit, and returns
     * their verdicts by gate name. The registry calls this without holding any lock, against a
     * context taken at one position of the model's log, and keeps the verdicts for as long as the log
     * has not moved.
     */
    public Map<String, Gate.Verdict> evaluateCustom(List<GateSpec> gates, GateContext context) {
        Map<String, Gate.Verdict> verdicts = new LinkedHashMap<>();
        for (GateSpec spec : gates) {
            if (spec instanceof GateSpec.Custom custom && customGates.containsKey(custom.name())) {
                verdicts.put(custom.name(), runLimited(spec, customGates.get(custom.name()), context));
            }
        }
        return verdicts;
    }

    /**
     * The report of {@code gates}: custom gates answer with their verdict from {@code customVerdicts}
     * (a custom gate missing there fails closed), the registry's own gates in {@code inline} and the
     * built-in gates are evaluated here, on the caller's thread: they are pure functions of the context.
     */
    public GateReport report(List<GateSpec> gates, GateContext context, Map<String, Gate.Verdict> customVerdicts,
                             Map<String, Gate> inline) {
        List<GateResult> results = new ArrayList<>(gates.size());
        for (GateSpec spec : gates) {
            Gate.Verdict verdict;
            if (spec instanceof GateSpec.Custom custom && inline.containsKey(custom.name())) {
                verdict = runInline(spec, inline.get(custom.name()), context);
            } else if (spec instanceof GateSpec.Custom custom && customGates.containsKey(custom.name())) {
                verdict = customVerdicts.get(custom.name());
                if (verdict == null) {
                    verdict = failed("gate " + MessageText.quote(spec.name()) + " was not evaluated");
                }
            } else {
                verdict = runInline(spec, null, context);
            }
            results.add(new GateResult(spec.name(), spec.type(), verdict.outcome(), verdict.reasons(), verdict.figures()));
        }
        return new GateReport(context.from(), context.to(), results);
    }

    private Gate.Verdict runInline(GateSpec spec, Gate gate, GateContext context) {
        try {
            return checked(spec, (gate != null ? gate : spec.toGate(customGates)).evaluate(context));
        } catch (Exception e) {
            return threw(spec, e);
        }
    }

    private Gate.Verdict runLimited(GateSpec spec, Gate gate, GateContext context) {
        Future<Gate.Verdict> future;
        try {
            future = executor.submit(() -> gate.evaluate(context));
        } catch (RejectedExecutionException e) {
            LOG.warn("Gate {} could not be scheduled", spec.name(), e);
            return failed("gate " + MessageText.quote(spec.name()) + " could not be scheduled: the executor refused it ("
                    + e.getMessage() + ")");
        }
        try {
            return checked(spec, future.get(timeoutPerGate.toNanos(), TimeUnit.NANOSECONDS));
        } catch (TimeoutException e) {
            future.cancel(true);
            LOG.warn("Gate {} timed out after {} and was cancelled", spec.name(), timeoutPerGate);
            return failed("gate " + MessageText.quote(spec.name()) + " timed out after " + describe(timeoutPerGate)
                    + " and was cancelled");
        } catch (ExecutionException e) {
            return threw(spec, e.getCause() == null ? e : e.getCause());
        } catch (CancellationException e) {
            return failed("gate " + MessageText.quote(spec.name()) + " was cancelled before it finished");
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            return failed("gate " + MessageText.quote(spec.name()) + " was not evaluated: the evaluating thread was interrupted");
        }
    }

    private static Gate.Verdict checked(GateSpec spec, Gate.Verdict verdict) {
        return verdict != null ? verdict : failed("gate " + MessageText.quote(spec.name()) + " returned no verdict");
    }

    private static Gate.Verdict threw(GateSpec spec, Throwable e) {
        LOG.warn("Gate {} threw; counting it as failed", spec.name(), e);
        return failed("gate " + MessageText.quote(spec.name()) + " threw " + e.getClass().getName()
                + (e.getMessage() == null ? "" : ": " + e.getMessage()));
    }

    private static Gate.Verdict failed(String reason) {
        return Gate.Verdict.failed(reason, Map.of());
    }

    private static String describe(Duration d) {
        return d.toMillis() < 10_000 && d.toNanos() % 1_000_000 == 0 ? d.toMillis() + " ms" : d.toString();
    }
}
