package dev.modelregistry;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a version scored on one evaluation set: overall metrics, metrics per slice (e.g.
 * {@code gender:female}), and operational figures (latency percentiles, memory, artifact size, cost),
 * all finite numbers. Evaluations are recorded after registration and are append-only; the latest
 * on a set is the one gates and comparisons use.
 *
 * @param dataset     the evaluation set, at its exact version
 * @param metrics     metric name to value
 * @param slices      slice name to its metrics
 * @param operational figure name (e.g. {@code latency_p99_ms}, {@code cost_per_1k_usd}) to value
 */
public record Evaluation(DatasetRef dataset, Map<String, Double> metrics, Map<String, Map<String, Double>> slices,
                         Map<String, Double> operational) {
    public Evaluation {
        if (dataset == null) {
            throw new ValidationException("An evaluation needs its evaluation set");
        }
        if (!dataset.isExact()) {
            throw new ValidationException("Evaluation set " + dataset + " needs an exact version: numbers measured on moving data cannot be compared");
        }
        metrics = checked("metric", metrics);
        operational = checked("operational figure", operational);
        Map<String, Map<String, Double>> s = new TreeMap<>();
        if (slices != null) {
            if (slices.size() > Limits.MAX_METRICS) {
                throw new MetadataTooLargeException(slices.size() + " slices; the limit is " + Limits.MAX_METRICS);
            }
            slices.forEach((name, values) -> {
                ModelVersion.checkMetricName(name);
                s.put(name, checked("slice " + name + " metric", values));
            });
        }
        slices = Collections.unmodifiableMap(s);
    }

    public static Evaluation of(DatasetRef dataset, Map<String, Double> metrics) {
        return new Evaluation(dataset, metrics, Map.of(), Map.of());
    }

    private static Map<String, Double> checked(String kind, Map<String, Double> values) {
        if (values == null) {
            return Map.of();
        }
        if (values.size() > Limits.MAX_METRICS) {
            throw new MetadataTooLargeException(values.size() + " " + kind + "s; the limit is " + Limits.MAX_METRICS);
        }
        Map<String, Double> out = new TreeMap<>();
        values.forEach((k, v) -> out.put(ModelVersion.checkMetricName(k), ModelVersion.checkMetricValue(k, v)));
        return Collections.unmodifiableMap(out);
    }
}
