package dev.modelregistry;

import dev.modelregistry.internal.util.MessageText;

import dev.modelregistry.Gate.Verdict;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * How each built-in {@link GateSpec} decides. Pure functions of the spec and the context (no I/O,
 * no clock), so they run inline and give the same verdict for the same context every time.
 */
final class BuiltInGates {
    /**
     * Differences of recorded doubles (0.85 - 0.84) carry rounding error; a regression or gap within
     * this relative slack of its bound counts as on the bound, so a tolerance of 0.01 admits 0.84
     * against 0.85.
     */
    private static final double ROUNDING_SLACK = 1e-9;

    private BuiltInGates() {
    }

    /** A lookup that came up empty: the gate fails with this reason and the figures gathered so far. */
    private static final class Refusal extends RuntimeException {
        Refusal(String reason) {
            super(reason, null, false, false);
        }
    }

    static Verdict metricThreshold(GateSpec.MetricThreshold spec, GateContext context) {
        Map<String, Double> figures = new LinkedHashMap<>();
        try {
            String set = evaluationSet(spec.evaluationSet(), context);
            double value = metric(candidateEvaluation(set, context), spec.metric(), set, candidate(context));
            figures.put("value", value);
            figures.put("threshold", spec.value());
            return compare(spec.metric(), value, spec.operator(), spec.value(), " on " + set, figures);
        } catch (Refusal r) {
            return Verdict.failed(r.getMessage(), figures);
        }
    }

    static Verdict noRegression(GateSpec.NoRegression spec, GateContext context) {
        Map<String, Double> figures = new LinkedHashMap<>();
        try {
            Optional<ModelVersion> incumbent = context.incumbent();
            if (incumbent.isEmpty()) {
                return Verdict.passed("no incumbent in " + context.to() + " to regress against", figures);
            }
            String set = evaluationSet(spec.evaluationSet(), context);
            double candidate = metric(candidateEvaluation(set, context), spec.metric(), set, candidate(context));
            figures.put("candidate", candidate);
            String inc = "incumbent " + incumbent.get().version();
            Evaluation incumbentEvaluation = context.incumbentEvaluations().get(set);
            if (incumbentEvaluation == null) {
                throw new Refusal(inc + " was never evaluated on " + set + ", so " + spec.metric()
                        + " cannot be compared; " + evaluatedOn("it", context.incumbentEvaluations()));
            }
            double incumbentValue = metric(incumbentEvaluation, spec.metric(), set, inc);
            double delta = candidate - incumbentValue;
            figures.put("incumbent", incumbentValue);
            figures.put("delta", delta);
            figures.put("tolerance", spec.tolerance());
            double worseBy = spec.higherIsBetter() ? -delta : delta;
            String direction = spec.higherIsBetter() ? "higher" : "lower";
            String comparison = spec.metric() + " " + MessageText.number(candidate) + " against " + inc + "'s "
                    + MessageText.number(incumbentValue) + " on " + set + " (delta " + signed(delta) + ", " + direction
                    + " is better, tolerance " + MessageText.number(spec.tolerance()) + ")";
            if (exceeds(worseBy, spec.tolerance(), candidate, incumbentValue)) {
                return Verdict.failed("regression: " + comparison, figures);
            }
            return Verdict.passed("no regression: " + comparison, figures);
        } catch (Refusal r) {
            return Verdict.failed(r.getMessage(), figures);
        }
    }

    static Verdict fairness(GateSpec.Fairness spec, GateContext context) {
        Map<String, Double> figures = new LinkedHashMap<>();
        try {
            String set = evaluationSet(spec.evaluationSet(), context);
            Evaluation evaluation = candidateEvaluation(set, context);
            Map<String, Double> values = new LinkedHashMap<>();
            evaluation.slices().forEach((slice, metrics) -> {
                if (slice.startsWith(spec.slicePrefix()) && metrics.containsKey(spec.metric())) {
                    values.put(slice, metrics.get(spec.metric()));
                }
            });
            if (values.size() < 2) {
                throw new Refusal("needs at least two slices starting with " + MessageText.quote(spec.slicePrefix())
                        + " that record " + spec.metric() + " on " + set + " to measure a gap; found "
                        + (values.isEmpty() ? "none" : MessageText.list(values.keySet()))
                        + " among the candidate's slices " + MessageText.list(evaluation.slices().keySet()));
            }
            Map.Entry<String, Double> max = values.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow();
            Map.Entry<String, Double> min = values.entrySet().stream().min(Map.Entry.comparingByValue()).orElseThrow();
            double gap = max.getValue() - min.getValue();
            figures.put("max", max.getValue());
            figures.put("min", min.getValue());
            figures.put("gap", gap);
            figures.put("bound", spec.maxGap());
            String detail = spec.metric() + " gap " + MessageText.number(gap) + " across " + values.size() + " "
                    + spec.slicePrefix() + "* slices on " + set + " (highest " + max.getKey() + " "
                    + MessageText.number(max.getValue()) + ", lowest " + min.getKey() + " " + MessageText.number(min.getValue())
                    + ")";
            if (exceeds(gap, spec.maxGap(), max.getValue(), min.getValue())) {
                return Verdict.failed(detail + " exceeds the bound " + MessageText.number(spec.maxGap()), figures);
            }
            return Verdict.passed(detail + " is within the bound " + MessageText.number(spec.maxGap()), figures);
        } catch (Refusal r) {
            return Verdict.failed(r.getMessage(), figures);
        }
    }

