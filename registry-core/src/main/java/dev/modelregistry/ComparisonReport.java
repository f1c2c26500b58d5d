package dev.modelregistry;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * A candidate version against a baseline on one exact evaluation set: per-metric values, deltas and
 * verdicts, the same for operational figures (latency, memory, size, cost), and the error analysis —
 * the slices where the candidate is worse than the baseline by more than a tolerance, worst first.
 *
 * <p>Numbers measured on different data cannot be compared, so {@link #compare} refuses unless both
 * versions were evaluated on the very same set (same {@link DatasetRef#id()}). Every metric must be
 * declared in the {@link MetricCatalog}, because its direction decides what a regression is; a metric
 * that only one side recorded is reported as such rather than dropped.
 *
 * <p>Renders as an aligned text table ({@link #toText()}), GitHub Markdown ({@link #toMarkdown()}) and
 * JSON with sorted keys and unrounded values ({@link #toJson()}).
 */
public final class ComparisonReport {
    private final String baseline;
    private final String candidate;
    private final DatasetRef evaluationSet;
    private final double sliceTolerance;
    private final List<MetricRow> metrics;
    private final List<MetricRow> operational;
    private final List<SliceRegression> worseSlices;
    private final List<String> slicesOnlyInBaseline;
    private final List<String> slicesOnlyInCandidate;

    private ComparisonReport(String baseline, String candidate, DatasetRef evaluationSet, double sliceTolerance,
                             List<MetricRow> metrics, List<MetricRow> operational, List<SliceRegression> worseSlices,
                             List<String> slicesOnlyInBaseline, List<String> slicesOnlyInCandidate) {
        this.baseline = baseline;
        this.candidate = candidate;
        this.evaluationSet = evaluationSet;
        this.sliceTolerance = sliceTolerance;
        this.metrics = List.copyOf(metrics);
        this.operational = List.copyOf(operational);
        this.worseSlices = List.copyOf(worseSlices);
        this.slicesOnlyInBaseline = List.copyOf(slicesOnlyInBaseline);
        this.slicesOnlyInCandidate = List.copyOf(slicesOnlyInCandidate);
    }

    /**
     * Compares {@code candidate} against {@code baseline} on {@code evaluationSet}.
     *
     * @param baselineEvaluationsBySetId  the baseline's latest evaluation per evaluation set id
     * @param candidateEvaluationsBySetId the candidate's latest evaluation per evaluation set id
     * @param sliceTolerance              how much worse (in the metric's unit, in its direction) a slice may
     *                                    be before it is reported; finite and not negative
     * @throws ValidationException if either version has no evaluation on exactly that set (naming the sets
     *                             each has), if a metric is not declared in {@code catalog}, or if the
     *                             tolerance is negative or not finite
     */
    public static ComparisonReport compare(ModelVersion baseline, Map<String, Evaluation> baselineEvaluationsBySetId,
                                           ModelVersion candidate, Map<String, Evaluation> candidateEvaluationsBySetId,
                                           DatasetRef evaluationSet, MetricCatalog catalog, double sliceTolerance) {
        if (baseline == null || candidate == null || evaluationSet == null || catalog == null
                || baselineEvaluationsBySetId == null || candidateEvaluationsBySetId == null) {
            throw new ValidationException("A comparison needs both versions, their evaluations, the evaluation set and a metric catalog");
        }
        if (!Double.isFinite(sliceTolerance) || sliceTolerance < 0) {
            throw new ValidationException("Slice tolerance must be a finite number >= 0, was " + sliceTolerance);
        }
        String set = evaluationSet.id();
        Evaluation b = baselineEvaluationsBySetId.get(set);
        Evaluation c = candidateEvaluationsBySetId.get(set);
        if (b == null || c == null) {
            String problem = b == null && c == null ? "neither version has an evaluation on it"
                    : b == null ? "the baseline " + baseline + " has no evaluation on it"
                    : "the candidate " + candidate + " has no evaluation on it";
            throw new ValidationException("Cannot compare " + candidate + " against " + baseline + " on evaluation set " + set + ": "
                    + problem
                    + "; numbers measured on different sets cannot be compared. Evaluation sets of the baseline " + baseline + ": "
                    + new TreeSet<>(baselineEvaluationsBySetId.keySet()) + "; of the candidate " + candidate + ": "
                    + new TreeSet<>(candidateEvaluationsBySetId.keySet()));
        }
        checkSet(baseline, b, set);
        checkSet(candidate, c, set);

        List<SliceRegression> worse = new ArrayList<>();
        List<String> onlyBaseline = new ArrayList<>();
        List<String> onlyCandidate = new ArrayList<>();
        TreeSet<String> slices = new TreeSet<>(b.slices().keySet());
        slices.addAll(c.slices().keySet());
        for (String slice : slices) {
            Map<String, Double> bs = b.slices().get(slice);
            Map<String, Double> cs = c.slices().get(slice);
            if (bs == null) {
                onlyCandidate.add(slice);
                continue;
            }
            if (cs == null) {
                onlyBaseline.add(slice);
                continue;
            }
            for (Map.Entry<String, Double> e : bs.entrySet()) {
                Double cv = cs.get(e.getKey());
                if (cv == null) {
                    continue;
                }
                MetricDefinition d = catalog.get(e.getKey());
                double by = d.direction().worseBy(e.getValue(), cv);
                if (by > sliceTolerance && !MetricRow.same(by, sliceTolerance)) {
                    worse.add(new SliceRegression(slice, d, e.getValue(), cv, by));
                }
            }
        }
        worse.sort(Comparator.comparingDouble(SliceRegression::worseBy).reversed()
                .thenComparing(SliceRegression::slice).thenComparing(SliceRegression::metric));
        return new ComparisonReport(baseline.toString(), candidate.toString(), evaluationSet, sliceTolerance,
                rows(b.metrics(), c.metrics(), catalog), rows(b.operational(), c.operational(), catalog), worse,
                onlyBaseline, onlyCandidate);
    }

    private static void checkSet(ModelVersion v, Evaluation e, String set) {
        if (!e.dataset().id().equals(set)) {
            throw new ValidationException("The evaluation of " + v + " filed under set " + set + " was measured on "
                    + e.dataset().id());
        }
    }

    private static List<MetricRow> rows(Map<String, Double> b, Map<String, Double> c, MetricCatalog catalog) {
        TreeSet<String> names = new TreeSet<>(b.keySet());
        names.addAll(c.keySet());
        List<MetricRow> rows = new ArrayList<>();
        for (String name : names) {
            rows.add(MetricRow.of(catalog.get(name), b.get(name), c.get(name)));
        }
        return rows;
    }

    /** The baseline version, {@code model@version}. */
    public String baseline() {
        return baseline;
    }

    /** The candidate version, {@code model@version}. */
    public String candidate() {
        return candidate;
    }

    public DatasetRef evaluationSet() {
        return evaluationSet;
    }

    public double sliceTolerance() {
        return sliceTolerance;
    }

    /** Overall metrics, by name. */
    public List<MetricRow> metrics() {
        return metrics;
    }

    /** Operational figures (latency, memory, size, cost), by name. */
    public List<MetricRow> operational() {
        return operational;
    }

    /** Slices where the candidate is worse by more than the tolerance, worst first (then slice, metric). */
    public List<SliceRegression> worseSlices() {
        return worseSlices;
    }

    /** Slices only the baseline was evaluated on, so they could not be compared. */
    public List<String> slicesOnlyInBaseline() {
        return slicesOnlyInBaseline;
    }

    /** Slices only the candidate was evaluated on. */
    public List<String> slicesOnlyInCandidate() {
        return slicesOnlyInCandidate;
    }

    /** Overall metrics and operational figures on which the candidate is worse. */
    public List<MetricRow> regressions() {
        List<MetricRow> out = new ArrayList<>();
        for (List<MetricRow> rows : List.of(metrics, operational)) {
            rows.stream().filter(r -> r.verdict() == Verdict.WORSE).forEach(out::add);
        }
        return out;
    }

    public boolean hasRegressions() {
        return !regressions().isEmpty();
    }

    private static final List<String> METRIC_HEADER = List.of("metric", "baseline", "candidate", "delta", "relative", "verdict");
    private static final boolean[] METRIC_RIGHT = {false, true, true, true, true, false};
    private static final List<String> SLICE_HEADER = List.of("slice", "metric", "baseline", "candidate", "worse by");
    private static final boolean[] SLICE_RIGHT = {false, false, true, true, true};

    private String title() {
        return "Comparison of " + candidate + " (candidate) against " + baseline + " (baseline) on " + evaluationSet.id();
    }

    private String sliceTitle() {
        return "Slices where the candidate is worse by more than " + String.format(Locale.ROOT, "%s", sliceTolerance);
    }

    /** An aligned plain-text report. */
    public String toText() {
        StringBuilder out = new StringBuilder(Render.oneLine(title())).append("\n\n");
        section(out, "Metrics", metrics, false);
        section(out, "Operational", operational, false);
        out.append(sliceTitle()).append('\n');
        if (worseSlices.isEmpty()) {
            out.append("  none\n");
        } else {
            out.append(Render.table(SLICE_HEADER, worseSlices.stream().map(SliceRegression::cells).toList(), SLICE_RIGHT, "  "));
        }
        unmatched(out, false);
        return out.toString();
    }

    /** GitHub-flavoured Markdown: a heading per section and one table each. */
    public String toMarkdown() {
        StringBuilder out = new StringBuilder("### ").append(Render.markdownCell(title())).append("\n\n");
        section(out, "Metrics", metrics, true);
        section(out, "Operational", operational, true);
        out.append("#### ").append(sliceTitle()).append("\n\n");
        if (worseSlices.isEmpty()) {
            out.append("None.\n");
        } else {
            out.append(Render.markdownTable(SLICE_HEADER, worseSlices.stream().map(SliceRegression::cells).toList(), SLICE_RIGHT));
        }
        unmatched(out, true);
        return out.toString();
    }

    private void section(StringBuilder out, String name, List<MetricRow> rows, boolean markdown) {
        List<List<String>> cells = rows.stream().map(MetricRow::cells).toList();
        if (markdown) {
            out.append("#### ").append(name).append("\n\n")
                    .append(rows.isEmpty() ? "None recorded.\n" : Render.markdownTable(METRIC_HEADER, cells, METRIC_RIGHT)).append('\n');
        } else {
            out.append(name).append('\n').append(rows.isEmpty() ? "  none recorded\n" : Render.table(METRIC_HEADER, cells, METRIC_RIGHT, "  "))
                    .append('\n');
        }
    }

    private void unmatched(StringBuilder out, boolean markdown) {
        String prefix = markdown ? "\n" : "";
        if (!slicesOnlyInBaseline.isEmpty()) {
            out.append(prefix).append("Slices only in the baseline: ").append(cell(String.join(", ", slicesOnlyInBaseline), markdown)).append('\n');
        }
        if (!slicesOnlyInCandidate.isEmpty()) {
            out.append(prefix).append("Slices only in the candidate: ").append(cell(String.join(", ", slicesOnlyInCandidate), markdown)).append('\n');
        }
    }

    private static String cell(String text, boolean markdown) {
        return markdown ? Render.markdownCell(text) : Render.oneLine(text);
    }

    /** JSON with sorted keys and unrounded values; a value a side lacks is {@code null}. */
    public String toJson() {
        ObjectNode root = Render.object();
        root.put("baseline", baseline);
        root.put("candidate", candidate);
        root.put("evaluationSet", evaluationSet.id());
        root.put("sliceTolerance", sliceTolerance);
        ArrayNode m = root.putArray("metrics");
        metrics.forEach(r -> m.add(r.toJson()));
        ArrayNode o = root.putArray("operational");
        operational.forEach(r -> o.add(r.toJson()));
        ArrayNode s = root.putArray("worseSlices");
        worseSlices.forEach(r -> s.add(r.toJson()));
        ArrayNode ob = root.putArray("slicesOnlyInBaseline");
        slicesOnlyInBaseline.forEach(ob::add);
        ArrayNode oc = root.putArray("slicesOnlyInCandidate");
        slicesOnlyInCandidate.forEach(oc::add);
        root.put("hasRegressions", hasRegressions());
        return Render.json(root);
    }

    @Override
    public String toString() {
        return toText();
    }
}
