package dev.modelregistry;

import static dev.modelregistry.Fixtures.CANONICAL;
import static dev.modelregistry.Fixtures.HOLDOUT;
import static dev.modelregistry.Fixtures.approve;
import static dev.modelregistry.Fixtures.context;
import static dev.modelregistry.Fixtures.evaluation;
import static dev.modelregistry.Fixtures.reject;
import static dev.modelregistry.Fixtures.version;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@DisplayName("The built-in gates")
class BuiltInGatesTest {

    private static Gate.Verdict check(GateSpec spec, Fixtures.Context context) throws Exception {
        return spec.toGate(Map.of()).evaluate(context.build());
    }

    @Nested
    @DisplayName("metric-threshold")
    class MetricThreshold {
        private final GateSpec auc = Gates.metricThreshold("auc", Comparison.AT_LEAST, 0.85).on(HOLDOUT);

        @Test
        @DisplayName("passes when the metric on the named set meets the threshold, reporting value and threshold")
        void passes() throws Exception {
            Gate.Verdict v = check(auc, context().evaluated(HOLDOUT, Map.of("auc", 0.87)));

            assertThat(v.outcome()).isEqualTo(GateOutcome.PASSED);
            assertThat(v.reasons()).containsExactly("auc 0.87 >= 0.85 on " + HOLDOUT);
            assertThat(v.figures()).containsOnly(entry("value", 0.87), entry("threshold", 0.85));
        }

        @Test
        @DisplayName("fails below the threshold, naming both numbers")
        void failsBelow() throws Exception {
            Gate.Verdict v = check(auc, context().evaluated(HOLDOUT, Map.of("auc", 0.8)));

            assertThat(v.outcome()).isEqualTo(GateOutcome.FAILED);
            assertThat(v.reasons()).containsExactly("auc 0.8 is not >= 0.85 on " + HOLDOUT);
            assertThat(v.figures()).containsOnly(entry("value", 0.8), entry("threshold", 0.85));
        }

        @ParameterizedTest(name = "{0} {1} {2} -> {3}")
        @DisplayName("applies each operator as written")
        @CsvSource({
            "0.85, >=, 0.85, PASSED", "0.84, >=, 0.85, FAILED",
            "0.86, >,  0.85, PASSED", "0.85, >,  0.85, FAILED",
            "0.10, <=, 0.10, PASSED", "0.11, <=, 0.10, FAILED",
            "0.09, <,  0.10, PASSED", "0.10, <,  0.10, FAILED",
            "3,    ==, 3,    PASSED", "2,    ==, 3,    FAILED"
        })
        void operators(double value, String operator, double threshold, GateOutcome expected) throws Exception {
            GateSpec gate = Gates.metricThreshold("m", Comparison.fromSymbol(operator), threshold).on(HOLDOUT);

            assertThat(check(gate, context().evaluated(HOLDOUT, Map.of("m", value))).outcome()).isEqualTo(expected);
        }

        @Test
        @DisplayName("uses the model's canonical evaluation set when it names none")
        void canonicalSet() throws Exception {
            GateSpec gate = Gates.metricThreshold("auc", Comparison.AT_LEAST, 0.85);

            Gate.Verdict v = check(gate, context().canonicalSet(CANONICAL)
                    .evaluated(CANONICAL, Map.of("auc", 0.9)).evaluated(HOLDOUT, Map.of("auc", 0.1)));

            assertThat(v.outcome()).isEqualTo(GateOutcome.PASSED);
            assertThat(v.reasons()).containsExactly("auc 0.9 >= 0.85 on " + CANONICAL);
        }

        @Test
        @DisplayName("fails clearly when it names no set and the model has no canonical set")
        void noSetAtAll() throws Exception {
            GateSpec gate = Gates.metricThreshold("auc", Comparison.AT_LEAST, 0.85);

            Gate.Verdict v = check(gate, context().evaluated(HOLDOUT, Map.of("auc", 0.9)));

            assertThat(v.outcome()).isEqualTo(GateOutcome.FAILED);
            assertThat(v.reasons()).containsExactly(
                    "no evaluation set: the gate names none and model fraud-detector has no canonical evaluation set");
        }

