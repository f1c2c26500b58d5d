package dev.modelregistry.testkit.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static dev.modelregistry.testkit.contract.SealedLog.T0;
import static dev.modelregistry.testkit.contract.SealedLog.registered;
import static dev.modelregistry.testkit.contract.SealedLog.renumbered;
import static dev.modelregistry.testkit.contract.SealedLog.richHistory;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.modelregistry.ConcurrentUpdateException;
import dev.modelregistry.EventStore;
import dev.modelregistry.LogEntry;
import dev.modelregistry.ModelCreated;
import dev.modelregistry.ModelName;
import dev.modelregistry.RegistryEvent;
import dev.modelregistry.SemVer;
import dev.modelregistry.Sha256;
import dev.modelregistry.VersionRegistered;
import dev.modelregistry.spi.SupportsChangeNotification;
import dev.modelregistry.spi.SupportsStorageAudit;
import dev.modelregistry.spi.SupportsStorageAudit.RecordedHead;
import dev.modelregistry.spi.SupportsStorageAudit.StoredEntry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The contract of {@link EventStore}, written once for every backend: appends are all-or-nothing
 * compare-and-swaps on the end of one model's log, entries come back exactly as appended, models are
 * listed sorted, and the change token moves on every append. A backend's test opens its store and
 * says what else it can do:
 *
 * <pre>{@code
 * class SqliteEventStoreContractTest extends EventStoreContractTests {
 *     protected EventStore openStore(Path dir) {
 *         return SqliteEventStore.open(dir.resolve("registry.db"));
 *     }
 *     protected boolean supportsSecondInstance() { return true; }
 *     protected boolean supportsStorageAudit() { return true; }
 * }
 * }</pre>
 *
 * Where the store implements an optional capability ({@link SupportsStorageAudit},
 * {@link SupportsChangeNotification}), its contract is tested too; the switches must say which it
 * implements. Entries are built through the public API and sealed as the core seals them
 * ({@link SealedLog}).
 */
public abstract class EventStoreContractTests extends StoreFixture<EventStore> {
    protected static final ModelName MODEL = ModelName.of("fraud-detector");

    /** Whether the store implements {@link SupportsChangeNotification}. */
    protected boolean supportsChangeNotification() {
        return false;
    }

    /** Whether the store implements {@link SupportsStorageAudit}. */
    protected boolean supportsStorageAudit() {
        return false;
    }

    /**
     * Whether {@link SupportsStorageAudit#recordedHead} records, for every log this store appended
     * to, where it ends and the hash of its last entry (rather than nothing, which the SPI allows).
     */
    protected boolean recordsHeads() {
        return false;
    }

    /**
     * Whether {@link EventStore#changeToken()} keeps its value while nothing is written. A store that
     * cannot tell (it moves the token whenever it may have missed another process's write) says no.
     */
    protected boolean keepsChangeTokenWhileIdle() {
        return true;
    }

    /** The store as an optional capability its test declares; the test is skipped where it does not. */
    private <T> T capability(Class<T> type, boolean declared) {
        assumeThat(declared).as("the backend implements %s", type.getSimpleName()).isTrue();
        return type.cast(store);
    }

    /** A log that starts with {@code ModelCreated} and registers {@code versions}, in one batch each. */
    private SealedLog logWithVersions(ModelName model, String... versions) {
        SealedLog log = new SealedLog(model);
        log.appendTo(store, new ModelCreated(model));
        for (String v : versions) {
            log.appendTo(store, registered(model, v));
        }
        return log;
    }

    // ================================================================ the suite

    @Test
    @DisplayName("declares exactly the optional capabilities its test says it has")
    void declaresItsCapabilities() {
        assertThat(store instanceof SupportsChangeNotification).as("implements SupportsChangeNotification")
                .isEqualTo(supportsChangeNotification());
        assertThat(store instanceof SupportsStorageAudit).as("implements SupportsStorageAudit").isEqualTo(supportsStorageAudit());
    }

    @Nested
    @DisplayName("appending")
    class Appending {

