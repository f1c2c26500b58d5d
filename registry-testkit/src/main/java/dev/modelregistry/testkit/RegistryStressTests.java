package dev.modelregistry.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelregistry.AlreadyExistsException;
import dev.modelregistry.Bump;
import dev.modelregistry.ConcurrentUpdateException;
import dev.modelregistry.DatasetRef;
import dev.modelregistry.Evaluation;
import dev.modelregistry.GateRejectedException;
import dev.modelregistry.IllegalTransitionException;
import dev.modelregistry.StateConflictException;
import dev.modelregistry.Lifecycle;
import dev.modelregistry.ModelRegistry;
import dev.modelregistry.ModelVersion;
import dev.modelregistry.NotFoundException;
import dev.modelregistry.Principal;
import dev.modelregistry.PromotionRequest;
import dev.modelregistry.Registration;
import dev.modelregistry.SemVer;
import dev.modelregistry.Stage;
import dev.modelregistry.LogEntry;
import dev.modelregistry.VersionRegistered;
import dev.modelregistry.GatePolicy;
import dev.modelregistry.Gates;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Many writers, each with a registry of its own over one backend (as separate processes would
 * have), mix every write operation on two models for a bounded time, while readers check the
 * invariants continuously: at most one Production holder, logs numbered without gaps and never
 * shrinking, registered versions strictly increasing in log order (every writer bumps). At the end
 * every chain verifies, every acknowledged registration is there, and a registry opened afresh
 * reads the same stages as the writers' own.
 *
 * <p>A backend's test extends this class and implements {@link #openBackend}.
 */
public abstract class RegistryStressTests {
    private static final List<String> MODELS = List.of("alpha", "beta");
    private static final Principal ADMIN = Principal.of("root", "admin");
    private static final DatasetRef HOLDOUT = DatasetRef.deltaVersion("s3://data/holdout", 3);
    /** Refusals a racing writer may meet: it lost a race, or the state moved under its feet. */
    private static final Set<Class<?>> EXPECTED_REFUSALS = Set.of(IllegalTransitionException.class, StateConflictException.class, NotFoundException.class,
            AlreadyExistsException.class, GateRejectedException.class, ConcurrentUpdateException.class);

    @TempDir
    protected Path tempDir;
    private Backend backend;
    private final List<ModelRegistry> opened = new CopyOnWriteArrayList<>();

    protected abstract Backend openBackend(Path dir) throws Exception;

    /** How long the writers run. */
    protected Duration duration() {
        return Duration.ofSeconds(3);
    }

    protected int writers() {
        return 6;
    }

    @BeforeEach
    void open() throws Exception {
        backend = openBackend(tempDir);
    }

    @AfterEach
    void close() throws Exception {
        for (ModelRegistry r : opened) {
            r.close();
        }
        backend.close();
    }

    private ModelRegistry newRegistry() {
        ModelRegistry r = backend.registryBuilder().clock(ManualClock.startingAtEpochOf2024()).lifecycle(Lifecycle.defaults())
                .maxWriteAttempts(10_000).build();
        opened.add(r);
        return r;
    }

