package dev.modelregistry.s3;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelregistry.Bump;
import dev.modelregistry.ModelRegistry;
import dev.modelregistry.ModelVersion;
import dev.modelregistry.Principal;
import dev.modelregistry.Registration;
import dev.modelregistry.SemVer;
import dev.modelregistry.Stage;
import dev.modelregistry.StageChange;
import dev.modelregistry.LogEntry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Eight writer threads over three registries, each with its own S3 client as separate machines
 * would have, racing registrations and promotions on one model. Create-only writes are linearized
 * per key across all three clients (see {@link LinearizingS3Client}), standing in for the
 * atomicity S3 gives and S3Mock does not.
 */
@DisplayName("Racing writers on one bucket")
class S3RaceTest {
    private static final String MODEL = "recommender";
    private static final int THREADS = 8;
    private final List<S3Client> clients = new ArrayList<>();
    private final List<ModelRegistry> registries = new ArrayList<>();

    @AfterEach
    void close() {
        registries.forEach(ModelRegistry::close);
        clients.forEach(S3Client::close);
    }

    @Test
    @DisplayName("keep versions distinct and gap-free, one Production holder at every moment, and a log that verifies")
    void racingRegistrationsAndPromotions() throws Exception {
        String prefix = S3MockServer.uniquePrefix("race");
        Linearizer linearizer = new Linearizer();
        for (int i = 0; i < 3; i++) {
            S3Client client = S3MockServer.newClient();
            clients.add(client);
            registries.add(S3Registry.builder(S3Config.builder(S3MockServer.BUCKET).prefix(prefix)
                    .client(new LinearizingS3Client(client, linearizer)).snapshotEvery(5)
                    .changeCheckInterval(Duration.ZERO).build()).build());
        }
        ModelRegistry setup = registries.get(0);
        for (int i = 1; i <= 4; i++) {
            setup.register(Principal.of("setup"), Registration.of(MODEL).version("0." + i + ".0").build());
            setup.promote(Principal.of("setup"), MODEL, SemVer.parse("0." + i + ".0"), Stage.STAGING, "");
        }

        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        List<Future<List<Object>>> futures = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            int id = t;
            ModelRegistry registry = registries.get(t % 3);
            Principal who = Principal.of("racer-" + t);
            Callable<List<Object>> task = () -> {
                start.await();
                List<Object> results = new ArrayList<>();
                if (id < 4) {
                    results.add(registry.promote(who, MODEL, SemVer.parse("0." + (id + 1) + ".0"), Stage.PRODUCTION, "race " + id).change());
                } else {
                    for (int k = 0; k < 2; k++) {
                        results.add(registry.register(who, Registration.of(MODEL).bump(Bump.MINOR).build()));
                    }
                }
                return results;
            };
            futures.add(pool.submit(task));
        }
        start.countDown();
        List<StageChange> promotions = new ArrayList<>();
        List<SemVer> registered = new ArrayList<>();
        try {
            for (Future<List<Object>> f : futures) {
                for (Object r : f.get(120, TimeUnit.SECONDS)) {
                    if (r instanceof StageChange c) {
                        promotions.add(c);
                    } else {
                        registered.add(((ModelVersion) r).version());
                    }
                }
            }
        } finally {
            pool.shutdownNow();
        }

        List<SemVer> expected = new ArrayList<>();
        for (int i = 5; i <= 12; i++) {
            expected.add(SemVer.parse("0." + i + ".0"));
        }
        assertThat(registered).containsExactlyInAnyOrderElementsOf(expected);

        for (ModelRegistry r : registries) {
            assertThat(r.verify().intact()).isTrue();
        }
        List<LogEntry> log = registries.get(1).log(MODEL);
        assertThat(registries.get(2).log(MODEL)).isEqualTo(log);
        assertThat(log).extracting(LogEntry::sequence).containsExactlyElementsOf(
                java.util.stream.LongStream.rangeClosed(1, log.size()).boxed().toList());
        // Setup: ModelCreated + 4 registrations + 4 promotions; race: 8 registrations, 4 promotions, 3 displacements.
        assertThat(log).hasSize(9 + 8 + 4 + 3);

        Set<Long> promotionSequences = new HashSet<>();
        for (StageChange c : registries.get(2).stageHistory(MODEL)) {
            if (c.kind() == StageChange.Kind.PROMOTION && c.to().equals(Stage.PRODUCTION)) {
                promotionSequences.add(c.sequence());
            }
        }
        assertThat(promotionSequences).containsExactlyInAnyOrderElementsOf(promotions.stream().map(StageChange::sequence).toList());
        Set<SemVer> holders = new HashSet<>();
        for (StageChange c : registries.get(0).stageHistory(MODEL)) {
            if (c.from().equals(Stage.PRODUCTION)) {
                holders.remove(c.version());
            }
            if (c.to().equals(Stage.PRODUCTION)) {
                holders.add(c.version());
            }
            assertThat(holders).as("Production holders after entry " + c.sequence()).hasSizeLessThanOrEqualTo(1);
        }
        assertThat(registries.get(1).versionsIn(MODEL, Stage.PRODUCTION)).hasSize(1);
    }
}
