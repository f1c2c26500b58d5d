package dev.modelregistry;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.OptionalDouble;

/**
 * One metric (or operational figure) of a comparison: both values, the difference and the verdict.
 *
 * @param definition    the metric, with its direction and display precision
 * @param baseline      the baseline's value, empty when only the candidate has it
 * @param candidate     the candidate's value, empty when only the baseline has it
 * @param delta         candidate minus baseline, when both exist
 * @param relativeDelta delta over the absolute baseline value, when both exist and the baseline is not zero
 * @param verdict       better, worse or the same in the metric's direction, or which side alone has it
 */
public record MetricRow(MetricDefinition definition, OptionalDouble baseline, OptionalDouble candidate,
                        OptionalDouble delta, OptionalDouble relativeDelta, Verdict verdict) {
    /** Relative tolerance under which two values count as the same (floating-point noise, not a change). */
    public static final double EPSILON = 1e-9;

    public MetricRow {
        if (definition == null || verdict == null) {
            throw new ValidationException("A metric row needs a definition and a verdict");
        }
        baseline = baseline == null ? OptionalDouble.empty() : baseline;
        candidate = candidate == null ? OptionalDouble.empty() : candidate;
        delta = delta == null ? OptionalDouble.empty() : delta;
        relativeDelta = relativeDelta == null ? OptionalDouble.empty() : relativeDelta;
    }

    /** Compares two values of one metric; either may be null when that side did not record it. */
    public static MetricRow of(MetricDefinition definition, Double baseline, Double candidate) {
        if (baseline == null && candidate == null) {
            throw new ValidationException("Metric " + Render.quote(definition.name()) + " has a value on neither side");
        }
        if (baseline == null) {
            return new MetricRow(definition, OptionalDouble.empty(), OptionalDouble.of(candidate), OptionalDouble.empty(),
                    OptionalDouble.empty(), Verdict.ONLY_IN_CANDIDATE);
        }
        if (candidate == null) {
            return new MetricRow(definition, OptionalDouble.of(baseline), OptionalDouble.empty(), OptionalDouble.empty(),
                    OptionalDouble.empty(), Verdict.ONLY_IN_BASELINE);
        }
        double delta = candidate - baseline;
        OptionalDouble relative = baseline == 0 ? OptionalDouble.empty() : OptionalDouble.of(delta / Math.abs(baseline));
        double worseBy = definition.direction().worseBy(baseline, candidate);
        Verdict verdict = same(baseline, candidate) ? Verdict.SAME : worseBy > 0 ? Verdict.WORSE : Verdict.BETTER;
        return new MetricRow(definition, OptionalDouble.of(baseline), OptionalDouble.of(candidate), OptionalDouble.of(delta),
                relative, verdict);
    }

    static boolean same(double a, double b) {
        return Math.abs(a - b) <= EPSILON * Math.max(1, Math.max(Math.abs(a), Math.abs(b)));
    }

    /** The metric's name. */
    public String metric() {
        return definition.name();
    }

    List<String> cells() {
        return List.of(metric(), value(baseline), value(candidate),
                delta.isPresent() ? definition.formatDelta(delta.getAsDouble()) : "",
                relativeDelta.isPresent() ? String.format(java.util.Locale.ROOT, "%+.2f%%", relativeDelta.getAsDouble() * 100) : "",
                verdict.name());
    }

    private String value(OptionalDouble v) {
        return v.isPresent() ? definition.format(v.getAsDouble()) : "-";
    }

    ObjectNode toJson() {
        ObjectNode n = Render.object();
        n.put("metric", metric());
        n.put("direction", definition.direction().name());
        put(n, "baseline", baseline);
        put(n, "candidate", candidate);
        put(n, "delta", delta);
        put(n, "relativeDelta", relativeDelta);
        n.put("verdict", verdict.name());
        return n;
    }

    static void put(ObjectNode n, String key, OptionalDouble v) {
        if (v.isPresent()) {
            n.put(key, v.getAsDouble());
        } else {
            n.putNull(key);
        }
    }
}
