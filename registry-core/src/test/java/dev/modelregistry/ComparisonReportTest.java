package dev.modelregistry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@DisplayName("A comparison report")
class ComparisonReportTest {
    static final DatasetRef HOLDOUT = DatasetRef.deltaVersion("s3://lake/holdout", 7);
    static final DatasetRef OLD_HOLDOUT = DatasetRef.deltaVersion("s3://lake/holdout", 6);
    static final ModelVersion BASELINE = version("1.0.0");
    static final ModelVersion CANDIDATE = version("1.1.0");

    static ModelVersion version(String v) {
        return new ModelVersion(ModelName.of("fraud"), SemVer.parse(v), List.of(), "alice", Instant.EPOCH, "", "", Map.of(),
                null, Map.of(), List.of(), null, "", Map.of());
    }

    static final Evaluation BASE_EVAL = new Evaluation(HOLDOUT,
            Map.of("auc", 0.91, "logloss", 0.30, "recall", 0.80, "precision", 0.70, "f1", 0.75),
            Map.of("region:eu", Map.of("recall", 0.82, "fpr", 0.05),
                    "region:us", Map.of("recall", 0.78, "fpr", 0.04),
                    "region:apac", Map.of("recall", 0.70, "fpr", 0.06),
                    "channel:web", Map.of("recall", 0.90)),
            Map.of("latency_p99_ms", 12.0, "memory_mb", 512.0));
    static final Evaluation CAND_EVAL = new Evaluation(HOLDOUT,
            Map.of("auc", 0.93, "logloss", 0.31, "recall", 0.80, "precision", 0.72, "accuracy", 0.97),
            Map.of("region:eu", Map.of("recall", 0.70, "fpr", 0.05),
                    "region:us", Map.of("recall", 0.779, "fpr", 0.09),
                    "region:apac", Map.of("recall", 0.75, "fpr", 0.06),
                    "device:mobile", Map.of("recall", 0.6)),
            Map.of("latency_p99_ms", 9.5, "memory_mb", 600.0));

    static ComparisonReport report() {
        return ComparisonReport.compare(BASELINE, Map.of(HOLDOUT.id(), BASE_EVAL), CANDIDATE, Map.of(HOLDOUT.id(), CAND_EVAL),
                HOLDOUT, MetricCatalog.standard(), 0.01);
    }

    @Nested
    @DisplayName("refuses")
    class Refusals {
        @Test
        @DisplayName("when a version lacks an evaluation on that exact set, naming the sets each has")
        void missingSet() {
            assertThatThrownBy(() -> ComparisonReport.compare(BASELINE, Map.of(HOLDOUT.id(), BASE_EVAL), CANDIDATE,
                    Map.of(OLD_HOLDOUT.id(), new Evaluation(OLD_HOLDOUT, Map.of("auc", 0.9), Map.of(), Map.of())),
                    HOLDOUT, MetricCatalog.standard(), 0.01))
                    .isInstanceOf(ValidationException.class)
                    .hasMessageContaining("the candidate fraud@1.1.0 has no evaluation on it")
                    .hasMessageContaining("baseline fraud@1.0.0: [s3://lake/holdout@delta:7]")
                    .hasMessageContaining("candidate fraud@1.1.0: [s3://lake/holdout@delta:6]");
        }

        @Test
        @DisplayName("when a metric is not declared in the catalog")
        void undeclared() {
            Evaluation odd = new Evaluation(HOLDOUT, Map.of("lift_at_5", 2.0), Map.of(), Map.of());

            assertThatThrownBy(() -> ComparisonReport.compare(BASELINE, Map.of(HOLDOUT.id(), odd), CANDIDATE,
                    Map.of(HOLDOUT.id(), odd), HOLDOUT, MetricCatalog.standard(), 0.01))
                    .isInstanceOf(ValidationException.class).hasMessageContaining("\"lift_at_5\"");
        }

        @Test
        @DisplayName("a negative slice tolerance")
        void tolerance() {
            assertThatThrownBy(() -> ComparisonReport.compare(BASELINE, Map.of(), CANDIDATE, Map.of(), HOLDOUT,
                    MetricCatalog.standard(), -0.1)).isInstanceOf(ValidationException.class).hasMessageContaining("-0.1");
        }
    }

    @Nested
    @DisplayName("judges each metric")
    class Verdicts {
        @Test
        @DisplayName("by its direction, with deltas, and reports one-sided metrics instead of dropping them")
        void metrics() {
            ComparisonReport r = report();

            assertThat(r.metrics()).extracting(MetricRow::metric, MetricRow::verdict).containsExactly(
                    org.assertj.core.groups.Tuple.tuple("accuracy", Verdict.ONLY_IN_CANDIDATE),
                    org.assertj.core.groups.Tuple.tuple("auc", Verdict.BETTER),
                    org.assertj.core.groups.Tuple.tuple("f1", Verdict.ONLY_IN_BASELINE),
                    org.assertj.core.groups.Tuple.tuple("logloss", Verdict.WORSE),
                    org.assertj.core.groups.Tuple.tuple("precision", Verdict.BETTER),
                    org.assertj.core.groups.Tuple.tuple("recall", Verdict.SAME));
            MetricRow auc = r.metrics().get(1);
            assertThat(auc.delta().getAsDouble()).isCloseTo(0.02, org.assertj.core.data.Offset.offset(1e-12));
            assertThat(auc.relativeDelta().getAsDouble()).isCloseTo(0.02 / 0.91, org.assertj.core.data.Offset.offset(1e-12));
        }