        @Test
        @DisplayName("fails when the candidate was never evaluated on the set, naming the sets it was evaluated on")
        void neverEvaluated() throws Exception {
            Gate.Verdict v = check(auc, context().evaluated(CANONICAL, Map.of("auc", 0.9)));

            assertThat(v.outcome()).isEqualTo(GateOutcome.FAILED);
            assertThat(v.reasons()).containsExactly("candidate 1.5.0 was never evaluated on " + HOLDOUT
                    + "; it was evaluated on [" + CANONICAL + "]");
        }

        @Test
        @DisplayName("fails when the candidate has no evaluations at all")
        void noEvaluations() throws Exception {
            assertThat(check(auc, context()).reasons())
                    .containsExactly("candidate 1.5.0 was never evaluated on " + HOLDOUT + "; it has no evaluations");
        }

        @Test
        @DisplayName("fails when the metric was not recorded on the set, naming the metrics that were")
        void metricMissing() throws Exception {
            Gate.Verdict v = check(auc, context().evaluated(HOLDOUT, Map.of("f1", 0.7, "accuracy", 0.9)));

            assertThat(v.outcome()).isEqualTo(GateOutcome.FAILED);
            assertThat(v.reasons()).containsExactly("metric auc was not recorded for candidate 1.5.0 on " + HOLDOUT
                    + "; recorded metrics: [accuracy, f1]");
        }
    }

    @Nested
    @DisplayName("no-regression")
    class NoRegression {
        private final GateSpec auc = Gates.noRegression("auc", 0.01).on(HOLDOUT);

        @Test
        @DisplayName("passes when the target stage has no incumbent")
        void noIncumbent() throws Exception {
            Gate.Verdict v = check(auc, context().evaluated(HOLDOUT, Map.of("auc", 0.5)));

            assertThat(v.outcome()).isEqualTo(GateOutcome.PASSED);
            assertThat(v.reasons()).containsExactly("no incumbent in PRODUCTION to regress against");
        }

        @Test
        @DisplayName("passes when the candidate is better, reporting both values and the delta")
        void better() throws Exception {
            Gate.Verdict v = check(auc, context().incumbent(version("1.4.0"))
                    .evaluated(HOLDOUT, Map.of("auc", 0.9)).incumbentEvaluated(HOLDOUT, Map.of("auc", 0.85)));

            assertThat(v.outcome()).isEqualTo(GateOutcome.PASSED);
            assertThat(v.figures()).containsOnlyKeys("candidate", "incumbent", "delta", "tolerance");
            assertThat(v.figures().get("candidate")).isEqualTo(0.9);
            assertThat(v.figures().get("incumbent")).isEqualTo(0.85);
            assertThat(v.figures().get("delta")).isCloseTo(0.05, org.assertj.core.data.Offset.offset(1e-12));
            assertThat(v.reasons()).containsExactly("no regression: auc 0.9 against incumbent 1.4.0's 0.85 on "
                    + HOLDOUT + " (delta +0.05, higher is better, tolerance 0.01)");
        }

        @Test
        @DisplayName("passes a regression exactly as large as the tolerance despite floating-point rounding")
        void onTheTolerance() throws Exception {
            Gate.Verdict v = check(auc, context().incumbent(version("1.4.0"))
                    .evaluated(HOLDOUT, Map.of("auc", 0.84)).incumbentEvaluated(HOLDOUT, Map.of("auc", 0.85)));

            assertThat(v.outcome()).isEqualTo(GateOutcome.PASSED);
        }

        @Test
        @DisplayName("fails when the candidate is worse by more than the tolerance")
        void regression() throws Exception {
            Gate.Verdict v = check(auc, context().incumbent(version("1.4.0"))
                    .evaluated(HOLDOUT, Map.of("auc", 0.83)).incumbentEvaluated(HOLDOUT, Map.of("auc", 0.85)));

            assertThat(v.outcome()).isEqualTo(GateOutcome.FAILED);
            assertThat(v.reasons()).containsExactly("regression: auc 0.83 against incumbent 1.4.0's 0.85 on "
                    + HOLDOUT + " (delta -0.02, higher is better, tolerance 0.01)");
        }

