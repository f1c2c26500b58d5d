package dev.modelregistry;


/**
 * A version moved from one stage to another. A promotion into an exclusive stage that displaces
 * the previous holder is two of these in one atomic append (the holder out, the candidate in), so
 * no reader ever sees two holders or none in between. A promotion carries the gate report that
 * allowed it and, when it completed a request, that request's id.
 */
public record StageChanged(SemVer version, Stage from, Stage to, StageChange.Kind kind, GateReport report, Long request)
        implements RegistryEvent {
    public StageChanged {
        if (version == null || from == null || to == null || kind == null) {
            throw new ValidationException("StageChanged needs a version, from, to and kind");
        }
    }

    /** A move that no gate evaluation or request led to (displacements, rollbacks). */
    public StageChanged(SemVer version, Stage from, Stage to, StageChange.Kind kind) {
        this(version, from, to, kind, null, null);
    }
}
