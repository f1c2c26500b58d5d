package dev.modelregistry;

import dev.modelregistry.internal.util.MessageText;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A built-in gate, or a reference to a custom one, as data: what a {@link GatePolicy} lists for a
 * transition, what a policy document spells as {@code {"type": "metric-threshold", ...}}, and what
 * is stored in the log when a policy changes. Keeping gates as plain values (rather than code) is
 * what lets a policy be loaded from a file, validated before it takes effect, compared and audited.
 *
 * <p>Every spec has a {@link #name()}, unique within one transition, that names it in gate reports;
 * it defaults to the {@link #type()}. A spec turns into the {@link Gate} that checks it with
 * {@link #toGate(Map)}. Build specs with {@link Gates}; the records' canonical constructors accept
 * {@code null} for optional fields and validate the rest, throwing {@link PolicyException}.
 *
 * <p>Jackson binding of specs is for reading back what Jackson wrote (every field present), e.g. a
 * policy stored in a log event; a hand-written document is read with {@link GatePolicy#fromJson},
 * which applies the defaults and reports problems by path. Type ids follow declared types, so hold
 * specs as {@code GateSpec} (e.g. a {@code List<GateSpec>} field) for Jackson to write {@code type}.
 *
 * <p>Gates that read evaluations use their {@code evaluationSet} (a {@code DatasetRef.id()} such as
 * {@code s3://data/holdout@v3}) or, when it is empty, the model's canonical evaluation set.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = GateSpec.MetricThreshold.class, name = GateSpec.MetricThreshold.TYPE),
    @JsonSubTypes.Type(value = GateSpec.NoRegression.class, name = GateSpec.NoRegression.TYPE),
    @JsonSubTypes.Type(value = GateSpec.Fairness.class, name = GateSpec.Fairness.TYPE),
    @JsonSubTypes.Type(value = GateSpec.ArtifactSize.class, name = GateSpec.ArtifactSize.TYPE),
    @JsonSubTypes.Type(value = GateSpec.OperationalBudget.class, name = GateSpec.OperationalBudget.TYPE),
    @JsonSubTypes.Type(value = GateSpec.BusinessKpi.class, name = GateSpec.BusinessKpi.TYPE),
    @JsonSubTypes.Type(value = GateSpec.Documentation.class, name = GateSpec.Documentation.TYPE),
    @JsonSubTypes.Type(value = GateSpec.ManualApproval.class, name = GateSpec.ManualApproval.TYPE),
    @JsonSubTypes.Type(value = GateSpec.Custom.class, name = GateSpec.Custom.TYPE)
})
public sealed interface GateSpec {

    /** The name of this gate in reports; unique within one transition; defaults to {@link #type()}. */
    String name();

    /** The kebab-case type name used in policy documents and reports, e.g. {@code metric-threshold}. */
    String type();

    /** This spec under another name, e.g. to use two gates of one type in the same transition. */
    GateSpec withName(String name);

    /**
     * The gate that checks this spec. Built-in specs ignore {@code customGates}; a {@link Custom}
     * spec looks its gate up there and, when it is missing, yields a gate that fails (fail closed).
     */
    Gate toGate(Map<String, Gate> customGates);

    /**
     * {@code metric <operator> value} on an evaluation set, e.g. {@code auc >= 0.85} on
     * {@code s3://data/holdout@v3}: reads the candidate's evaluation on that set.
     */
    record MetricThreshold(String name, String metric, Comparison operator, double value, String evaluationSet)
            implements GateSpec {
        public static final String TYPE = "metric-threshold";

        public MetricThreshold {
            name = name == null ? TYPE : Checks.name(TYPE, "name", name);
            Checks.text(TYPE, "metric", metric);
            if (operator == null) {
                throw PolicyException.field(TYPE, "operator", "is required; expected one of " + Comparison.symbols());
            }
            Checks.finite(TYPE, "value", value);
            evaluationSet = Checks.evaluationSet(TYPE, evaluationSet);
        }

        /** The same gate on the evaluation set {@code evaluationSet} ({@code uri@version}). */
        public MetricThreshold on(String evaluationSet) {
            return new MetricThreshold(name, metric, operator, value, evaluationSet);
        }

        @Override
        public String type() {
            return TYPE;
        }

        @Override
        public MetricThreshold withName(String name) {
            return new MetricThreshold(name, metric, operator, value, evaluationSet);
        }

        @Override
        public Gate toGate(Map<String, Gate> customGates) {
            return context -> BuiltInGates.metricThreshold(this, context);
        }
    }

    /**
     * The candidate must not be worse than the incumbent of the target stage on {@code metric}, on
     * the same evaluation set, by more than {@code tolerance}. Passes when the stage has no incumbent;
     * fails when either version was never evaluated on the set, since then nobody can tell.
     */
    record NoRegression(String name, String metric, double tolerance, boolean higherIsBetter, String evaluationSet)
            implements GateSpec {
        public static final String TYPE = "no-regression";

        public NoRegression {
            name = name == null ? TYPE : Checks.name(TYPE, "name", name);
            Checks.text(TYPE, "metric", metric);
            Checks.nonNegative(TYPE, "tolerance", tolerance);
            evaluationSet = Checks.evaluationSet(TYPE, evaluationSet);
        }

        public NoRegression on(String evaluationSet) {
            return new NoRegression(name, metric, tolerance, higherIsBetter, evaluationSet);
        }

        /** The same gate for a metric where smaller is better (a loss, an error rate). */
        public NoRegression lowerIsBetter() {
            return new NoRegression(name, metric, tolerance, false, evaluationSet);
        }

        @Override
        public String type() {
            return TYPE;
        }

        @Override
        public NoRegression withName(String name) {
            return new NoRegression(name, metric, tolerance, higherIsBetter, evaluationSet);
        }

        @Override
        public Gate toGate(Map<String, Gate> customGates) {
            return context -> BuiltInGates.noRegression(this, context);
        }
    }

    /**
     * The largest gap of {@code metric} across the candidate's slices whose names start with
     * {@code slicePrefix} (e.g. {@code tpr} across {@code gender:}) must be at most {@code maxGap}.
     */
    record Fairness(String name, String metric, String slicePrefix, double maxGap, String evaluationSet)
            implements GateSpec {
        public static final String TYPE = "fairness";

        public Fairness {
            name = name == null ? TYPE : Checks.name(TYPE, "name", name);
            Checks.text(TYPE, "metric", metric);
            Checks.text(TYPE, "slicePrefix", slicePrefix);
            Checks.nonNegative(TYPE, "maxGap", maxGap);
            evaluationSet = Checks.evaluationSet(TYPE, evaluationSet);
        }

        public Fairness on(String evaluationSet) {
            return new Fairness(name, metric, slicePrefix, maxGap, evaluationSet);
        }

        @Override
        public String type() {
            return TYPE;
        }

        @Override
        public Fairness withName(String name) {
            return new Fairness(name, metric, slicePrefix, maxGap, evaluationSet);
        }

        @Override
        public Gate toGate(Map<String, Gate> customGates) {
            return context -> BuiltInGates.fairness(this, context);
        }
    }

    /** The candidate's artifacts must take at most {@code maxBytes} in total. */
    record ArtifactSize(String name, long maxBytes) implements GateSpec {
        public static final String TYPE = "artifact-size";

        public ArtifactSize {
            name = name == null ? TYPE : Checks.name(TYPE, "name", name);
            if (maxBytes < 0) {
                throw PolicyException.field(TYPE, "maxBytes", "must not be negative, was " + maxBytes);
            }
        }

        @Override
        public String type() {
            return TYPE;
        }

        @Override
        public ArtifactSize withName(String name) {
            return new ArtifactSize(name, maxBytes);
        }

        @Override
        public Gate toGate(Map<String, Gate> customGates) {
            return context -> BuiltInGates.artifactSize(this, context);
        }
    }

    /**
     * An operational figure recorded with the candidate's evaluation (e.g. {@code latency_p99_ms},
     * {@code cost_per_1k_usd}, {@code memory_mb}) must be at most {@code max}.
     */
    record OperationalBudget(String name, String figure, double max, String evaluationSet) implements GateSpec {
        public static final String TYPE = "operational-budget";

        public OperationalBudget {
            name = name == null ? TYPE : Checks.name(TYPE, "name", name);
            Checks.text(TYPE, "figure", figure);
            Checks.finite(TYPE, "max", max);
            evaluationSet = Checks.evaluationSet(TYPE, evaluationSet);
        }

        public OperationalBudget on(String evaluationSet) {
            return new OperationalBudget(name, figure, max, evaluationSet);
        }

        @Override
        public String type() {
            return TYPE;
        }

        @Override
        public OperationalBudget withName(String name) {
            return new OperationalBudget(name, figure, max, evaluationSet);
        }

        @Override
        public Gate toGate(Map<String, Gate> customGates) {
            return context -> BuiltInGates.operationalBudget(this, context);
        }
    }

    /**
     * {@code kpi <operator> value} for a business KPI recorded as a metric: taken from the
     * candidate's registration metrics, or, when absent there and {@code evaluationSet} is given,
     * from its evaluation on that set.
     */
    record BusinessKpi(String name, String kpi, Comparison operator, double value, String evaluationSet)
            implements GateSpec {
        public static final String TYPE = "business-kpi";

        public BusinessKpi {
            name = name == null ? TYPE : Checks.name(TYPE, "name", name);
            Checks.text(TYPE, "kpi", kpi);
            if (operator == null) {
                throw PolicyException.field(TYPE, "operator", "is required; expected one of " + Comparison.symbols());
            }
            Checks.finite(TYPE, "value", value);
            evaluationSet = Checks.evaluationSet(TYPE, evaluationSet);
        }

        public BusinessKpi on(String evaluationSet) {
            return new BusinessKpi(name, kpi, operator, value, evaluationSet);
        }

        @Override
        public String type() {
            return TYPE;
        }

        @Override
        public BusinessKpi withName(String name) {
            return new BusinessKpi(name, kpi, operator, value, evaluationSet);
        }

        @Override
        public Gate toGate(Map<String, Gate> customGates) {
            return context -> BuiltInGates.businessKpi(this, context);
        }
    }

    /**
     * Required documentation: model card sections with text (by their policy names, see
     * {@code ModelCard.hasSection}), a declared feature list (signature inputs), dataset lineage
     * (training datasets recorded). Fails listing everything that is missing.
     */
    record Documentation(String name, List<String> modelCardSections, boolean requireFeatureList,
                         boolean requireDatasetLineage) implements GateSpec {
        public static final String TYPE = "documentation";

        public Documentation {
            name = name == null ? TYPE : Checks.name(TYPE, "name", name);
            modelCardSections = modelCardSections == null ? List.of() : new ArrayList<>(modelCardSections);
            for (int i = 0; i < modelCardSections.size(); i++) {
                String section = Checks.text(TYPE, "modelCardSections/" + i, modelCardSections.get(i));
                if (modelCardSections.subList(0, i).stream().anyMatch(section::equalsIgnoreCase)) {
                    throw PolicyException.field(TYPE, "modelCardSections/" + i, "names section " + MessageText.quote(section)
                            + " twice (section names are case-insensitive)");
                }
            }
            modelCardSections = List.copyOf(modelCardSections);
        }

        /** The same gate also requiring signature inputs to be declared. */
        public Documentation withFeatureList() {
            return new Documentation(name, modelCardSections, true, requireDatasetLineage);
        }

        /** The same gate also requiring the training datasets to be recorded. */
        public Documentation withDatasetLineage() {
            return new Documentation(name, modelCardSections, requireFeatureList, true);
        }

        @Override
        public String type() {
            return TYPE;
        }

        @Override
        public Documentation withName(String name) {
            return new Documentation(name, modelCardSections, requireFeatureList, requireDatasetLineage);
        }

        @Override
        public Gate toGate(Map<String, Gate> customGates) {
            return context -> BuiltInGates.documentation(this, context);
        }
    }

    /**
     * {@code approvals} distinct principals holding {@code role} must approve the promotion request;
     * the version's author does not count when {@code distinctFromAuthor} (the default), nor the
     * requester when {@code distinctFromRequester} (four eyes). PENDING until enough approvals are in;
     * FAILED as soon as an eligible principal rejects.
     */
    record ManualApproval(String name, int approvals, String role, boolean distinctFromAuthor,
                          boolean distinctFromRequester) implements GateSpec {
        public static final String TYPE = "manual-approval";

        public ManualApproval {
            name = name == null ? TYPE : Checks.name(TYPE, "name", name);
            if (approvals < 1) {
                throw PolicyException.field(TYPE, "approvals", "must be at least 1, was " + approvals);
            }
            Checks.text(TYPE, "role", role);
            // A role no principal can hold (access policies and principals refuse such names) would
            // leave every request waiting forever; refuse it where the policy is written.
            if (!role.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,127}") || role.contains("..")) {
                throw PolicyException.field(TYPE, "role", "must be a role name (ASCII letters, digits, '.', '_', '-'), was \"" + role + "\"");
            }
        }

        /** The same gate with the author's own approval counting (or not). */
        public ManualApproval withDistinctFromAuthor(boolean distinct) {
            return new ManualApproval(name, approvals, role, distinct, distinctFromRequester);
        }

        /** The same gate with the requester's own approval not counting (or counting). */
        public ManualApproval withDistinctFromRequester(boolean distinct) {
            return new ManualApproval(name, approvals, role, distinctFromAuthor, distinct);
        }

        @Override
        public String type() {
            return TYPE;
        }

        @Override
        public ManualApproval withName(String name) {
            return new ManualApproval(name, approvals, role, distinctFromAuthor, distinctFromRequester);
        }

        @Override
        public Gate toGate(Map<String, Gate> customGates) {
            return context -> BuiltInGates.manualApproval(this, context);
        }
    }

    /**
     * A gate registered from code under {@code name}. The policy only refers to it, so a policy
     * document can name checks it cannot express; a name that is not registered when the gate is
     * evaluated fails the gate.
     */
    record Custom(String name) implements GateSpec {
        /** The gate that holds promotions asked for by principals who may only request them; no custom gate may take its name. */
        public static final String RELEASE_APPROVAL = "release-approval";

        public static final String TYPE = "custom";

        public Custom {
            Checks.name(TYPE, "name", name);
        }

        @Override
        public String type() {
            return TYPE;
        }

        /** A custom gate's name is the registered gate it refers to, so renaming refers to another gate. */
        @Override
        public Custom withName(String name) {
            return new Custom(name);
        }

        @Override
        public Gate toGate(Map<String, Gate> customGates) {
            Gate gate = customGates.get(name);
            if (gate != null) {
                return gate;
            }
            List<String> known = new ArrayList<>(customGates.keySet());
            return context -> Gate.Verdict.failed("custom gate " + MessageText.quote(name) + " is not registered"
                    + (known.isEmpty() ? "; no custom gates are registered" : "; registered: " + MessageText.list(known)), Map.of());
        }
    }
}