        @Test
        @DisplayName("treats a rise as a regression for a metric where lower is better")
        void lowerIsBetter() throws Exception {
            GateSpec loss = Gates.noRegression("log_loss", 0.0).lowerIsBetter().on(HOLDOUT);
            Fixtures.Context base = context().incumbent(version("1.4.0")).incumbentEvaluated(HOLDOUT, Map.of("log_loss", 0.30));

            assertThat(check(loss, base.evaluated(HOLDOUT, Map.of("log_loss", 0.31))).outcome()).isEqualTo(GateOutcome.FAILED);
            assertThat(check(loss, base.evaluated(HOLDOUT, Map.of("log_loss", 0.29))).outcome()).isEqualTo(GateOutcome.PASSED);
        }

        @Test
        @DisplayName("fails clearly when the incumbent was never evaluated on the set")
        void incumbentNeverEvaluated() throws Exception {
            Gate.Verdict v = check(auc, context().incumbent(version("1.4.0"))
                    .evaluated(HOLDOUT, Map.of("auc", 0.9)).incumbentEvaluated(CANONICAL, Map.of("auc", 0.85)));

            assertThat(v.outcome()).isEqualTo(GateOutcome.FAILED);
            assertThat(v.reasons()).containsExactly("incumbent 1.4.0 was never evaluated on " + HOLDOUT
                    + ", so auc cannot be compared; it was evaluated on [" + CANONICAL + "]");
            assertThat(v.figures()).containsOnly(entry("candidate", 0.9));
        }

        @Test
        @DisplayName("fails when the candidate was never evaluated on the set")
        void candidateNeverEvaluated() throws Exception {
            Gate.Verdict v = check(auc, context().incumbent(version("1.4.0")).incumbentEvaluated(HOLDOUT, Map.of("auc", 0.85)));

            assertThat(v.outcome()).isEqualTo(GateOutcome.FAILED);
            assertThat(v.reasons()).containsExactly("candidate 1.5.0 was never evaluated on " + HOLDOUT + "; it has no evaluations");
        }

        @Test
        @DisplayName("fails when the incumbent's evaluation lacks the metric")
        void incumbentLacksMetric() throws Exception {
            Gate.Verdict v = check(auc, context().incumbent(version("1.4.0"))
                    .evaluated(HOLDOUT, Map.of("auc", 0.9)).incumbentEvaluated(HOLDOUT, Map.of("f1", 0.7)));

            assertThat(v.reasons()).containsExactly("metric auc was not recorded for incumbent 1.4.0 on " + HOLDOUT
                    + "; recorded metrics: [f1]");
        }

        @Test
        @DisplayName("compares on the canonical set when it names none, and fails when there is none")
        void canonical() throws Exception {
            GateSpec gate = Gates.noRegression("auc", 0.0);
            Fixtures.Context both = context().incumbent(version("1.4.0"))
                    .evaluated(CANONICAL, Map.of("auc", 0.9)).incumbentEvaluated(CANONICAL, Map.of("auc", 0.85));

            assertThat(check(gate, both).outcome()).isEqualTo(GateOutcome.FAILED);
            assertThat(check(gate, both.canonicalSet(CANONICAL)).outcome()).isEqualTo(GateOutcome.PASSED);
        }
    }

    @Nested
    @DisplayName("fairness")
    class Fairness {
        private final GateSpec tpr = Gates.fairness("tpr", "gender:", 0.05).on(HOLDOUT);

        private Fixtures.Context sliced(Map<String, Map<String, Double>> slices) {
            return context().evaluated(evaluation(HOLDOUT, Map.of("tpr", 0.8), slices, Map.of()));
        }

        @Test
        @DisplayName("passes when the largest gap across the prefixed slices is within the bound")
        void within() throws Exception {
            Gate.Verdict v = check(tpr, sliced(Map.of(
                    "gender:female", Map.of("tpr", 0.80), "gender:male", Map.of("tpr", 0.82),
                    "gender:other", Map.of("tpr", 0.79))));

            assertThat(v.outcome()).isEqualTo(GateOutcome.PASSED);
            assertThat(v.figures()).containsOnlyKeys("max", "min", "gap", "bound");
            assertThat(v.figures().get("max")).isEqualTo(0.82);
            assertThat(v.figures().get("min")).isEqualTo(0.79);
            assertThat(v.figures().get("bound")).isEqualTo(0.05);
            assertThat(v.reasons()).containsExactly("tpr gap 0.03 across 3 gender:* slices on " + HOLDOUT
                    + " (highest gender:male 0.82, lowest gender:other 0.79) is within the bound 0.05");
        }

