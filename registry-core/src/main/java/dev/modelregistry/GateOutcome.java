package dev.modelregistry;

/** The verdict of one gate, and of a whole report. */
public enum GateOutcome {
    /** The gate is satisfied. */
    PASSED,
    /** The gate is not satisfied yet but may be (a manual approval still to come). */
    PENDING,
    /** The gate refuses the promotion. */
    FAILED
}