    @Test
    @DisplayName("writers mixing every operation keep the invariants, seen continuously by readers and at the end")
    void mixedWritersKeepTheInvariants() throws Exception {
        long deadline = System.nanoTime() + duration().toNanos();
        Map<String, Set<String>> acknowledged = new ConcurrentHashMap<>();
        MODELS.forEach(m -> acknowledged.put(m, ConcurrentHashMap.newKeySet()));
        AtomicLong operations = new AtomicLong();
        AtomicLong refusals = new AtomicLong();
        AtomicLong reads = new AtomicLong();
        AtomicBoolean writing = new AtomicBoolean(true);
        ExecutorService pool = Executors.newFixedThreadPool(writers() + 2);
        List<Future<?>> writerTasks = new ArrayList<>();
        for (int w = 0; w < writers(); w++) {
            ModelRegistry r = newRegistry();
            Random random = new Random(w);
            writerTasks.add(pool.submit(() -> {
                while (System.nanoTime() < deadline) {
                    String model = MODELS.get(random.nextInt(MODELS.size()));
                    try {
                        writeOnce(r, random, model, acknowledged.get(model));
                    } catch (RuntimeException e) {
                        assertThat(EXPECTED_REFUSALS).as("refusal %s", e).contains(e.getClass());
                        refusals.incrementAndGet();
                    }
                    operations.incrementAndGet();
                }
                return null;
            }));
        }
        List<Future<?>> readerTasks = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            ModelRegistry r = newRegistry();
            readerTasks.add(pool.submit(() -> {
                Map<String, Integer> lastLength = new ConcurrentHashMap<>();
                while (writing.get()) {
                    for (String m : MODELS) {
                        checkInvariants(r, m, lastLength);
                        reads.incrementAndGet();
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : writerTasks) {
            f.get(duration().toSeconds() + 120, TimeUnit.SECONDS);
        }
        writing.set(false);
        for (Future<?> f : readerTasks) {
            f.get(120, TimeUnit.SECONDS);
        }
        pool.shutdown();

        ModelRegistry fresh = newRegistry();
        assertThat(fresh.verify().intact()).as("verify: %s", fresh.verify().firstProblem()).isTrue();
        for (String m : MODELS) {
            checkInvariants(fresh, m, new ConcurrentHashMap<>());
            for (String v : acknowledged.get(m)) {
                assertThat(fresh.findVersion(m, SemVer.parse(v))).as("acknowledged %s@%s", m, v).isPresent();
            }
            assertThat(fresh.versionsIn(m, Stage.PRODUCTION).stream().map(ModelVersion::version).toList())
                    .isEqualTo(opened.get(0).versionsIn(m, Stage.PRODUCTION).stream().map(ModelVersion::version).toList());
        }
        System.out.printf("%s: %,d write operations by %d writers (%,d refused as races or moved state), %,d invariant checks by 2 readers%n",
                getClass().getSimpleName(), operations.get(), writers(), refusals.get(), reads.get());
        assertThat(operations.get() - refusals.get()).as("writes that succeeded").isGreaterThan(0);
    }

    /** The models the writers share. */
    public static final List<String> STRESS_MODELS = MODELS;

    /**
     * One random write on {@code model}, as the writers here do, for writers in other processes too;
     * adds the version of a successful registration to {@code acknowledged}. Throws the refusals a
     * racing writer may meet (see {@link #isExpectedRefusal}).
     */
    public static void writeOnce(ModelRegistry r, Random random, String model, Set<String> acknowledged) {
        List<ModelVersion> versions = r.findModel(model).isPresent() ? r.search(model, dev.modelregistry.VersionQuery.all()).items() : List.of();
        SemVer pick = versions.isEmpty() ? SemVer.parse("1.0.0") : versions.get(random.nextInt(versions.size())).version();
        switch (random.nextInt(10)) {
            case 0, 1 -> acknowledged.add(r.register(ADMIN, Registration.of(model)
                    .bump(random.nextBoolean() ? Bump.MINOR : Bump.PATCH).build()).version().toString());
            case 2 -> r.promote(ADMIN, model, pick, Stage.STAGING, "stress");
            case 3 -> r.promote(ADMIN, model, pick, Stage.PRODUCTION, "stress");
            case 4 -> r.archive(ADMIN, model, pick, "stress");
            case 5 -> r.rollback(ADMIN, model, Stage.PRODUCTION, "stress");
            case 6 -> r.recordEvaluation(ADMIN, model, pick, Evaluation.of(HOLDOUT, Map.of("auc", random.nextDouble())), "stress");
            case 7 -> r.setGatePolicy(ADMIN, random.nextBoolean() ? GatePolicy.empty()
                    : GatePolicy.builder().transition(Stage.STAGING, Stage.PRODUCTION, Gates.manualApproval(1, "approver")).build(), "stress");
            default -> {
                List<PromotionRequest> open = r.openRequests(model);
                if (!open.isEmpty()) {
                    PromotionRequest q = open.get(random.nextInt(open.size()));
                    switch (random.nextInt(3)) {
                        case 0 -> r.approve(Principal.of("ada", "approver"), q.id(), "stress");
                        case 1 -> r.reject(Principal.of("ada", "approver"), q.id(), "stress");
                        default -> r.withdraw(ADMIN, q.id(), "stress");
                    }
                }
            }
        }
    }

    /** True for the refusals a racing writer may meet: it lost a race, or the state moved under its feet. */
    public static boolean isExpectedRefusal(RuntimeException e) {
        return EXPECTED_REFUSALS.contains(e.getClass());
    }

    /**
     * The invariants readers check: at most one Production holder, the log numbered without gaps and
     * not shorter than {@code lastLength} last saw (updated), versions increasing in log order.
     */
    public static void checkInvariants(ModelRegistry r, String model, Map<String, Integer> lastLength) {
        if (r.findModel(model).isEmpty()) {
            return; // not created yet: every read but find... would say NotFound
        }
        assertThat(r.versionsIn(model, Stage.PRODUCTION).size()).as("Production holders of %s", model).isLessThanOrEqualTo(1);
        List<LogEntry> log = r.log(model);
        for (int i = 0; i < log.size(); i++) {
            assertThat(log.get(i).sequence()).as("sequence numbers of %s", model).isEqualTo(i + 1);
        }
        int previous = lastLength.getOrDefault(model, 0);
        assertThat(log.size()).as("the log of %s never shrinks", model).isGreaterThanOrEqualTo(previous);
        lastLength.put(model, log.size());
        SemVer last = null;
        for (LogEntry e : log) {
            if (e.event() instanceof VersionRegistered v) {
                if (last != null) {
                    assertThat(v.version().version()).as("versions of %s in log order", model).isGreaterThan(last);
                }
                last = v.version().version();
            }
        }
    }
}