    static Verdict artifactSize(GateSpec.ArtifactSize spec, GateContext context) {
        long total = 0;
        List<String> parts = new ArrayList<>();
        for (ArtifactRef a : context.candidate().artifacts()) {
            total = saturatedAdd(total, a.size());
            parts.add(a.name() + " " + a.size());
        }
        Map<String, Double> figures = Map.of("totalBytes", (double) total, "maxBytes", (double) spec.maxBytes());
        String detail = "artifacts of " + candidate(context) + " total " + total + " bytes"
                + (parts.isEmpty() ? " (none)" : " (" + String.join(", ", parts) + ")");
        if (total > spec.maxBytes()) {
            return Verdict.failed(detail + ", over the limit of " + spec.maxBytes() + " bytes", figures);
        }
        return Verdict.passed(detail + ", within the limit of " + spec.maxBytes() + " bytes", figures);
    }

    static Verdict operationalBudget(GateSpec.OperationalBudget spec, GateContext context) {
        Map<String, Double> figures = new LinkedHashMap<>();
        try {
            String set = evaluationSet(spec.evaluationSet(), context);
            Evaluation evaluation = candidateEvaluation(set, context);
            Double value = evaluation.operational().get(spec.figure());
            if (value == null) {
                throw new Refusal("operational figure " + spec.figure() + " was not recorded for " + candidate(context)
                        + " on " + set + "; recorded figures: " + MessageText.list(evaluation.operational().keySet()));
            }
            figures.put("value", value);
            figures.put("max", spec.max());
            return compare(spec.figure(), value, Comparison.AT_MOST, spec.max(), " on " + set, figures);
        } catch (Refusal r) {
            return Verdict.failed(r.getMessage(), figures);
        }
    }

    static Verdict businessKpi(GateSpec.BusinessKpi spec, GateContext context) {
        Map<String, Double> figures = new LinkedHashMap<>();
        ModelVersion candidate = context.candidate();
        Double value = candidate.metrics().get(spec.kpi());
        String source = " (registration metric)";
        if (value == null && !spec.evaluationSet().isEmpty()) {
            Evaluation evaluation = context.candidateEvaluations().get(spec.evaluationSet());
            value = evaluation == null ? null : evaluation.metrics().get(spec.kpi());
            source = " on " + spec.evaluationSet();
        }
        if (value == null) {
            String where = "the registration metrics of " + candidate(context) + " "
                    + MessageText.list(candidate.metrics().keySet());
            if (!spec.evaluationSet().isEmpty()) {
                Evaluation evaluation = context.candidateEvaluations().get(spec.evaluationSet());
                where += evaluation == null
                        ? ", and it was never evaluated on " + spec.evaluationSet()
                        : ", nor its evaluation on " + spec.evaluationSet() + " " + MessageText.list(evaluation.metrics().keySet());
            }
            return Verdict.failed("KPI " + spec.kpi() + " was not recorded: not in " + where, figures);
        }
        figures.put("value", value);
        figures.put("threshold", spec.value());
        return compare("KPI " + spec.kpi(), value, spec.operator(), spec.value(), source, figures);
    }

    static Verdict documentation(GateSpec.Documentation spec, GateContext context) {
        List<String> missing = new ArrayList<>();
        Optional<ModelCard> card = context.modelCard();
        int present = 0;
        if (!spec.modelCardSections().isEmpty() && card.isEmpty()) {
            missing.add("no model card (required sections: " + String.join(", ", spec.modelCardSections()) + ")");
        } else {
            for (String section : spec.modelCardSections()) {
                if (card.orElseThrow().hasSection(section)) {
                    present++;
                } else {
                    missing.add("model card section " + MessageText.quote(section) + " is missing or empty");
                }
            }
        }
        if (spec.requireFeatureList() && context.candidate().signature().inputs().isEmpty()) {
            missing.add("no feature list: the signature of " + candidate(context) + " declares no inputs");
        }
        if (spec.requireDatasetLineage() && context.candidate().datasets().isEmpty()) {
            missing.add("no dataset lineage: " + candidate(context) + " records no training datasets");
        }
        Map<String, Double> figures = Map.of(
                "sectionsRequired", (double) spec.modelCardSections().size(),
                "sectionsPresent", (double) present);
        if (!missing.isEmpty()) {
            return new Verdict(GateOutcome.FAILED, missing, figures);
        }
        List<String> checked = new ArrayList<>();
        if (!spec.modelCardSections().isEmpty()) {
            checked.add("model card sections " + String.join(", ", spec.modelCardSections()));
        }
        if (spec.requireFeatureList()) {
            checked.add("feature list");
        }
        if (spec.requireDatasetLineage()) {
            checked.add("dataset lineage");
        }
        return Verdict.passed(checked.isEmpty() ? "no documentation required"
                : "documentation present: " + String.join("; ", checked), figures);
    }