        @Test
        @DisplayName("fails when the gap exceeds the bound, naming the extreme slices")
        void over() throws Exception {
            Gate.Verdict v = check(tpr, sliced(Map.of(
                    "gender:female", Map.of("tpr", 0.70), "gender:male", Map.of("tpr", 0.82))));

            assertThat(v.outcome()).isEqualTo(GateOutcome.FAILED);
            assertThat(v.reasons()).containsExactly("tpr gap 0.12 across 2 gender:* slices on " + HOLDOUT
                    + " (highest gender:male 0.82, lowest gender:female 0.7) exceeds the bound 0.05");
        }

        @Test
        @DisplayName("ignores slices of other prefixes and slices lacking the metric")
        void ignoresOthers() throws Exception {
            Gate.Verdict v = check(tpr, sliced(Map.of(
                    "gender:female", Map.of("tpr", 0.80), "gender:male", Map.of("tpr", 0.82),
                    "gender:unknown", Map.of("fpr", 0.5), "age:18-25", Map.of("tpr", 0.1))));

            assertThat(v.outcome()).isEqualTo(GateOutcome.PASSED);
            assertThat(v.figures().get("min")).isEqualTo(0.80);
        }

        @Test
        @DisplayName("fails when fewer than two slices record the metric")
        void tooFewSlices() throws Exception {
            Gate.Verdict v = check(tpr, sliced(Map.of(
                    "gender:female", Map.of("tpr", 0.80), "gender:male", Map.of("fpr", 0.1))));

            assertThat(v.outcome()).isEqualTo(GateOutcome.FAILED);
            assertThat(v.reasons()).containsExactly("needs at least two slices starting with \"gender:\" that record tpr on "
                    + HOLDOUT + " to measure a gap; found [gender:female] among the candidate's slices [gender:female, gender:male]");
        }

        @Test
        @DisplayName("fails when the candidate was never evaluated on the set")
        void neverEvaluated() throws Exception {
            assertThat(check(tpr, context()).outcome()).isEqualTo(GateOutcome.FAILED);
        }
    }

    @Nested
    @DisplayName("artifact-size")
    class ArtifactSize {

        @Test
        @DisplayName("passes when the artifacts together are within the limit, the limit included")
        void within() throws Exception {
            Gate.Verdict v = check(Gates.artifactSize(1000),
                    context().candidate(version("1.5.0").artifact("model.onnx", 600).artifact("vocab.txt", 400)));

            assertThat(v.outcome()).isEqualTo(GateOutcome.PASSED);
            assertThat(v.figures()).containsOnly(entry("totalBytes", 1000.0), entry("maxBytes", 1000.0));
        }

        @Test
        @DisplayName("fails when their total is over the limit, naming each artifact's size")
        void over() throws Exception {
            Gate.Verdict v = check(Gates.artifactSize(1000),
                    context().candidate(version("1.5.0").artifact("model.onnx", 600).artifact("vocab.txt", 401)));

            assertThat(v.outcome()).isEqualTo(GateOutcome.FAILED);
            assertThat(v.reasons()).containsExactly(
                    "artifacts of candidate 1.5.0 total 1001 bytes (model.onnx 600, vocab.txt 401), over the limit of 1000 bytes");
        }

        @Test
        @DisplayName("passes a version without artifacts")
        void none() throws Exception {
            assertThat(check(Gates.artifactSize(0), context()).outcome()).isEqualTo(GateOutcome.PASSED);
        }
    }

    @Nested
    @DisplayName("operational-budget")
    class OperationalBudget {
        private final GateSpec latency = Gates.operationalBudget("latency_p99_ms", 25).on(HOLDOUT);

        private Fixtures.Context measured(Map<String, Double> operational) {
            return context().evaluated(evaluation(HOLDOUT, Map.of("auc", 0.9), Map.of(), operational));
        }

        @Test
        @DisplayName("passes when the recorded figure is within the budget")
        void within() throws Exception {
            Gate.Verdict v = check(latency, measured(Map.of("latency_p99_ms", 25.0)));

            assertThat(v.outcome()).isEqualTo(GateOutcome.PASSED);
            assertThat(v.figures()).containsOnly(entry("value", 25.0), entry("max", 25.0));
        }

