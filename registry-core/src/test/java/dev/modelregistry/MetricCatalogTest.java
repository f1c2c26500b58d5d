package dev.modelregistry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@DisplayName("The metric catalog")
class MetricCatalogTest {
    @Nested
    @DisplayName("standard")
    class Standard {
        @ParameterizedTest(name = "{0} -> {1}")
        @DisplayName("knows the direction of common metrics and families")
        @CsvSource({
            "auc, HIGHER_IS_BETTER", "accuracy, HIGHER_IS_BETTER", "precision, HIGHER_IS_BETTER", "recall, HIGHER_IS_BETTER",
            "f1, HIGHER_IS_BETTER", "tpr, HIGHER_IS_BETTER", "tnr, HIGHER_IS_BETTER",
            "logloss, LOWER_IS_BETTER", "rmse, LOWER_IS_BETTER", "mae, LOWER_IS_BETTER", "mse, LOWER_IS_BETTER",
            "fpr, LOWER_IS_BETTER", "fnr, LOWER_IS_BETTER", "error_rate, LOWER_IS_BETTER", "memory_mb, LOWER_IS_BETTER",
            "latency_p99_ms, LOWER_IS_BETTER", "latency_p50_ms, LOWER_IS_BETTER", "cost_per_1k_usd, LOWER_IS_BETTER",
            "memory_peak_mb, LOWER_IS_BETTER"
        })
        void directions(String metric, Direction expected) {
            assertThat(MetricCatalog.standard().get(metric).direction()).isEqualTo(expected);
        }

        @Test
        @DisplayName("gives pattern matches the metric's own name and the family's precision")
        void patternMatch() {
            MetricDefinition d = MetricCatalog.standard().get("latency_p99_ms");

            assertThat(d.name()).isEqualTo("latency_p99_ms");
            assertThat(d.displayPrecision()).isEqualTo(2);
            assertThat(d.format(12.3456)).isEqualTo("12.35");
            assertThat(MetricCatalog.standard().find("latency_ms")).isEmpty();
        }
    }

    @Test
    @DisplayName("refuses an undeclared metric, naming it and saying how to declare it")
    void unknown() {
        assertThatThrownBy(() -> MetricCatalog.standard().get("lift_at_5"))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("\"lift_at_5\"")
                .hasMessageContaining("unknown metrics must be declared before they are compared")
                .hasMessageContaining("define(\"lift_at_5\"");
    }

    @Test
    @DisplayName("extends a catalog without changing it, exact names winning over patterns")
    void extend() {
        MetricCatalog custom = MetricCatalog.standard().toBuilder()
                .define("lift_at_5", Direction.HIGHER_IS_BETTER, 3, "lift in the top 5%")
                .define("latency_p99_ms", Direction.LOWER_IS_BETTER, 0, "p99 in whole milliseconds")
                .build();

        assertThat(custom.get("lift_at_5").displayPrecision()).isEqualTo(3);
        assertThat(custom.get("latency_p99_ms").displayPrecision()).isZero();
        assertThat(custom.get("latency_p50_ms").displayPrecision()).isEqualTo(2);
        assertThat(MetricCatalog.standard().find("lift_at_5")).isEmpty();
    }

    @Test
    @DisplayName("refuses bad definitions with messages that name the value")
    void badDefinitions() {
        assertThatThrownBy(() -> new MetricDefinition("auc", Direction.HIGHER_IS_BETTER, 13, ""))
                .isInstanceOf(ValidationException.class).hasMessageContaining("was 13");
        assertThatThrownBy(() -> new MetricDefinition("a b", Direction.HIGHER_IS_BETTER, 2, ""))
                .isInstanceOf(ValidationException.class).hasMessageContaining("\"a b\"");
        assertThatThrownBy(() -> MetricCatalog.builder().define("x*", Direction.LOWER_IS_BETTER, 1, ""))
                .isInstanceOf(ValidationException.class).hasMessageContaining("definePattern");
        assertThatThrownBy(() -> MetricCatalog.builder().definePattern("x", Direction.LOWER_IS_BETTER, 1, ""))
                .isInstanceOf(ValidationException.class).hasMessageContaining("\"x\"");
    }
}
