package dev.modelregistry.internal.engine;

import dev.modelregistry.GateRejectedException;
import dev.modelregistry.GateReport;

/**
 * How a write ended, as a value: inside the engine a refusal by the gates is data (it is logged with
 * the decision like any other outcome); only the API boundary turns it into the documented
 * {@link GateRejectedException}, through {@link #orThrow()}.
 */
public sealed interface Outcome<R> {

    /** The write was applied (or had nothing to change); {@code value} is the caller's result. */
    record Applied<R>(R value) implements Outcome<R> {
    }

    /** The gates refused; the refusal was recorded in the log with {@code report}. */
    record Rejected<R>(String message, GateReport report) implements Outcome<R> {
    }

    /** The result, or {@link GateRejectedException} for a refusal: what the API promises its callers. */
    default R orThrow() {
        if (this instanceof Rejected<R> r) {
            throw new GateRejectedException(r.message(), r.report());
        }
        return ((Applied<R>) this).value();
    }
}
