package dev.modelregistry;

import dev.modelregistry.internal.gate.GateEngine;


import static dev.modelregistry.Fixtures.HOLDOUT;
import static dev.modelregistry.Fixtures.approve;
import static dev.modelregistry.Fixtures.context;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@DisplayName("The gate engine")
class GateEngineTest {
    // Long enough that a trivial gate never misses it on a loaded machine; the hanging gate costs this once.
    private static final Duration LIMIT = Duration.ofSeconds(2);

    private final ExecutorService executor = Executors.newCachedThreadPool();

    @AfterEach
    void shutDown() throws InterruptedException {
        executor.shutdownNow();
        assertThat(executor.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }

    private GateEngine engine(Map<String, Gate> custom) {
        return new GateEngine(custom, LIMIT, executor);
    }

    @Nested
    @DisplayName("reports")
    class Reports {

        @Test
        @DisplayName("evaluate every gate, also after a failure, with one result per gate in order")
        void complete() {
            List<GateSpec> gates = List.of(
                    Gates.metricThreshold("auc", Comparison.AT_LEAST, 0.95).on(HOLDOUT),
                    Gates.artifactSize(10),
                    Gates.metricThreshold("auc", Comparison.AT_LEAST, 0.85).on(HOLDOUT).withName("auc-floor"),
                    Gates.manualApproval(1, "approver"),
                    Gates.custom("bias-audit"));
            Gate audit = c -> Gate.Verdict.passed("no bias found", Map.of("score", 0.01));

            GateReport report = engine(Map.of("bias-audit", audit))
                    .evaluate(gates, context().evaluated(HOLDOUT, Map.of("auc", 0.9)).build());

            assertThat(report.from()).isEqualTo(Stage.STAGING);
            assertThat(report.to()).isEqualTo(Stage.PRODUCTION);
            assertThat(report.results()).extracting(GateResult::gate, GateResult::type, GateResult::outcome).containsExactly(
                    tuple("metric-threshold", "metric-threshold", GateOutcome.FAILED),
                    tuple("artifact-size", "artifact-size", GateOutcome.PASSED),
                    tuple("auc-floor", "metric-threshold", GateOutcome.PASSED),
                    tuple("manual-approval", "manual-approval", GateOutcome.PENDING),
                    tuple("bias-audit", "custom", GateOutcome.PASSED));
            assertThat(report.results().get(0).figures()).containsEntry("value", 0.9).containsEntry("threshold", 0.95);
            assertThat(report.results().get(4).figures()).containsEntry("score", 0.01);
            assertThat(report.outcome()).isEqualTo(GateOutcome.FAILED);
        }

        @Test
        @DisplayName("are PENDING when only a manual approval is outstanding, and PASSED once it is given")
        void pendingThenPassed() {
            List<GateSpec> gates = List.of(Gates.metricThreshold("auc", Comparison.AT_LEAST, 0.85).on(HOLDOUT),
                    Gates.manualApproval(1, "approver"));
            Fixtures.Context context = context().evaluated(HOLDOUT, Map.of("auc", 0.9));

            assertThat(engine(Map.of()).evaluate(gates, context.build()).outcome()).isEqualTo(GateOutcome.PENDING);
            assertThat(engine(Map.of()).evaluate(gates, context.approvals(approve("dave", "approver")).build()).outcome())
                    .isEqualTo(GateOutcome.PASSED);
        }

        @Test
        @DisplayName("take the gates of the context's transition from a policy, and pass with none")
        void fromPolicy() {
            GatePolicy policy = GatePolicy.builder()
                    .transition(Stage.STAGING, Stage.PRODUCTION, Gates.artifactSize(0))
                    .transition(Stage.NONE, Stage.STAGING, Gates.manualApproval(3, "approver"))
                    .build();

            GateReport report = engine(Map.of()).evaluate(policy, context().build());
            GateReport none = engine(Map.of()).evaluate(GatePolicy.empty(), context().build());

            assertThat(report.results()).extracting(GateResult::gate).containsExactly("artifact-size");
            assertThat(none.results()).isEmpty();
            assertThat(none.outcome()).isEqualTo(GateOutcome.PASSED);
        }
    }

    @Nested
    @DisplayName("fails closed")
    class FailsClosed {

        @Test
        @DisplayName("when a custom gate throws, naming the exception, and still runs the other gates")
        void throwing() {
            Gate broken = c -> {
                throw new IllegalStateException("feature store unreachable");
            };

            GateReport report = engine(Map.of("drift", broken))
                    .evaluate(List.of(Gates.custom("drift"), Gates.artifactSize(100)), context().build());

            assertThat(report.results()).extracting(GateResult::outcome).containsExactly(GateOutcome.FAILED, GateOutcome.PASSED);
            assertThat(report.results().get(0).reasons()).containsExactly(
                    "gate \"drift\" threw java.lang.IllegalStateException: feature store unreachable");
            assertThat(report.outcome()).isEqualTo(GateOutcome.FAILED);
        }

        @Test
        @DisplayName("when a custom gate runs past the time limit, cancelling it, and still runs the other gates")
        void timeout() throws InterruptedException {
            CountDownLatch never = new CountDownLatch(1);
            CountDownLatch interrupted = new CountDownLatch(1);
            Gate stuck = c -> {
                try {
                    never.await();
                } catch (InterruptedException e) {
                    interrupted.countDown();
                    throw e;
                }
                return Gate.Verdict.passed("unreachable", Map.of());
            };

            GateReport report = engine(Map.of("stuck", stuck))
                    .evaluate(List.of(Gates.custom("stuck"), Gates.artifactSize(100)), context().build());

            assertThat(report.results()).extracting(GateResult::outcome).containsExactly(GateOutcome.FAILED, GateOutcome.PASSED);
            assertThat(report.results().get(0).reasons()).containsExactly(
                    "gate \"stuck\" timed out after " + LIMIT.toMillis() + " ms and was cancelled");
            assertThat(interrupted.await(10, TimeUnit.SECONDS)).as("the stuck gate was interrupted").isTrue();
        }

        @Test
        @DisplayName("when a custom gate returns no verdict")
        void nullVerdict() {
            GateReport report = engine(Map.of("lazy", c -> null)).evaluate(List.of(Gates.custom("lazy")), context().build());

            assertThat(report.results().get(0).outcome()).isEqualTo(GateOutcome.FAILED);
            assertThat(report.results().get(0).reasons()).containsExactly("gate \"lazy\" returned no verdict");
        }

        @Test
        @DisplayName("when the policy names a custom gate that is not registered")
        void unregistered() {
            GateReport report = engine(Map.of()).evaluate(List.of(Gates.custom("bias-audit")), context().build());

            assertThat(report.results().get(0).outcome()).isEqualTo(GateOutcome.FAILED);
            assertThat(report.results().get(0).reasons())
                    .containsExactly("custom gate \"bias-audit\" is not registered; no custom gates are registered");
        }

        @Test
        @DisplayName("when the executor refuses the gate")
        void rejected() {
            ExecutorService closed = Executors.newSingleThreadExecutor();
            closed.shutdown();

            GateReport report = new GateEngine(Map.of("audit", c -> Gate.Verdict.passed("ok", Map.of())), LIMIT, closed)
                    .evaluate(List.of(Gates.custom("audit")), context().build());

            assertThat(report.results().get(0).outcome()).isEqualTo(GateOutcome.FAILED);
            assertThat(report.results().get(0).reasons().get(0)).startsWith("gate \"audit\" could not be scheduled");
        }

        @Test
        @DisplayName("when a built-in gate meets a context it cannot handle")
        void brokenContext() {
            GateContext broken = new GateContext(Fixtures.MODEL, null, java.util.Optional.empty(), Stage.STAGING,
                    Stage.PRODUCTION, Map.of(), Map.of(), java.util.Optional.empty(), java.util.Optional.empty(),
                    List.of(), null, Fixtures.NOW);

            GateReport report = engine(Map.of()).evaluate(List.of(Gates.artifactSize(10)), broken);

            assertThat(report.results().get(0).outcome()).isEqualTo(GateOutcome.FAILED);
            assertThat(report.results().get(0).reasons().get(0)).startsWith("gate \"artifact-size\" threw java.lang.NullPointerException");
        }
    }

    @Nested
    @DisplayName("custom gates")
    class CustomGates {

        @Test
        @DisplayName("see the context and run on the executor, not on the caller's thread")
        void context() {
            AtomicReference<Thread> ranOn = new AtomicReference<>();
            Gate audit = c -> {
                ranOn.set(Thread.currentThread());
                return Gate.Verdict.passed("checked " + c.candidate(), Map.of());
            };

            GateReport report = engine(Map.of("audit", audit))
                    .evaluate(List.of(Gates.custom("audit")), Fixtures.context().build());

            assertThat(report.results().get(0).reasons()).containsExactly("checked fraud-detector@1.5.0");
            assertThat(ranOn.get()).isNotNull().isNotSameAs(Thread.currentThread());
        }

        @Test
        @DisplayName("configuration is refused when the time limit is not positive or a gate is null")
        void badConfiguration() {
            assertThatThrownBy(() -> new GateEngine(Map.of(), Duration.ZERO, executor))
                    .hasMessage("timeoutPerGate must be positive, was PT0S");
            assertThatThrownBy(() -> new GateEngine(Map.of(), Duration.ofMillis(-1), executor))
                    .isInstanceOf(IllegalArgumentException.class);
            java.util.Map<String, Gate> withNull = new java.util.HashMap<>();
            withNull.put("audit", null);
            assertThatThrownBy(() -> new GateEngine(withNull, LIMIT, executor))
                    .hasMessage("Custom gate \"audit\" is null");
            assertThatThrownBy(() -> new GateEngine(Map.of(), LIMIT, null))
                    .hasMessage("executor must not be null");
        }
    }
}
