package dev.modelregistry;

/** The outcome of one metric in a comparison, from the candidate's point of view. */
public enum Verdict {
    /** The candidate is better, in the metric's direction. */
    BETTER,
    /** The candidate is worse: a regression. */
    WORSE,
    /** Equal within a relative epsilon of 1e-9. */
    SAME,
    /** Only the baseline recorded this metric: it cannot be compared, and it is reported rather than dropped. */
    ONLY_IN_BASELINE,
    /** Only the candidate recorded this metric. */
    ONLY_IN_CANDIDATE
}