    static Verdict manualApproval(GateSpec.ManualApproval spec, GateContext context) {
        String author = context.candidate().author();
        String requester = context.requester() == null ? null : context.requester().name();
        Set<String> approvedBy = new LinkedHashSet<>();
        Set<String> rejectedBy = new LinkedHashSet<>();
        Set<String> notCounted = new LinkedHashSet<>();
        for (Approval a : context.approvals()) {
            String excluded = exclusion(spec, a, author, requester);
            if (excluded != null) {
                notCounted.add(a.principal() + " (" + excluded + ")");
            } else if (a.approved()) {
                approvedBy.add(a.principal());
            } else {
                rejectedBy.add(a.principal() + (a.comment().isBlank() ? "" : ": " + MessageText.quote(a.comment())));
            }
        }
        Map<String, Double> figures = Map.of("approvals", (double) approvedBy.size(), "required", (double) spec.approvals());
        String ignored = notCounted.isEmpty() ? "" : "; not counted: " + String.join(", ", notCounted);
        if (!rejectedBy.isEmpty()) {
            return Verdict.failed("rejected by " + String.join(", ", rejectedBy) + ignored, figures);
        }
        String so = approvedBy.size() + " of " + spec.approvals() + " from role " + spec.role()
                + (approvedBy.isEmpty() ? "" : " (" + String.join(", ", approvedBy) + ")");
        if (approvedBy.size() < spec.approvals()) {
            int more = spec.approvals() - approvedBy.size();
            return Verdict.pending("needs " + more + " more approval" + (more == 1 ? "" : "s") + " from role "
                    + spec.role() + "; " + so + ignored, figures);
        }
        return Verdict.passed("approved: " + so + ignored, figures);
    }

    /** Why a decision does not count for {@code spec}, or null when it does. */
    private static String exclusion(GateSpec.ManualApproval spec, Approval a, String author, String requester) {
        if (!a.roles().contains(spec.role())) {
            return "does not hold role " + spec.role();
        }
        if (spec.distinctFromAuthor() && a.principal().equals(author)) {
            return "the author";
        }
        if (spec.distinctFromRequester() && a.principal().equals(requester)) {
            return "the requester";
        }
        return null;
    }

    private static Verdict compare(String what, double value, Comparison operator, double bound, String where,
                                   Map<String, Double> figures) {
        String detail = what + " " + MessageText.number(value);
        if (operator.test(value, bound)) {
            return Verdict.passed(detail + " " + operator.symbol() + " " + MessageText.number(bound) + where, figures);
        }
        return Verdict.failed(detail + " is not " + operator.symbol() + " " + MessageText.number(bound) + where, figures);
    }

    /** The set the gate names, else the model's canonical set; a gate with neither cannot decide. */
    private static String evaluationSet(String named, GateContext context) {
        if (!named.isEmpty()) {
            return named;
        }
        return context.canonicalEvaluationSet().filter(s -> !s.isBlank()).orElseThrow(() -> new Refusal(
                "no evaluation set: the gate names none and model " + context.model()
                        + " has no canonical evaluation set"));
    }

    private static Evaluation candidateEvaluation(String set, GateContext context) {
        Evaluation evaluation = context.candidateEvaluations().get(set);
        if (evaluation == null) {
            throw new Refusal(candidate(context) + " was never evaluated on " + set + "; "
                    + evaluatedOn("it", context.candidateEvaluations()));
        }
        return evaluation;
    }

    private static double metric(Evaluation evaluation, String metric, String set, String whose) {
        Double value = evaluation.metrics().get(metric);
        if (value == null) {
            throw new Refusal("metric " + metric + " was not recorded for " + whose + " on " + set
                    + "; recorded metrics: " + MessageText.list(evaluation.metrics().keySet()));
        }
        return value;
    }

    private static String evaluatedOn(String who, Map<String, Evaluation> evaluations) {
        return evaluations.isEmpty() ? who + " has no evaluations"
                : who + " was evaluated on " + MessageText.list(evaluations.keySet());
    }

    private static String candidate(GateContext context) {
        return "candidate " + context.candidate().version();
    }

    /** Whether {@code value} is over {@code bound} by more than rounding error of the numbers it came from. */
    private static boolean exceeds(double value, double bound, double a, double b) {
        double scale = Math.max(1.0, Math.max(Math.abs(a), Math.abs(b)));
        return value - bound > ROUNDING_SLACK * scale;
    }

    private static String signed(double value) {
        return (value > 0 ? "+" : "") + MessageText.number(value);
    }

    private static long saturatedAdd(long a, long b) {
        long sum = a + b;
        return ((a ^ sum) & (b ^ sum)) < 0 ? Long.MAX_VALUE : sum;
    }
}