        @Test
        @DisplayName("a model without a log ends at 0, reads as empty, and gets its log with an append expecting 0")
        void firstAppend() {
            assertThat(store.lastSequence(MODEL)).isZero();
            assertThat(store.read(MODEL, 1)).isEmpty();

            SealedLog log = logWithVersions(MODEL);
            assertThat(store.lastSequence(MODEL)).isEqualTo(1);
            assertThat(store.read(MODEL, 1)).isEqualTo(log.entries());
        }

        @Test
        @DisplayName("appends a batch of entries as a whole, numbered on from the expected end")
        void batches() {
            SealedLog log = new SealedLog(MODEL);
            log.appendTo(store, new ModelCreated(MODEL), registered(MODEL, "1.0.0"), registered(MODEL, "1.1.0"));
            log.appendTo(store, registered(MODEL, "1.2.0"));
            log.appendTo(store, registered(MODEL, "2.0.0"), registered(MODEL, "2.1.0"));

            assertThat(store.lastSequence(MODEL)).isEqualTo(6);
            assertThat(store.read(MODEL, 1)).isEqualTo(log.entries());
        }

        @Test
        @DisplayName("refuses an append expecting 0 on a log that exists, with ConcurrentUpdateException naming the model, and writes nothing")
        void refusesZeroOnAnExistingLog() throws Exception {
            SealedLog log = logWithVersions(MODEL, "1.0.0");
            SealedLog rival = new SealedLog(MODEL);
            assertRefused(0, rival.next("bob", new ModelCreated(MODEL), registered(MODEL, "9.0.0")), log);
        }

        @Test
        @DisplayName("refuses an append expecting an end behind the real one, also one inside an earlier batch, and writes nothing")
        void refusesBehind() throws Exception {
            SealedLog log = new SealedLog(MODEL);
            log.appendTo(store, new ModelCreated(MODEL));
            log.appendTo(store, registered(MODEL, "1.0.0"), registered(MODEL, "1.1.0"));
            log.appendTo(store, registered(MODEL, "1.2.0"));

            for (long stale : new long[] {1, 2, 3}) {
                SealedLog behind = new SealedLog(MODEL);
                behind.accepted(log.entries().subList(0, (int) stale));
                assertRefused(stale, behind.next("bob", registered(MODEL, "9." + stale + ".0"), registered(MODEL, "9." + stale + ".1")), log);
            }
        }

        @Test
        @DisplayName("refuses an append expecting an end ahead of the real one, on an existing log and on a missing one, and writes nothing")
        void refusesAhead() throws Exception {
            SealedLog log = logWithVersions(MODEL, "1.0.0");
            SealedLog ahead = new SealedLog(MODEL);
            ahead.accepted(log.entries());
            assertRefused(7, renumbered(ahead.next("bob", registered(MODEL, "7.0.0"), registered(MODEL, "8.0.0")), 8), log);

            ModelName ghost = ModelName.of("ghost");
            List<LogEntry> shifted = renumbered(new SealedLog(ghost).next("bob", new ModelCreated(ghost), registered(ghost, "1.0.0")), 4);
            assertThatThrownBy(() -> store.append(ghost, 3, shifted)).isInstanceOf(ConcurrentUpdateException.class)
                    .hasMessageContaining(ghost.value());
            assertThat(store.lastSequence(ghost)).isZero();
            assertThat(store.read(ghost, 1)).isEmpty();
            assertThat(store.models()).containsExactly(MODEL);
        }

        @Test
        @DisplayName("refuses an append from a second instance whose view of the log is stale, and writes nothing")
        void refusesAStaleInstance() throws Exception {
            EventStore other = secondInstance();
            SealedLog log = logWithVersions(MODEL);
            SealedLog stale = new SealedLog(MODEL);
            stale.accepted(log.entries());
            assertThat(other.lastSequence(MODEL)).isEqualTo(1);

            log.appendTo(store, registered(MODEL, "1.0.0"), registered(MODEL, "1.1.0"));
            List<LogEntry> late = stale.next("bob", registered(MODEL, "9.0.0"));
            assertThatThrownBy(() -> other.append(MODEL, 1, late)).isInstanceOf(ConcurrentUpdateException.class)
                    .hasMessageContaining(MODEL.value());
            assertThat(other.read(MODEL, 1)).isEqualTo(log.entries());
            assertThat(store.read(MODEL, 1)).isEqualTo(log.entries());

            log.appendTo(other, registered(MODEL, "1.2.0"));
            assertThat(store.read(MODEL, 1)).isEqualTo(log.entries());
        }