        @Test
        @DisplayName("treats floating-point noise as the same value")
        void epsilon() {
            MetricDefinition auc = MetricCatalog.standard().get("auc");

            assertThat(MetricRow.of(auc, 0.1 + 0.2, 0.3).verdict()).isEqualTo(Verdict.SAME);
            assertThat(MetricRow.of(auc, 0.3, 0.3001).verdict()).isEqualTo(Verdict.BETTER);
            assertThat(MetricRow.of(auc, 0.0, 0.1).relativeDelta()).isEmpty();
        }

        @Test
        @DisplayName("compares operational figures the same way and lists every regression")
        void operational() {
            ComparisonReport r = report();

            assertThat(r.operational()).extracting(MetricRow::metric, MetricRow::verdict).containsExactly(
                    org.assertj.core.groups.Tuple.tuple("latency_p99_ms", Verdict.BETTER),
                    org.assertj.core.groups.Tuple.tuple("memory_mb", Verdict.WORSE));
            assertThat(r.regressions()).extracting(MetricRow::metric).containsExactly("logloss", "memory_mb");
            assertThat(r.hasRegressions()).isTrue();
        }
    }

    @Nested
    @DisplayName("error analysis")
    class Slices {
        @Test
        @DisplayName("ranks the slices where the candidate is worse beyond the tolerance, worst first")
        void ranked() {
            assertThat(report().worseSlices()).extracting(SliceRegression::slice, SliceRegression::metric).containsExactly(
                    org.assertj.core.groups.Tuple.tuple("region:eu", "recall"),
                    org.assertj.core.groups.Tuple.tuple("region:us", "fpr"));
            assertThat(report().worseSlices().get(0).worseBy()).isCloseTo(0.12, org.assertj.core.data.Offset.offset(1e-12));
        }

        @Test
        @DisplayName("names slices only one side was evaluated on")
        void unmatched() {
            assertThat(report().slicesOnlyInBaseline()).containsExactly("channel:web");
            assertThat(report().slicesOnlyInCandidate()).containsExactly("device:mobile");
        }

        @Test
        @DisplayName("reports nothing when the tolerance covers every drop")
        void tolerant() {
            ComparisonReport r = ComparisonReport.compare(BASELINE, Map.of(HOLDOUT.id(), BASE_EVAL), CANDIDATE,
                    Map.of(HOLDOUT.id(), CAND_EVAL), HOLDOUT, MetricCatalog.standard(), 0.2);

            assertThat(r.worseSlices()).isEmpty();
        }
    }

    @Nested
    @DisplayName("renders")
    class Renders {
        @Test
        @DisplayName("as an aligned text table with display precision")
        void text() {
            String text = report().toText();

            assertThat(text).startsWith("Comparison of fraud@1.1.0 (candidate) against fraud@1.0.0 (baseline) on s3://lake/holdout@delta:7\n");
            assertThat(text).contains("  auc          0.9100     0.9300  +0.0200    +2.20%  BETTER\n");
            assertThat(text).contains("  f1           0.7500          -                     ONLY_IN_BASELINE\n");
            assertThat(text).contains("  latency_p99_ms     12.00       9.50  -2.50   -20.83%  BETTER\n");
            assertThat(text).contains("  region:eu  recall    0.8200     0.7000    0.1200\n");
            assertThat(text).contains("Slices only in the baseline: channel:web\n");
            List<String> metricLines = text.lines().dropWhile(l -> !l.equals("Metrics")).skip(1).takeWhile(l -> !l.isEmpty()).toList();
            assertThat(metricLines).hasSize(8);
            assertThat(metricLines.stream().map(l -> l.lastIndexOf("  ")).distinct()).as("verdict column start").hasSize(1);
        }

        @Test
        @DisplayName("as GitHub Markdown tables")
        void markdown() {
            String md = report().toMarkdown();

            assertThat(md).startsWith("### Comparison of fraud@1.1.0");
            assertThat(md).contains("| metric | baseline | candidate | delta | relative | verdict |\n| --- | ---: | ---: | ---: | ---: | --- |\n");
            assertThat(md).contains("| logloss | 0.3000 | 0.3100 | +0.0100 | +3.33% | WORSE |");
            assertThat(md).contains("| region:us | fpr | 0.0400 | 0.0900 | 0.0500 |");
        }

        @Test
        @DisplayName("as stable JSON with unrounded values and nulls for missing sides")
        void json() throws Exception {
            String json = report().toJson();
            JsonNode root = new ObjectMapper().readTree(json);

            assertThat(json).isEqualTo(report().toJson());
            assertThat(root.get("evaluationSet").asText()).isEqualTo(HOLDOUT.id());
            assertThat(root.at("/metrics/1/candidate").asDouble()).isEqualTo(0.93);
            assertThat(root.at("/metrics/0/baseline").isNull()).isTrue();
            assertThat(root.at("/worseSlices/0/slice").asText()).isEqualTo("region:eu");
            assertThat(root.get("hasRegressions").asBoolean()).isTrue();
            assertThat(json).startsWith("{\"baseline\":\"fraud@1.0.0\",\"candidate\"");
        }
    }
}