        @Test
        @DisplayName("fails when the recorded figure is over the budget")
        void over() throws Exception {
            Gate.Verdict v = check(latency, measured(Map.of("latency_p99_ms", 31.5)));

            assertThat(v.outcome()).isEqualTo(GateOutcome.FAILED);
            assertThat(v.reasons()).containsExactly("latency_p99_ms 31.5 is not <= 25 on " + HOLDOUT);
        }

        @Test
        @DisplayName("fails when the figure was not recorded, naming the figures that were")
        void missing() throws Exception {
            Gate.Verdict v = check(latency, measured(Map.of("memory_mb", 512.0)));

            assertThat(v.outcome()).isEqualTo(GateOutcome.FAILED);
            assertThat(v.reasons()).containsExactly("operational figure latency_p99_ms was not recorded for candidate 1.5.0 on "
                    + HOLDOUT + "; recorded figures: [memory_mb]");
        }
    }

    @Nested
    @DisplayName("business-kpi")
    class BusinessKpi {
        private final GateSpec uplift = Gates.businessKpi("revenue_uplift", Comparison.GREATER_THAN, 0.0);

        @Test
        @DisplayName("reads the KPI from the candidate's registration metrics")
        void registration() throws Exception {
            Gate.Verdict v = check(uplift, context().candidate(version("1.5.0").metrics(Map.of("revenue_uplift", 0.02))));

            assertThat(v.outcome()).isEqualTo(GateOutcome.PASSED);
            assertThat(v.reasons()).containsExactly("KPI revenue_uplift 0.02 > 0 (registration metric)");
            assertThat(v.figures()).containsOnly(entry("value", 0.02), entry("threshold", 0.0));
        }

        @Test
        @DisplayName("fails when the KPI misses its target")
        void misses() throws Exception {
            Gate.Verdict v = check(uplift, context().candidate(version("1.5.0").metrics(Map.of("revenue_uplift", -0.01))));

            assertThat(v.outcome()).isEqualTo(GateOutcome.FAILED);
            assertThat(v.reasons()).containsExactly("KPI revenue_uplift -0.01 is not > 0 (registration metric)");
        }

        @Test
        @DisplayName("falls back to the evaluation on its set when the registration metrics lack it")
        void fromEvaluation() throws Exception {
            GateSpec gate = Gates.businessKpi("revenue_uplift", Comparison.GREATER_THAN, 0.0).on(HOLDOUT);

            Gate.Verdict v = check(gate, context().evaluated(HOLDOUT, Map.of("revenue_uplift", 0.03)));

            assertThat(v.outcome()).isEqualTo(GateOutcome.PASSED);
            assertThat(v.reasons()).containsExactly("KPI revenue_uplift 0.03 > 0 on " + HOLDOUT);
        }

        @Test
        @DisplayName("prefers the registration metric over the evaluation")
        void prefersRegistration() throws Exception {
            GateSpec gate = Gates.businessKpi("revenue_uplift", Comparison.GREATER_THAN, 0.0).on(HOLDOUT);

            Gate.Verdict v = check(gate, context().candidate(version("1.5.0").metrics(Map.of("revenue_uplift", -1.0)))
                    .evaluated(HOLDOUT, Map.of("revenue_uplift", 0.03)));

            assertThat(v.outcome()).isEqualTo(GateOutcome.FAILED);
        }

        @Test
        @DisplayName("fails when the KPI is recorded nowhere, naming where it looked")
        void missing() throws Exception {
            GateSpec gate = Gates.businessKpi("revenue_uplift", Comparison.GREATER_THAN, 0.0).on(HOLDOUT);

            Gate.Verdict v = check(gate, context().candidate(version("1.5.0").metrics(Map.of("auc", 0.9)))
                    .evaluated(HOLDOUT, Map.of("f1", 0.7)));

            assertThat(v.outcome()).isEqualTo(GateOutcome.FAILED);
            assertThat(v.reasons()).containsExactly("KPI revenue_uplift was not recorded: not in the registration metrics of "
                    + "candidate 1.5.0 [auc], nor its evaluation on " + HOLDOUT + " [f1]");
        }