        @Test
        @DisplayName("keeps each model's log apart")
        void logsAreApart() {
            SealedLog a = logWithVersions(ModelName.of("a"), "1.0.0", "2.0.0");
            SealedLog b = logWithVersions(ModelName.of("b"), "1.0.0");

            assertThat(store.read(ModelName.of("a"), 1)).isEqualTo(a.entries());
            assertThat(store.read(ModelName.of("b"), 1)).isEqualTo(b.entries());
            assertThat(store.lastSequence(ModelName.of("a"))).isEqualTo(3);
            assertThat(store.lastSequence(ModelName.of("b"))).isEqualTo(2);
        }

        /** Appending {@code batch} expecting {@code expected} is refused and leaves {@code log} as it was, seen from every instance. */
        private void assertRefused(long expected, List<LogEntry> batch, SealedLog log) throws Exception {
            long token = store.changeToken();
            assertThatThrownBy(() -> store.append(log.model(), expected, batch)).as("expecting %d", expected)
                    .isInstanceOf(ConcurrentUpdateException.class).hasMessageContaining(log.model().value());
            assertThat(store.lastSequence(log.model())).isEqualTo(log.end());
            assertThat(store.read(log.model(), 1)).isEqualTo(log.entries());
            if (keepsChangeTokenWhileIdle()) {
                assertThat(store.changeToken()).as("change token after a refused append").isEqualTo(token);
            }
            if (supportsSecondInstance()) {
                EventStore fresh = open();
                assertThat(fresh.lastSequence(log.model())).isEqualTo(log.end());
                assertThat(fresh.read(log.model(), 1)).isEqualTo(log.entries());
            }
        }
    }

    @Nested
    @DisplayName("reading")
    class Reading {

        @Test
        @DisplayName("reads from any sequence: the entries from there on, and nothing past the end")
        void fromAnySequence() {
            SealedLog log = new SealedLog(MODEL);
            log.appendTo(store, new ModelCreated(MODEL));
            log.appendTo(store, registered(MODEL, "1.0.0"), registered(MODEL, "1.1.0"), registered(MODEL, "1.2.0"));
            log.appendTo(store, registered(MODEL, "2.0.0"));
            List<LogEntry> all = log.entries();

            for (int from = 1; from <= all.size() + 2; from++) {
                assertThat(store.read(MODEL, from)).as("from %d", from).isEqualTo(all.subList(Math.min(from - 1, all.size()), all.size()));
            }
        }

        @Test
        @DisplayName("returns every entry exactly as appended: equal, and with byte-identical canonical JSON, empty values included")
        void exactRoundTrip() throws Exception {
            SealedLog log = new SealedLog(MODEL);
            List<LogEntry> appended = new ArrayList<>();
            String[] principals = {"alice", "o'neil", ""};
            String[] reasons = {"", "weekly retrain", "na\u00efve \u2603 \"quoted\" \\ back\nslash\ttab"};
            List<RegistryEvent> events = richHistory(MODEL);
            for (int i = 0; i < events.size(); i++) {
                LogEntry e = log.next(principals[i % 3], events.get(i)).get(0);
                LogEntry varied = LogEntry.seal(MODEL, e.sequence(), e.time(), e.principal(), reasons[i % 3], e.prevHash(), e.event());
                store.append(MODEL, log.end(), List.of(varied));
                log.accepted(List.of(varied));
                appended.add(varied);
            }

            assertSameEntries(store.read(MODEL, 1), appended);
            if (supportsSecondInstance()) {
                assertSameEntries(open().read(MODEL, 1), appended);
            }
        }

