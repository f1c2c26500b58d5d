package dev.modelregistry;

import java.util.Locale;

/**
 * What the registry knows about a metric: which way is better, how many decimals to show, and what it
 * measures.
 *
 * @param name             the metric name as recorded in evaluations, e.g. {@code auc} or {@code latency_p99_ms}
 * @param direction        which way is better
 * @param displayPrecision decimals shown in reports (0–12); values in JSON are never rounded
 * @param description      one line for people reading a report
 */
public record MetricDefinition(String name, Direction direction, int displayPrecision, String description) {
    public static final int MAX_PRECISION = 12;

    public MetricDefinition {
        if (name == null || name.isEmpty() || name.chars().anyMatch(c -> c <= 0x20 || c >= 0x7f)) {
            throw new ValidationException("Invalid metric name " + Render.quote(name) + ": must be non-empty printable ASCII without spaces");
        }
        if (direction == null) {
            throw new ValidationException("Metric " + Render.quote(name) + " needs a direction (HIGHER_IS_BETTER or LOWER_IS_BETTER)");
        }
        if (displayPrecision < 0 || displayPrecision > MAX_PRECISION) {
            throw new ValidationException("Display precision of metric " + Render.quote(name) + " must be 0-" + MAX_PRECISION
                    + ", was " + displayPrecision);
        }
        description = description == null ? "" : description;
    }

    /** {@code value} with {@link #displayPrecision()} decimals. */
    public String format(double value) {
        return String.format(Locale.ROOT, "%." + displayPrecision + "f", value);
    }

    /** {@code delta} with a sign and {@link #displayPrecision()} decimals, e.g. {@code +0.0200}. */
    public String formatDelta(double delta) {
        return String.format(Locale.ROOT, "%+." + displayPrecision + "f", delta);
    }

    /** The same definition under another name, for metrics matched by a pattern. */
    MetricDefinition named(String metric) {
        return new MetricDefinition(metric, direction, displayPrecision, description);
    }
}