        @Test
        @DisplayName("fails without a set when the registration metrics lack the KPI")
        void missingWithoutSet() throws Exception {
            Gate.Verdict v = check(uplift, context());

            assertThat(v.reasons()).containsExactly(
                    "KPI revenue_uplift was not recorded: not in the registration metrics of candidate 1.5.0 []");
        }
    }

    @Nested
    @DisplayName("documentation")
    class Documentation {
        private final GateSpec everything = Gates.documentation("intended-use", "limitations", "Fairness-Review")
                .withFeatureList().withDatasetLineage();

        @Test
        @DisplayName("passes when the card has the sections (case-insensitively, free sections too), features and lineage")
        void complete() throws Exception {
            ModelCard card = ModelCard.builder().intendedUse("Card fraud scoring").limitations("Not for loans")
                    .section("fairness-review", "Reviewed 2024-04").build();

            Gate.Verdict v = check(everything, context().card(card)
                    .candidate(version("1.5.0").inputs("amount", "merchant").trainedOn("s3://data/tx@git:3f2c1e0")));

            assertThat(v.outcome()).isEqualTo(GateOutcome.PASSED);
            assertThat(v.figures()).containsOnly(entry("sectionsRequired", 3.0), entry("sectionsPresent", 3.0));
        }

        @Test
        @DisplayName("fails listing everything that is missing")
        void listsAllMissing() throws Exception {
            ModelCard card = ModelCard.builder().intendedUse("Card fraud scoring").limitations("  ").build();

            Gate.Verdict v = check(everything, context().card(card));

            assertThat(v.outcome()).isEqualTo(GateOutcome.FAILED);
            assertThat(v.reasons()).containsExactly(
                    "model card section \"limitations\" is missing or empty",
                    "model card section \"Fairness-Review\" is missing or empty",
                    "no feature list: the signature of candidate 1.5.0 declares no inputs",
                    "no dataset lineage: candidate 1.5.0 records no training datasets");
            assertThat(v.figures()).containsEntry("sectionsPresent", 1.0);
        }

        @Test
        @DisplayName("fails when sections are required and there is no model card at all")
        void noCard() throws Exception {
            Gate.Verdict v = check(Gates.documentation("intended-use", "limitations"), context());

            assertThat(v.outcome()).isEqualTo(GateOutcome.FAILED);
            assertThat(v.reasons()).containsExactly("no model card (required sections: intended-use, limitations)");
        }

        @Test
        @DisplayName("needs no card when it requires only features and lineage")
        void noCardNeeded() throws Exception {
            GateSpec gate = Gates.documentation().withFeatureList().withDatasetLineage();

            Gate.Verdict v = check(gate, context().candidate(version("1.5.0").inputs("amount").trainedOn("s3://data/tx@v1")));

            assertThat(v.outcome()).isEqualTo(GateOutcome.PASSED);
        }
    }

    @Nested
    @DisplayName("manual-approval")
    class ManualApproval {
        private final GateSpec one = Gates.manualApproval(1, "approver");

        @Test
        @DisplayName("is pending until an approver approves")
        void pending() throws Exception {
            Gate.Verdict v = check(one, context());

            assertThat(v.outcome()).isEqualTo(GateOutcome.PENDING);
            assertThat(v.reasons()).containsExactly("needs 1 more approval from role approver; 0 of 1 from role approver");
            assertThat(v.figures()).containsOnly(entry("approvals", 0.0), entry("required", 1.0));
        }

        @Test
        @DisplayName("passes with an approval from a principal holding the role")
        void approved() throws Exception {
            Gate.Verdict v = check(one, context().approvals(approve("dave", "approver")));

            assertThat(v.outcome()).isEqualTo(GateOutcome.PASSED);
            assertThat(v.reasons()).containsExactly("approved: 1 of 1 from role approver (dave)");
            assertThat(v.figures()).containsOnly(entry("approvals", 1.0), entry("required", 1.0));
        }

        @Test
        @DisplayName("does not count approvals from principals without the role")
        void wrongRole() throws Exception {
            Gate.Verdict v = check(one, context().approvals(approve("erin", "viewer")));

            assertThat(v.outcome()).isEqualTo(GateOutcome.PENDING);
            assertThat(v.reasons().get(0)).endsWith("not counted: erin (does not hold role approver)");
        }

