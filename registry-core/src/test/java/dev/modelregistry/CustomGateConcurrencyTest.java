package dev.modelregistry;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("A custom gate (user code)")
class CustomGateConcurrencyTest {
    private static final String MODEL = "fraud-detector";
    private static final Principal ALICE = Principal.of("alice");

    private final AtomicInteger runs = new AtomicInteger();
    private final CountDownLatch entered = new CountDownLatch(1);
    private final CountDownLatch release = new CountDownLatch(1);
    private final ExecutorService pool = Executors.newCachedThreadPool();
    private ModelRegistry registry;

    @BeforeEach
    void setUp() {
        Gate slow = ctx -> {
            runs.incrementAndGet();
            entered.countDown();
            if (!release.await(30, TimeUnit.SECONDS)) {
                return Gate.Verdict.failed("never released", Map.of());
            }
            return Gate.Verdict.passed("checked " + ctx.candidate(), Map.of());
        };
        registry = ModelRegistry.builder()
                .customGate("slow-check", slow)
                .gatePolicy(GatePolicy.builder().transition(Stage.STAGING, Stage.PRODUCTION, new GateSpec.Custom("slow-check")).build())
                .build();
        for (String v : List.of("1.0.0", "1.1.0")) {
            registry.register(ALICE, Registration.of(MODEL).version(v).build());
            registry.promote(ALICE, MODEL, SemVer.parse(v), Stage.STAGING, "candidate");
        }
    }

    @AfterEach
    void tearDown() {
        release.countDown();
        pool.shutdownNow();
        registry.close();
    }

    @Test
    @DisplayName("runs without the model's lock: another write to the same model completes while it runs, and it is evaluated again because the log moved")
    void doesNotHoldTheModelLock() throws Exception {
        CompletableFuture<PromotionResult> promotion = CompletableFuture.supplyAsync(
                () -> registry.promote(ALICE, MODEL, SemVer.parse("1.0.0"), Stage.PRODUCTION, "release"), pool);
        assertThat(entered.await(30, TimeUnit.SECONDS)).as("the gate started").isTrue();

        // The gate is still running (it waits for the release latch); a write to the same model must not wait for it.
        CompletableFuture<Void> annotation = CompletableFuture.runAsync(() -> registry.attachModelCard(ALICE, MODEL,
                SemVer.parse("1.1.0"), ModelCard.builder().section("intended-use", "fraud scoring").build(), "card"), pool);
        annotation.get(30, TimeUnit.SECONDS);
        assertThat(promotion).isNotDone();
        assertThat(runs).hasValue(1);

        release.countDown();
        PromotionResult result = promotion.get(30, TimeUnit.SECONDS);
        assertThat(result.applied()).isTrue();
        assertThat(registry.getCurrent(MODEL, Stage.PRODUCTION).version()).isEqualTo(SemVer.parse("1.0.0"));
        // The card was appended while the gate ran: the log moved under the evaluation, so it ran again.
        assertThat(runs).hasValue(2);
        assertThat(registry.log(MODEL)).extracting(e -> e.event().getClass().getSimpleName())
                .containsSubsequence("ModelCardAttached", "StageChanged");
    }

    @Test
    @DisplayName("is evaluated once when nothing moved while it ran")
    void runsOnceWhenNothingMoved() {
        release.countDown();
        PromotionResult result = registry.promote(ALICE, MODEL, SemVer.parse("1.1.0"), Stage.PRODUCTION, "release");
        assertThat(result.applied()).isTrue();
        assertThat(runs).hasValue(1);
        assertThat(result.report().results()).extracting(GateResult::gate).containsExactly("slow-check");
    }
}
