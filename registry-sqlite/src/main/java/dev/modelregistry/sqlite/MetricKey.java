package dev.modelregistry.sqlite;

/**
 * Maps a double to a long whose signed order is {@link Double#compare} order (so {@code -0.0} sorts
 * below {@code 0.0}, as the core's comparators have it, while SQLite's REAL comparison calls them
 * equal). Metric values are always finite, so NaN never occurs.
 */
final class MetricKey {
    private MetricKey() {
    }

    static long of(double value) {
        long bits = Double.doubleToLongBits(value);
        // Negative doubles order inversely to their bit patterns: flip every bit but the sign.
        return bits ^ ((bits >> 63) & Long.MAX_VALUE);
    }
}
