package dev.modelregistry;


/**
 * A promotion refused because a gate failed. The report names every gate's outcome and the figures
 * it looked at; the refusal itself is recorded in the model's log.
 */
public class GateRejectedException extends RegistryException {
    private final transient GateReport report;

    public GateRejectedException(String message, GateReport report) {
        super(message + "\n" + report.summary());
        this.report = report;
    }

    public GateReport report() {
        return report;
    }
}