        private void assertSameEntries(List<LogEntry> read, List<LogEntry> appended) {
            assertThat(read).isEqualTo(appended);
            for (int i = 0; i < appended.size(); i++) {
                assertThat(read.get(i).toJson()).as("JSON of entry %d", i + 1).isEqualTo(appended.get(i).toJson());
                assertThat(read.get(i).toJson().getBytes(StandardCharsets.UTF_8)).isEqualTo(appended.get(i).toJson().getBytes(StandardCharsets.UTF_8));
            }
        }
    }

    @Nested
    @DisplayName("listing models")
    class Listing {

        @Test
        @DisplayName("lists exactly the models that have a log, sorted by name, the registry's own log included")
        void sortedModelsWithLogs() {
            assertThat(store.models()).isEmpty();
            for (String name : List.of("zeta", "alpha", "m-1.2_x", "Beta")) {
                logWithVersions(ModelName.of(name));
            }
            logWithVersions(ModelName.SYSTEM);
            ModelName refused = ModelName.of("refused");
            assertThatThrownBy(() -> store.append(refused, 2, renumbered(new SealedLog(refused).next("bob", registered(refused, "1.0.0")), 3)))
                    .isInstanceOf(ConcurrentUpdateException.class);

            List<ModelName> expected = new ArrayList<>(List.of(ModelName.of("zeta"), ModelName.of("alpha"), ModelName.of("m-1.2_x"),
                    ModelName.of("Beta"), ModelName.SYSTEM));
            expected.sort(null);
            assertThat(store.models()).containsExactlyElementsOf(expected);
            assertThat(store.models()).contains(ModelName.SYSTEM);
        }

        @Test
        @DisplayName("lists a model appended to by another instance")
        void seesOtherInstances() throws Exception {
            EventStore other = secondInstance();
            logWithVersions(ModelName.of("b"));
            new SealedLog(ModelName.of("a")).appendTo(other, new ModelCreated(ModelName.of("a")));

            assertThat(store.models()).containsExactly(ModelName.of("a"), ModelName.of("b"));
            assertThat(other.models()).containsExactly(ModelName.of("a"), ModelName.of("b"));
        }
    }

    @Nested
    @DisplayName("the change token")
    class ChangeToken {

        @Test
        @DisplayName("changes after every append made through this store")
        void changesOnOwnAppends() {
            SealedLog log = new SealedLog(MODEL);
            long before = store.changeToken();
            log.appendTo(store, new ModelCreated(MODEL));
            long afterFirst = store.changeToken();
            assertThat(afterFirst).isNotEqualTo(before);
            log.appendTo(store, registered(MODEL, "1.0.0"), registered(MODEL, "1.1.0"));
            assertThat(store.changeToken()).isNotEqualTo(afterFirst);
            new SealedLog(ModelName.of("other")).appendTo(store, new ModelCreated(ModelName.of("other")));
            assertThat(store.changeToken()).isNotEqualTo(afterFirst);
        }

        @Test
        @DisplayName("changes after an append made through a second instance on the same storage")
        void changesOnOtherInstancesAppends() throws Exception {
            EventStore other = secondInstance();
            SealedLog log = logWithVersions(MODEL);
            long before = store.changeToken();
            long otherBefore = other.changeToken();

            log.appendTo(other, registered(MODEL, "1.0.0"));
            assertThat(store.changeToken()).isNotEqualTo(before);
            long mid = other.changeToken();
            assertThat(mid).isNotEqualTo(otherBefore);

            log.appendTo(store, registered(MODEL, "1.1.0"));
            assertThat(other.changeToken()).isNotEqualTo(mid);
        }

        @Test
        @DisplayName("keeps its value while nothing is written, also across reads")
        void stableWhileIdle() {
            assumeThat(keepsChangeTokenWhileIdle()).as("the backend keeps its change token while idle").isTrue();
            logWithVersions(MODEL, "1.0.0");
            long token = store.changeToken();
            store.read(MODEL, 1);
            store.lastSequence(MODEL);
            store.models();
            assertThat(store.changeToken()).isEqualTo(token);
            assertThat(store.changeToken()).isEqualTo(token);
        }
    }

    @Nested
    @DisplayName("racing writers")
    class Races {

