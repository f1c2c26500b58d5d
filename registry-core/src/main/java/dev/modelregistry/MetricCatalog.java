package dev.modelregistry;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Metric name to {@link MetricDefinition}: the direction and display precision that comparisons and
 * regression checks need. Immutable; made with {@link #builder()} or extended with {@link #toBuilder()}.
 *
 * <p>Definitions are exact names, or patterns with {@code *} wildcards for families such as
 * {@code latency_*_ms}. An exact name wins over a pattern; among patterns the first declared wins.
 * A metric that matches neither is refused by {@link #get(String)}: guessing a direction would turn a
 * regression into an improvement, so unknown metrics must be declared before they are compared.
 */
public final class MetricCatalog {
    private static final MetricCatalog STANDARD = builder()
            .define("auc", Direction.HIGHER_IS_BETTER, 4, "area under the ROC curve")
            .define("accuracy", Direction.HIGHER_IS_BETTER, 4, "share of correct predictions")
            .define("precision", Direction.HIGHER_IS_BETTER, 4, "share of predicted positives that are positive")
            .define("recall", Direction.HIGHER_IS_BETTER, 4, "share of positives found")
            .define("f1", Direction.HIGHER_IS_BETTER, 4, "harmonic mean of precision and recall")
            .define("tpr", Direction.HIGHER_IS_BETTER, 4, "true positive rate")
            .define("tnr", Direction.HIGHER_IS_BETTER, 4, "true negative rate")
            .define("logloss", Direction.LOWER_IS_BETTER, 4, "logarithmic loss")
            .define("rmse", Direction.LOWER_IS_BETTER, 4, "root mean squared error")
            .define("mae", Direction.LOWER_IS_BETTER, 4, "mean absolute error")
            .define("mse", Direction.LOWER_IS_BETTER, 4, "mean squared error")
            .define("fpr", Direction.LOWER_IS_BETTER, 4, "false positive rate")
            .define("fnr", Direction.LOWER_IS_BETTER, 4, "false negative rate")
            .define("error_rate", Direction.LOWER_IS_BETTER, 4, "share of wrong predictions")
            .define("memory_mb", Direction.LOWER_IS_BETTER, 1, "resident memory in MB")
            .define("artifact_size_bytes", Direction.LOWER_IS_BETTER, 0, "size of the model artifact in bytes")
            .definePattern("latency_*_ms", Direction.LOWER_IS_BETTER, 2, "latency percentile in milliseconds")
            .definePattern("memory_*_mb", Direction.LOWER_IS_BETTER, 1, "memory figure in MB")
            .definePattern("cost_*", Direction.LOWER_IS_BETTER, 4, "inference cost")
            .build();

    private final Map<String, MetricDefinition> exact;
    private final List<PatternRule> patterns;

    private MetricCatalog(Map<String, MetricDefinition> exact, List<PatternRule> patterns) {
        this.exact = Collections.unmodifiableMap(new TreeMap<>(exact));
        this.patterns = List.copyOf(patterns);
    }

    /** An empty builder. */
    public static Builder builder() {
        return new Builder(Map.of(), List.of());
    }

    /**
     * Common classification, regression and operational metrics: {@code auc accuracy precision recall
     * f1 tpr tnr} (higher is better); {@code logloss rmse mae mse fpr fnr error_rate memory_mb
     * artifact_size_bytes} and the families {@code latency_*_ms}, {@code memory_*_mb}, {@code cost_*}
     * (lower is better).
     */
    public static MetricCatalog standard() {
        return STANDARD;
    }

    /** A builder holding this catalog's definitions, to add or override some. */
    public Builder toBuilder() {
        return new Builder(exact, patterns);
    }

    /** The definition of {@code metric}, by exact name or else by the first matching pattern. */
    public Optional<MetricDefinition> find(String metric) {
        if (metric == null) {
            return Optional.empty();
        }
        MetricDefinition d = exact.get(metric);
        if (d != null) {
            return Optional.of(d);
        }
        for (PatternRule p : patterns) {
            if (p.regex.matcher(metric).matches()) {
                return Optional.of(p.definition.named(metric));
            }
        }
        return Optional.empty();
    }

    /**
     * The definition of {@code metric}.
     *
     * @throws ValidationException naming the metric and how to declare it, if it is not declared
     */
    public MetricDefinition get(String metric) {
        return find(metric).orElseThrow(() -> new ValidationException("Unknown metric " + Render.quote(metric)
                + ": unknown metrics must be declared before they are compared, because the direction decides whether a change "
                + "is a regression; declare it with MetricCatalog.standard().toBuilder().define(" + Render.quote(metric)
                + ", Direction.HIGHER_IS_BETTER or Direction.LOWER_IS_BETTER, precision, description).build()"));
    }

    /** The exact definitions, by name. */
    public Map<String, MetricDefinition> definitions() {
        return exact;
    }

    /** The pattern definitions, in declaration order; their names are the patterns. */
    public List<MetricDefinition> patternDefinitions() {
        return patterns.stream().map(p -> p.definition).toList();
    }

    @Override
    public String toString() {
        return "MetricCatalog" + exact.keySet() + " + patterns " + patterns.stream().map(p -> p.definition.name()).toList();
    }

    private record PatternRule(MetricDefinition definition, Pattern regex) {
        static PatternRule of(MetricDefinition definition) {
            StringBuilder regex = new StringBuilder();
            for (String literal : definition.name().split("\\*", -1)) {
                if (regex.length() > 0) {
                    regex.append(".+");
                }
                regex.append(Pattern.quote(literal));
            }
            return new PatternRule(definition, Pattern.compile(regex.toString()));
        }
    }

    /** Collects definitions; a later definition of the same name or pattern replaces the earlier one. */
    public static final class Builder {
        private final Map<String, MetricDefinition> exact;
        private final List<PatternRule> patterns;

        private Builder(Map<String, MetricDefinition> exact, List<PatternRule> patterns) {
            this.exact = new TreeMap<>(exact);
            this.patterns = new ArrayList<>(patterns);
        }

        /** Declares one metric by exact name. */
        public Builder define(MetricDefinition definition) {
            if (definition == null) {
                throw new ValidationException("A metric definition must not be null");
            }
            if (definition.name().contains("*")) {
                throw new ValidationException("Metric name " + Render.quote(definition.name())
                        + " contains '*': declare families with definePattern");
            }
            exact.put(definition.name(), definition);
            return this;
        }

        /** Declares one metric by exact name. */
        public Builder define(String name, Direction direction, int displayPrecision, String description) {
            return define(new MetricDefinition(name, direction, displayPrecision, description));
        }

        /** Declares a family of metrics: {@code *} in {@code pattern} matches one or more characters. */
        public Builder definePattern(String pattern, Direction direction, int displayPrecision, String description) {
            MetricDefinition d = new MetricDefinition(pattern, direction, displayPrecision, description);
            if (!pattern.contains("*")) {
                throw new ValidationException("Metric pattern " + Render.quote(pattern) + " has no '*': declare single metrics with define");
            }
            patterns.removeIf(p -> p.definition.name().equals(pattern));
            patterns.add(PatternRule.of(d));
            return this;
        }

        public MetricCatalog build() {
            return new MetricCatalog(exact, patterns);
        }
    }
}
