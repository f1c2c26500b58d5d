package dev.modelregistry;

import java.util.List;

/**
 * Builds {@link GateSpec}s in Java, reading like the policy they make:
 *
 * <pre>{@code
 * GatePolicy policy = GatePolicy.builder()
 *     .transition(Stage.STAGING, Stage.PRODUCTION,
 *         Gates.metricThreshold("auc", Comparison.AT_LEAST, 0.85).on("s3://data/holdout@v3"),
 *         Gates.noRegression("auc", 0.005),
 *         Gates.fairness("tpr", "gender:", 0.05),
 *         Gates.operationalBudget("latency_p99_ms", 25),
 *         Gates.documentation("intended-use", "limitations").withFeatureList().withDatasetLineage(),
 *         Gates.manualApproval(1, "approver").withDistinctFromRequester(true),
 *         Gates.custom("bias-audit"))
 *     .build();
 * }</pre>
 *
 * Gates that read evaluations use the model's canonical evaluation set until {@code on(set)} names
 * one; {@code withName(name)} renames a gate, e.g. to have two of one type in a transition.
 */
public final class Gates {
    private Gates() {
    }

    /** {@code metric <operator> value}, e.g. {@code auc >= 0.85}. */
    public static GateSpec.MetricThreshold metricThreshold(String metric, Comparison operator, double value) {
        return new GateSpec.MetricThreshold(null, metric, operator, value, null);
    }

    /** No regression of a higher-is-better metric against the incumbent by more than {@code tolerance}. */
    public static GateSpec.NoRegression noRegression(String metric, double tolerance) {
        return new GateSpec.NoRegression(null, metric, tolerance, true, null);
    }

    /** The gap of {@code metric} across the slices named {@code slicePrefix}… is at most {@code maxGap}. */
    public static GateSpec.Fairness fairness(String metric, String slicePrefix, double maxGap) {
        return new GateSpec.Fairness(null, metric, slicePrefix, maxGap, null);
    }

    /** The candidate's artifacts take at most {@code maxBytes} in total. */
    public static GateSpec.ArtifactSize artifactSize(long maxBytes) {
        return new GateSpec.ArtifactSize(null, maxBytes);
    }

    /** The operational figure (e.g. {@code latency_p99_ms}) recorded with the evaluation is at most {@code max}. */
    public static GateSpec.OperationalBudget operationalBudget(String figure, double max) {
        return new GateSpec.OperationalBudget(null, figure, max, null);
    }

    /** {@code kpi <operator> value} on the candidate's registration metrics. */
    public static GateSpec.BusinessKpi businessKpi(String kpi, Comparison operator, double value) {
        return new GateSpec.BusinessKpi(null, kpi, operator, value, null);
    }

    /** These model card sections must have text; add {@code withFeatureList()}, {@code withDatasetLineage()}. */
    public static GateSpec.Documentation documentation(String... modelCardSections) {
        return new GateSpec.Documentation(null, modelCardSections == null ? null : List.of(modelCardSections), false, false);
    }

    /** {@code approvals} approvals from principals holding {@code role}, not counting the author's own. */
    public static GateSpec.ManualApproval manualApproval(int approvals, String role) {
        return new GateSpec.ManualApproval(null, approvals, role, true, false);
    }

    /** The gate registered from code under {@code name}. */
    public static GateSpec.Custom custom(String name) {
        return new GateSpec.Custom(name);
    }
}