        @Test
        @DisplayName("does not count the author's own approval by default")
        void author() throws Exception {
            Gate.Verdict v = check(one, context().approvals(approve("alice", "approver")));

            assertThat(v.outcome()).isEqualTo(GateOutcome.PENDING);
            assertThat(v.reasons()).containsExactly("needs 1 more approval from role approver; 0 of 1 from role approver; "
                    + "not counted: alice (the author)");
        }

        @Test
        @DisplayName("counts the author's approval when distinctFromAuthor is off")
        void authorAllowed() throws Exception {
            GateSpec gate = Gates.manualApproval(1, "approver").withDistinctFromAuthor(false);

            assertThat(check(gate, context().approvals(approve("alice", "approver"))).outcome()).isEqualTo(GateOutcome.PASSED);
        }

        @Test
        @DisplayName("counts the requester's approval by default but not with distinctFromRequester (four eyes)")
        void requester() throws Exception {
            Fixtures.Context byRequester = context().requester(Principal.of("carol", "approver"))
                    .approvals(approve("carol", "approver"));

            assertThat(check(one, byRequester).outcome()).isEqualTo(GateOutcome.PASSED);
            Gate.Verdict fourEyes = check(Gates.manualApproval(1, "approver").withDistinctFromRequester(true), byRequester);
            assertThat(fourEyes.outcome()).isEqualTo(GateOutcome.PENDING);
            assertThat(fourEyes.reasons().get(0)).endsWith("not counted: carol (the requester)");
        }

        @Test
        @DisplayName("counts distinct principals, so one approver approving twice is one approval")
        void distinctPrincipals() throws Exception {
            GateSpec two = Gates.manualApproval(2, "approver");

            Gate.Verdict twice = check(two, context().approvals(approve("dave", "approver"), approve("dave", "approver")));
            Gate.Verdict both = check(two, context().approvals(approve("dave", "approver"), approve("frank", "approver")));

            assertThat(twice.outcome()).isEqualTo(GateOutcome.PENDING);
            assertThat(twice.reasons().get(0)).startsWith("needs 1 more approval from role approver; 1 of 2");
            assertThat(both.outcome()).isEqualTo(GateOutcome.PASSED);
            assertThat(both.figures()).containsOnly(entry("approvals", 2.0), entry("required", 2.0));
        }

        @Test
        @DisplayName("says how many approvals are still needed")
        void plural() throws Exception {
            assertThat(check(Gates.manualApproval(3, "approver"), context()).reasons().get(0))
                    .startsWith("needs 3 more approvals from role approver");
        }

        @Test
        @DisplayName("fails when an eligible principal rejects, even after enough approvals")
        void rejected() throws Exception {
            Gate.Verdict v = check(one, context().approvals(approve("dave", "approver"),
                    reject("frank", "no holdout evaluation", "approver")));

            assertThat(v.outcome()).isEqualTo(GateOutcome.FAILED);
            assertThat(v.reasons()).containsExactly("rejected by frank: \"no holdout evaluation\"");
        }

        @Test
        @DisplayName("ignores a rejection by a principal who is not eligible")
        void ineligibleRejection() throws Exception {
            Gate.Verdict v = check(one, context().approvals(reject("erin", "meh", "viewer"), approve("dave", "approver")));

            assertThat(v.outcome()).isEqualTo(GateOutcome.PASSED);
        }
    }

    @Nested
    @DisplayName("custom")
    class Custom {

        @Test
        @DisplayName("is the gate registered under its name")
        void registered() throws Exception {
            Gate audit = context -> Gate.Verdict.passed("audited " + context.candidate().version(), Map.of("score", 1.0));

            Gate.Verdict v = Gates.custom("bias-audit").toGate(Map.of("bias-audit", audit)).evaluate(context().build());

            assertThat(v.outcome()).isEqualTo(GateOutcome.PASSED);
            assertThat(v.reasons()).containsExactly("audited 1.5.0");
        }

        @Test
        @DisplayName("fails closed when no gate is registered under its name")
        void unknown() throws Exception {
            Gate.Verdict v = Gates.custom("bias-audit").toGate(Map.of("other", c -> null)).evaluate(context().build());

            assertThat(v.outcome()).isEqualTo(GateOutcome.FAILED);
            assertThat(v.reasons()).containsExactly("custom gate \"bias-audit\" is not registered; registered: [other]");
        }
    }
}
