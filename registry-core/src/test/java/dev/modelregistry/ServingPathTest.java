package dev.modelregistry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.modelregistry.memory.InMemoryEventStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * {@code findCurrent} answers from a lock-free serving index in the steady state; these pin down
 * that the index never answers differently from the registry's state.
 */
@DisplayName("The serving path (findCurrent)")
class ServingPathTest {
    private static final Principal ALICE = Principal.of("alice");

    private static void registerAndPromote(ModelRegistry registry, String model) {
        registry.register(ALICE, Registration.of(model).version("1.0.0").build());
        registry.promote(ALICE, model, SemVer.of(1, 0, 0), Stage.STAGING, "smoke tests");
        registry.promote(ALICE, model, SemVer.of(1, 0, 0), Stage.PRODUCTION, "approved");
    }

    @Test
    @DisplayName("answers a name passed as another String instance with the same characters")
    void equalButNotIdenticalNames() {
        try (ModelRegistry registry = ModelRegistry.inMemory()) {
            registerAndPromote(registry, "fraud-detector");
            String sameName = new String("fraud-detector".toCharArray());
            assertThat(registry.findCurrent("fraud-detector", Stage.PRODUCTION)).isPresent();
            assertThat(registry.findCurrent(sameName, Stage.PRODUCTION)).map(ModelVersion::version).contains(SemVer.of(1, 0, 0));
            assertThat(registry.findCurrent(new String(sameName.toCharArray()), Stage.STAGING)).isEmpty();
        }
    }

    @Test
    @DisplayName("answers every one of 1,000 models after the index has grown many times, and nothing for unknown names")
    void manyModels() {
        try (ModelRegistry registry = ModelRegistry.inMemory()) {
            for (int m = 0; m < 1_000; m++) {
                registerAndPromote(registry, "model-" + m);
                assertThat(registry.findCurrent("model-" + m, Stage.PRODUCTION)).isPresent();
            }
            for (int m = 0; m < 1_000; m++) {
                assertThat(registry.findCurrent("model-" + m, Stage.PRODUCTION)).as("model-%d", m)
                        .map(v -> v.model().value()).contains("model-" + m);
            }
            assertThat(registry.findCurrent("model-1000", Stage.PRODUCTION)).isEmpty();
            assertThat(registry.findCurrent("Model-1", Stage.PRODUCTION)).isEmpty();
        }
    }

    @Test
    @DisplayName("a null or invalid name, a null or unknown stage are refused as before, however warm the path")
    void badArgumentsStillRefused() {
        try (ModelRegistry registry = ModelRegistry.inMemory()) {
            registerAndPromote(registry, "fraud-detector");
            for (int i = 0; i < 10_000; i++) {
                registry.findCurrent("fraud-detector", Stage.PRODUCTION);
            }
            assertThatThrownBy(() -> registry.findCurrent(null, Stage.PRODUCTION)).isInstanceOf(InvalidNameException.class);
            assertThatThrownBy(() -> registry.findCurrent("../etc", Stage.PRODUCTION)).isInstanceOf(InvalidNameException.class);
            assertThatThrownBy(() -> registry.findCurrent("fraud-detector", null)).isInstanceOf(ValidationException.class);
            assertThatThrownBy(() -> registry.findCurrent("fraud-detector", Stage.of("CANARY")))
                    .isInstanceOf(ValidationException.class).hasMessageContaining("CANARY");
        }
    }

    @Test
    @DisplayName("sees a promotion made through another registry on the same store at once")
    void changeThroughAnotherRegistry() {
        InMemoryEventStore store = new InMemoryEventStore();
        try (ModelRegistry serving = ModelRegistry.builder().eventStore(store).build();
                ModelRegistry training = ModelRegistry.builder().eventStore(store).build()) {
            registerAndPromote(training, "fraud-detector");
            assertThat(serving.findCurrent("fraud-detector", Stage.PRODUCTION)).map(ModelVersion::version).contains(SemVer.of(1, 0, 0));
            training.register(ALICE, Registration.of("fraud-detector").version("2.0.0").build());
            training.promote(ALICE, "fraud-detector", SemVer.of(2, 0, 0), Stage.STAGING, "smoke tests");
            training.promote(ALICE, "fraud-detector", SemVer.of(2, 0, 0), Stage.PRODUCTION, "approved");
            assertThat(serving.findCurrent("fraud-detector", Stage.PRODUCTION)).map(ModelVersion::version).contains(SemVer.of(2, 0, 0));
        }
    }

    @Test
    @DisplayName("readers racing model creation and promotions never see a version that is not, or was not just, current")
    void readersRaceWriters() throws Exception {
        int models = 200;
        try (ModelRegistry registry = ModelRegistry.inMemory()) {
            ExecutorService pool = Executors.newFixedThreadPool(4);
            AtomicBoolean done = new AtomicBoolean();
            CountDownLatch start = new CountDownLatch(1);
            try {
                List<Future<Integer>> readers = new ArrayList<>();
                for (int r = 0; r < 3; r++) {
                    readers.add(pool.submit(() -> {
                        start.await();
                        int answered = 0;
                        while (!done.get()) {
                            for (int m = 0; m < models; m++) {
                                Optional<ModelVersion> current = registry.findCurrent("model-" + m, Stage.PRODUCTION);
                                if (current.isPresent()) {
                                    // Production only ever holds 1.0.0 (then 2.0.0) of the model asked for.
                                    assertThat(current.get().model().value()).isEqualTo("model-" + m);
                                    assertThat(current.get().version().major()).isBetween(1, 2);
                                    answered++;
                                }
                            }
                        }
                        return answered;
                    }));
                }
                start.countDown();
                for (int m = 0; m < models; m++) {
                    registerAndPromote(registry, "model-" + m);
                    assertThat(registry.findCurrent("model-" + m, Stage.PRODUCTION)).isPresent();
                }
                for (int m = 0; m < models; m++) {
                    String model = "model-" + m;
                    registry.register(ALICE, Registration.of(model).version("2.0.0").build());
                    registry.promote(ALICE, model, SemVer.of(2, 0, 0), Stage.STAGING, "smoke tests");
                    registry.promote(ALICE, model, SemVer.of(2, 0, 0), Stage.PRODUCTION, "approved");
                    assertThat(registry.findCurrent(model, Stage.PRODUCTION)).map(ModelVersion::version).contains(SemVer.of(2, 0, 0));
                }
                done.set(true);
                for (Future<Integer> reader : readers) {
                    reader.get(60, TimeUnit.SECONDS);
                }
            } finally {
                done.set(true);
                pool.shutdownNow();
            }
            for (int m = 0; m < models; m++) {
                assertThat(registry.findCurrent("model-" + m, Stage.PRODUCTION)).map(ModelVersion::version).contains(SemVer.of(2, 0, 0));
            }
        }
    }
}
