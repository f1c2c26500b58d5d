package dev.modelregistry;

/** Which way a metric improves; a comparison cannot say "better" without it. */
public enum Direction {
    /** Larger values are better (AUC, accuracy, recall, …). */
    HIGHER_IS_BETTER,
    /** Smaller values are better (log loss, error rates, latency, cost, …). */
    LOWER_IS_BETTER;

    /**
     * How much worse {@code candidate} is than {@code baseline} in this direction: positive when worse,
     * negative when better.
     */
    public double worseBy(double baseline, double candidate) {
        return this == HIGHER_IS_BETTER ? baseline - candidate : candidate - baseline;
    }
}