        @Test
        @DisplayName("of many threads appending at the same sequence, exactly one wins each round and the others get ConcurrentUpdateException")
        void exactlyOneWins() throws Exception {
            int threads = raceThreads();
            List<EventStore> stores = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                stores.add(storeForAThread());
            }
            SealedLog log = new SealedLog(MODEL);
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                for (int round = 0; round < 3; round++) {
                    List<List<LogEntry>> candidates = new ArrayList<>();
                    for (int t = 0; t < threads; t++) {
                        candidates.add(log.next("writer-" + t, round == 0 ? new ModelCreated(MODEL)
                                : registered(MODEL, round + ".0." + t)));
                    }
                    long expected = log.end();
                    List<Callable<Boolean>> attempts = new ArrayList<>();
                    for (int t = 0; t < threads; t++) {
                        EventStore s = stores.get(t);
                        List<LogEntry> batch = candidates.get(t);
                        attempts.add(() -> {
                            try {
                                s.append(MODEL, expected, batch);
                                return true;
                            } catch (ConcurrentUpdateException lost) {
                                return false;
                            }
                        });
                    }
                    List<Boolean> won = race(pool, attempts);
                    assertThat(won.stream().filter(w -> w).count()).as("winners of round %d", round).isEqualTo(1);
                    List<LogEntry> winner = candidates.get(won.indexOf(true));
                    assertThat(store.read(MODEL, expected + 1)).isEqualTo(winner);
                    log.accepted(winner);
                }
            } finally {
                pool.shutdownNow();
            }
            assertThat(store.read(MODEL, 1)).isEqualTo(log.entries());
        }

        @Test
        @DisplayName("writers that retry after losing build one gapless chain that holds every writer's entries once")
        void retryingWritersBuildOneChain() throws Exception {
            int threads = raceThreads();
            int perThread = 2;
            logWithVersions(MODEL);
            List<EventStore> stores = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                stores.add(storeForAThread());
            }
            AtomicInteger losses = new AtomicInteger();
            List<Callable<Boolean>> writers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                EventStore s = stores.get(t);
                int writer = t;
                writers.add(() -> {
                    for (int i = 0; i < perThread; i++) {
                        while (true) {
                            long end = s.lastSequence(MODEL);
                            LogEntry last = s.read(MODEL, end).get(0);
                            LogEntry next = LogEntry.seal(MODEL, end + 1, T0, "writer-" + writer, "", last.hash(),
                                    registered(MODEL, (writer + 1) + "." + i + ".0"));
                            try {
                                s.append(MODEL, end, List.of(next));
                                break;
                            } catch (ConcurrentUpdateException lost) {
                                losses.incrementAndGet();
                            }
                        }
                    }
                    return true;
                });
            }
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                race(pool, writers);
            } finally {
                pool.shutdownNow();
            }

            List<LogEntry> log = store.read(MODEL, 1);
            assertThat(log).hasSize(1 + threads * perThread);
            Set<SemVer> versions = new HashSet<>();
            Sha256 prev = LogEntry.GENESIS;
            for (int i = 0; i < log.size(); i++) {
                assertThat(log.get(i).sequence()).isEqualTo(i + 1);
                assertThat(log.get(i).prevHash()).as("link of entry %d", i + 1).isEqualTo(prev);
                prev = log.get(i).hash();
                if (log.get(i).event() instanceof VersionRegistered r) {
                    versions.add(r.version().version());
                }
            }
            assertThat(versions).hasSize(threads * perThread);
        }
    }

    @Nested
    @DisplayName("the storage audit")
    class StorageAudit {

        private SupportsStorageAudit audit() {
            return capability(SupportsStorageAudit.class, supportsStorageAudit());
        }

        @Test
        @DisplayName("shows one primary copy of every entry, at its sequence, as exactly its canonical JSON, and any second copy equal to it")
        void storedEntries() {
            SupportsStorageAudit audit = audit();
            SealedLog log = new SealedLog(MODEL);
            log.appendTo(store, new ModelCreated(MODEL));
            log.appendTo(store, registered(MODEL, "1.0.0"), registered(MODEL, "1.1.0"));
            for (int i = 0; i < 5; i++) {
                log.appendTo(store, registered(MODEL, "2." + i + ".0"));
            }
            logWithVersions(ModelName.of("other"), "1.0.0");

            List<StoredEntry> stored = audit.storedEntries(MODEL);
            List<StoredEntry> primary = stored.stream().filter(StoredEntry::primary).sorted((a, b) -> Long.compare(a.position(), b.position())).toList();
            assertThat(primary).extracting(StoredEntry::position).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L);
            for (StoredEntry e : primary) {
                assertThat(e.text()).as("primary copy of %d", e.position()).isEqualTo(log.entries().get((int) e.position() - 1).toJson());
                assertThat(e.location()).isNotBlank();
            }
            for (StoredEntry e : stored) {
                if (!e.primary()) {
                    assertThat(e.text()).as("second copy of %d at %s", e.position(), e.location())
                            .isEqualTo(log.entries().get((int) e.position() - 1).toJson());
                }
            }
            assertThat(audit.storedEntries(ModelName.of("ghost"))).isEmpty();
        }

        @Test
        @DisplayName("records no head beyond the end of a log, and none with a hash other than its entry's")
        void recordedHeads() {
            SupportsStorageAudit audit = audit();
            SealedLog log = logWithVersions(MODEL, "1.0.0", "1.1.0");
            log.appendTo(store, registered(MODEL, "2.0.0"), registered(MODEL, "2.1.0"));

            Optional<RecordedHead> head = audit.recordedHead(MODEL);
            if (recordsHeads()) {
                assertThat(head).as("the head of a log this store appended to").isPresent();
            }
            head.ifPresent(h -> {
                assertThat(h.sequence()).isBetween(1L, log.end());
                h.hash().ifPresent(hash -> assertThat(hash).isEqualTo(log.entries().get((int) h.sequence() - 1).hash()));
                assertThat(h.location()).isNotBlank();
            });
            if (recordsHeads()) {
                assertThat(head.get().sequence()).isEqualTo(log.end());
                assertThat(head.get().hash()).contains(log.entries().get(log.entries().size() - 1).hash());
            }
            assertThat(audit.recordedHead(ModelName.of("ghost"))).isEmpty();
        }
    }

    @Nested
    @DisplayName("change notification")
    class ChangeNotification {

        private SupportsChangeNotification notifying() {
            return capability(SupportsChangeNotification.class, supportsChangeNotification());
        }

        @Test
        @DisplayName("calls a listener after every append that succeeded, on the appending thread, with the append visible, until it is closed")
        void calledAfterEveryAppend() throws Exception {
            SupportsChangeNotification notifying = notifying();
            List<Long> seen = new CopyOnWriteArrayList<>();
            List<Thread> threads = new CopyOnWriteArrayList<>();
            AutoCloseable subscription = notifying.onChange(() -> {
                seen.add(store.lastSequence(MODEL));
                threads.add(Thread.currentThread());
            });
            SealedLog log = new SealedLog(MODEL);
            log.appendTo(store, new ModelCreated(MODEL));
            log.appendTo(store, registered(MODEL, "1.0.0"), registered(MODEL, "1.1.0"));
            assertThatThrownBy(() -> store.append(MODEL, 0, new SealedLog(MODEL).next("bob", new ModelCreated(MODEL))))
                    .isInstanceOf(ConcurrentUpdateException.class);

            assertThat(seen).containsExactly(1L, 3L);
            assertThat(threads).containsOnly(Thread.currentThread());

            subscription.close();
            log.appendTo(store, registered(MODEL, "1.2.0"));
            assertThat(seen).containsExactly(1L, 3L);
        }

        @Test
        @DisplayName("a listener that throws neither fails the append nor keeps other listeners from being called")
        void throwingListener() throws Exception {
            SupportsChangeNotification notifying = notifying();
            AtomicInteger calls = new AtomicInteger();
            try (AutoCloseable bad = notifying.onChange(() -> {
                throw new IllegalStateException("listener bug");
            }); AutoCloseable good = notifying.onChange(calls::incrementAndGet)) {
                SealedLog log = logWithVersions(MODEL, "1.0.0");
                assertThat(store.read(MODEL, 1)).isEqualTo(log.entries());
                assertThat(calls).hasValue(2);
            }
        }
    }
}
