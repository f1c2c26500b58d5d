package dev.modelregistry.s3;

import static dev.modelregistry.s3.S3MockServer.BUCKET;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.modelregistry.ConcurrentUpdateException;
import dev.modelregistry.IntegrityException;
import dev.modelregistry.ModelName;
import dev.modelregistry.ModelRegistry;
import dev.modelregistry.Principal;
import dev.modelregistry.Registration;
import dev.modelregistry.SemVer;
import dev.modelregistry.Sha256;
import dev.modelregistry.Stage;
import dev.modelregistry.StageChange;
import dev.modelregistry.EventCodec;
import dev.modelregistry.LogEntry;
import dev.modelregistry.ModelCreated;
import dev.modelregistry.StageChanged;
import dev.modelregistry.EventStore;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;

@DisplayName("The S3 event store, against S3Mock")
class S3EventStoreTest {
    private static final ModelName M = ModelName.of("fraud-detector");
    private static final Principal ALICE = Principal.of("alice");
    private static final Instant T0 = Instant.parse("2024-01-01T00:00:00Z");

    private String prefix;
    private FaultInjectingS3Client client;
    private final List<AutoCloseable> opened = new ArrayList<>();

    @BeforeEach
    void setUp() {
        prefix = S3MockServer.uniquePrefix("events");
        client = new FaultInjectingS3Client(S3MockServer.client());
    }

    @AfterEach
    void tearDown() throws Exception {
        for (AutoCloseable c : opened) {
            c.close();
        }
    }

    private S3Config config(Consumer<S3Config.Builder> settings) {
        S3Config.Builder b = S3Config.builder(BUCKET).prefix(prefix).client(client);
        settings.accept(b);
        return b.build();
    }

    private EventStore store(Consumer<S3Config.Builder> settings) {
        EventStore s = S3Registry.eventStore(config(settings));
        opened.add(s);
        return s;
    }

    private EventStore store() {
        return store(b -> { });
    }

    private ModelRegistry registry(Consumer<S3Config.Builder> settings) {
        ModelRegistry r = S3Registry.builder(config(settings)).build();
        opened.add(r);
        return r;
    }

    private String logKey(long sequence) {
        return prefix + "/models/" + M + "/log/" + String.format("%020d", sequence) + ".json";
    }

    private String snapshotKey(long sequence) {
        return prefix + "/models/" + M + "/snapshot/" + String.format("%020d", sequence) + ".jsonl";
    }

    private static String text(String key) {
        return S3MockServer.client().getObjectAsBytes(r -> r.bucket(BUCKET).key(key)).asString(StandardCharsets.UTF_8);
    }

    /** Entries {@code from..to} of a log that starts with ModelCreated, chained onto {@code prev}. */
    private static List<LogEntry> entries(long from, long to, Sha256 prev) {
        return entries(M, from, to, prev);
    }

    /** Entries {@code from..to} of {@code model}'s log, chained onto {@code prev}. */
    private static List<LogEntry> entries(ModelName model, long from, long to, Sha256 prev) {
        List<LogEntry> out = new ArrayList<>();
        for (long seq = from; seq <= to; seq++) {
            var event = seq == 1 ? new ModelCreated(model)
                    : new StageChanged(SemVer.parse("1.0." + seq), Stage.NONE, Stage.STAGING, StageChange.Kind.PROMOTION);
            LogEntry e = LogEntry.seal(model, seq, T0.plusSeconds(seq), "alice", "entry " + seq, prev, event);
            out.add(e);
            prev = e.hash();
        }
        return out;
    }

    /** Appends {@code count} entries one at a time (each its own object). */
    private static List<LogEntry> appendSingles(EventStore store, int count) {
        List<LogEntry> all = entries(1, count, LogEntry.GENESIS);
        for (LogEntry e : all) {
            store.append(M, e.sequence() - 1, List.of(e));
        }
        return all;
    }

    @Nested
    @DisplayName("the log layout")
    class Layout {

        @Test
        @DisplayName("stores each entry as exactly its canonical JSON under a 20-digit sequence key")
        void canonicalText() {
            EventStore store = store();
            List<LogEntry> log = appendSingles(store, 2);

            assertThat(S3MockServer.keysUnder(prefix)).containsExactly(logKey(1), logKey(2));
            assertThat(text(logKey(1))).isEqualTo(EventCodec.toJson(log.get(0)));
            assertThat(text(logKey(2))).isEqualTo(EventCodec.toJson(log.get(1)));
            assertThat(store().read(M, 1)).isEqualTo(log);
        }

        @Test
        @DisplayName("writes a multi-entry append as one object, so no reader sees half of it")
        void batchIsOneObject() {
            EventStore store = store();
            List<LogEntry> first = entries(1, 1, LogEntry.GENESIS);
            store.append(M, 0, first);
            List<LogEntry> batch = entries(2, 3, first.get(0).hash());
            store.append(M, 1, batch);
            List<LogEntry> after = entries(4, 4, batch.get(1).hash());
            store.append(M, 3, after);

            assertThat(S3MockServer.keysUnder(prefix)).containsExactly(logKey(1), logKey(2), logKey(4));
            assertThat(text(logKey(2))).isEqualTo(EventCodec.toJson(batch.get(0)) + "\n" + EventCodec.toJson(batch.get(1)));
            EventStore fresh = store();
            assertThat(fresh.lastSequence(M)).isEqualTo(4);
            assertThat(fresh.read(M, 3)).extracting(LogEntry::sequence).containsExactly(3L, 4L);
            assertThat(store().read(M, 1)).extracting(LogEntry::sequence).containsExactly(1L, 2L, 3L, 4L);
        }

        @Test
        @DisplayName("refuses an append after a sequence inside a batch, or after a stale or future end, writing nothing")
        void refusesWrongExpectedSequence() {
            EventStore store = store();
            List<LogEntry> first = entries(1, 1, LogEntry.GENESIS);
            store.append(M, 0, first);
            store.append(M, 1, entries(2, 3, first.get(0).hash()));
            List<String> before = S3MockServer.keysUnder(prefix);

            for (EventStore s : List.of(store, store())) {
                assertThatThrownBy(() -> s.append(M, 2, entries(3, 3, LogEntry.GENESIS)))
                        .isInstanceOf(ConcurrentUpdateException.class).hasMessageContaining("ends at 3");
                assertThatThrownBy(() -> s.append(M, 1, entries(2, 2, LogEntry.GENESIS)))
                        .isInstanceOf(ConcurrentUpdateException.class);
                assertThatThrownBy(() -> s.append(M, 7, entries(8, 8, LogEntry.GENESIS)))
                        .isInstanceOf(ConcurrentUpdateException.class);
            }
            assertThat(S3MockServer.keysUnder(prefix)).isEqualTo(before);
        }

        @Test
        @DisplayName("losing the create-only race is a ConcurrentUpdateException")
        void lostRace() {
            EventStore a = store();
            EventStore b = store();
            assertThat(b.lastSequence(M)).isZero();
            a.append(M, 0, entries(1, 1, LogEntry.GENESIS));
            List<LogEntry> competing = List.of(LogEntry.seal(M, 1, T0, "bob", "", LogEntry.GENESIS, new ModelCreated(M)));
            assertThatThrownBy(() -> b.append(M, 0, competing)).isInstanceOf(ConcurrentUpdateException.class)
                    .hasMessageContaining(logKey(1));
        }

        @Test
        @DisplayName("lists models sorted by name, ignoring keys that are not models")
        void models() {
            EventStore store = store();
            for (String name : List.of("zeta", "alpha", "m-1.2_x")) {
                ModelName model = ModelName.of(name);
                store.append(model, 0, List.of(LogEntry.seal(model, 1, T0, "alice", "", LogEntry.GENESIS, new ModelCreated(model))));
            }
            S3MockServer.client().putObject(r -> r.bucket(BUCKET).key(prefix + "/models/bad name/log/x"), RequestBody.fromString("x"));
            assertThat(store().models()).extracting(ModelName::value).containsExactly("alpha", "m-1.2_x", "zeta");
        }

        @Test
        @DisplayName("a log object that holds the wrong entry is an IntegrityException naming its key")
        void misplacedEntry() {
            EventStore store = store();
            List<LogEntry> log = appendSingles(store, 2);
            S3MockServer.client().putObject(r -> r.bucket(BUCKET).key(logKey(3)), RequestBody.fromString(EventCodec.toJson(log.get(0))));
            assertThatThrownBy(() -> store().read(M, 1)).isInstanceOf(IntegrityException.class).hasMessageContaining(logKey(3));
        }
    }

    @Nested
    @DisplayName("snapshots")
    class Snapshots {

        @Test
        @DisplayName("are written each time the log passes a multiple of the interval, and hold the segment since the last")
        void written() {
            EventStore store = store(b -> b.snapshotEvery(4));
            List<LogEntry> log = appendSingles(store, 10);

            assertThat(S3MockServer.keysUnder(prefix + "/models/" + M + "/snapshot/")).containsExactly(snapshotKey(4), snapshotKey(8));
            String[] lines = text(snapshotKey(8)).split("\n");
            assertThat(lines[0]).isEqualTo("{\"from\":5,\"model\":\"fraud-detector\",\"to\":8}");
            assertThat(lines).hasSize(5);
            assertThat(lines[1]).isEqualTo(EventCodec.toJson(log.get(4)));
        }

        @Test
        @DisplayName("let a fresh store load a long log with one GET per snapshot plus the tail, and find its end with two LISTs and one GET")
        void boundReads() {
            EventStore writer = store(b -> b.snapshotEvery(5));
            List<LogEntry> log = appendSingles(writer, 23);

            client.resetCounts();
            EventStore fresh = store(b -> b.snapshotEvery(5));
            assertThat(fresh.lastSequence(M)).isEqualTo(23);
            assertThat(client.count("ListObjectsV2")).isEqualTo(2);
            assertThat(client.count("GetObject")).isEqualTo(2); // the last append, then the probe for 24

            client.resetCounts();
            assertThat(store(b -> b.snapshotEvery(5)).read(M, 1)).isEqualTo(log);
            assertThat(client.count("GetObject")).isEqualTo(4 + 3 + 1); // snapshots 5,10,15,20; appends 21-23; probe 24

            client.resetCounts();
            assertThat(store(b -> b.snapshotEvery(5)).read(M, 22)).isEqualTo(log.subList(21, 23));
            assertThat(client.count("GetObject")).isEqualTo(4); // appends 21-23 after snapshot 20, probe 24
        }

        @Test
        @DisplayName("cost their writer no reads when it made every append since the last one; otherwise one GET per append since")
        void writtenWithoutReadingBack() {
            EventStore writer = store(b -> b.snapshotEvery(4));
            List<LogEntry> log = entries(1, 9, LogEntry.GENESIS);
            for (LogEntry e : log.subList(0, 5)) {
                writer.append(M, e.sequence() - 1, List.of(e));
            }
            client.resetCounts();
            for (LogEntry e : log.subList(5, 8)) {
                writer.append(M, e.sequence() - 1, List.of(e)); // 8 crosses the multiple: snapshot 5..8
            }
            assertThat(client.count("GetObject")).isZero();
            assertThat(client.count("ListObjectsV2")).isZero();
            assertThat(client.count("PutObject")).isEqualTo(3 + 1);
            assertThat(text(snapshotKey(8)).split("\n")).containsExactly("{\"from\":5,\"model\":\"fraud-detector\",\"to\":8}",
                    EventCodec.toJson(log.get(4)), EventCodec.toJson(log.get(5)), EventCodec.toJson(log.get(6)), EventCodec.toJson(log.get(7)));

            // A store that joins after another appended 5 and 6 reads the appends since snapshot 4 for the one ending at 8.
            prefix = S3MockServer.uniquePrefix("events");
            EventStore first = store(b -> b.snapshotEvery(4));
            for (LogEntry e : log.subList(0, 6)) {
                first.append(M, e.sequence() - 1, List.of(e));
            }
            EventStore second = store(b -> b.snapshotEvery(4));
            assertThat(second.lastSequence(M)).isEqualTo(6);
            client.resetCounts();
            second.append(M, 6, List.of(log.get(6)));
            second.append(M, 7, List.of(log.get(7)));
            assertThat(client.count("GetObject")).isEqualTo(3); // appends 5 to 7; the entry of 8 is in hand
            assertThat(client.count("ListObjectsV2")).isZero();
            assertThat(store(b -> b.snapshotEvery(4)).read(M, 1)).isEqualTo(log.subList(0, 8));
            assertThat(text(snapshotKey(8)).split("\n")).hasSize(5);
        }

        @Test
        @DisplayName("hold entries in hand for a bounded number of models; past the bound a model reads its appends back")
        void boundedEntriesInHand() {
            EventStore writer = store(b -> b.snapshotEvery(4));
            List<List<LogEntry>> others = new ArrayList<>();
            for (int i = 0; i < S3EventStore.MAX_TAILED_MODELS; i++) {
                ModelName other = ModelName.of("other-" + i);
                others.add(entries(other, 1, 4, LogEntry.GENESIS));
                writer.append(other, 0, others.get(i).subList(0, 1));
            }
            List<LogEntry> log = entries(1, 4, LogEntry.GENESIS);
            writer.append(M, 0, log.subList(0, 1));

            client.resetCounts();
            ModelName held = ModelName.of("other-0");
            for (LogEntry e : others.get(0).subList(1, 4)) {
                writer.append(held, e.sequence() - 1, List.of(e)); // 4 crosses the multiple: snapshot 1..4
            }
            assertThat(client.count("GetObject")).as("a model within the bound").isZero();

            client.resetCounts();
            for (LogEntry e : log.subList(1, 4)) {
                writer.append(M, e.sequence() - 1, List.of(e));
            }
            assertThat(client.count("GetObject")).as("the model past the bound reads appends 1 to 3").isEqualTo(3);
            assertThat(text(snapshotKey(4)).split("\n")).hasSize(5);
            assertThat(store(b -> b.snapshotEvery(4)).read(M, 1)).isEqualTo(log);
        }

        @Test
        @DisplayName("a missing snapshot costs only extra reads: the log reads the same")
        void missingSnapshot() {
            EventStore writer = store(b -> b.snapshotEvery(3));
            List<LogEntry> log = appendSingles(writer, 11);
            S3MockServer.client().deleteObject(r -> r.bucket(BUCKET).key(snapshotKey(6)));

            assertThat(store(b -> b.snapshotEvery(3)).read(M, 1)).isEqualTo(log);
            assertThat(store(b -> b.snapshotEvery(3)).read(M, 5)).isEqualTo(log.subList(4, 11));
            assertThat(store(b -> b.snapshotEvery(3)).lastSequence(M)).isEqualTo(11);
        }

        @Test
        @DisplayName("snapshot boundaries follow batches: a batch that crosses a multiple ends the snapshot")
        void batchesCrossingBoundaries() {
            EventStore store = store(b -> b.snapshotEvery(3));
            List<LogEntry> first = entries(1, 2, LogEntry.GENESIS);
            store.append(M, 0, first);
            List<LogEntry> batch = entries(3, 4, first.get(1).hash());
            store.append(M, 2, batch);
            List<LogEntry> rest = entries(5, 7, batch.get(1).hash());
            for (LogEntry e : rest) {
                store.append(M, e.sequence() - 1, List.of(e));
            }
            assertThat(S3MockServer.keysUnder(prefix + "/models/" + M + "/snapshot/")).containsExactly(snapshotKey(4), snapshotKey(6));
            List<LogEntry> all = new ArrayList<>(first);
            all.addAll(batch);
            all.addAll(rest);
            assertThat(store(b -> b.snapshotEvery(3)).read(M, 1)).isEqualTo(all);
            assertThat(store(b -> b.snapshotEvery(3)).read(M, 4)).isEqualTo(all.subList(3, 7));
        }
    }

    @Nested
    @DisplayName("the change signal")
    class ChangeSignal {

        @Test
        @DisplayName("costs no request, moves on own appends, and on its own at most once per interval")
        void tokenIsCheapAndTimeBounded() {
            AtomicLong nanos = new AtomicLong();
            EventStore store = store(b -> b.changeCheckInterval(Duration.ofSeconds(1)).nanoTicker(nanos::get));
            client.resetCounts();
            long t0 = store.changeToken();
            assertThat(store.changeToken()).isEqualTo(t0);
            nanos.addAndGet(Duration.ofMillis(999).toNanos());
            assertThat(store.changeToken()).isEqualTo(t0);
            nanos.addAndGet(Duration.ofMillis(1).toNanos());
            long t1 = store.changeToken();
            assertThat(t1).isNotEqualTo(t0);
            assertThat(store.changeToken()).isEqualTo(t1);
            assertThat(client.calls).isEmpty();

            store.append(M, 0, entries(1, 1, LogEntry.GENESIS));
            assertThat(store.changeToken()).isNotEqualTo(t1);
        }

        @Test
        @DisplayName("a registry sees another process's write once the interval has passed, not before")
        void stalenessBound() {
            AtomicLong nanos = new AtomicLong();
            ModelRegistry reader = registry(b -> b.changeCheckInterval(Duration.ofSeconds(2)).nanoTicker(nanos::get));
            ModelRegistry writer = registry(b -> { });
            writer.register(ALICE, Registration.of(M.value()).version("1.0.0").build());
            writer.promote(ALICE, M.value(), SemVer.parse("1.0.0"), Stage.STAGING, "");
            assertThat(reader.findCurrent(M.value(), Stage.STAGING)).map(v -> v.version().toString()).contains("1.0.0");

            writer.register(ALICE, Registration.of(M.value()).version("1.1.0").build());
            writer.promote(ALICE, M.value(), SemVer.parse("1.1.0"), Stage.STAGING, "");
            assertThat(reader.findCurrent(M.value(), Stage.STAGING)).map(v -> v.version().toString()).contains("1.0.0");

            nanos.addAndGet(Duration.ofSeconds(2).toNanos());
            assertThat(reader.findCurrent(M.value(), Stage.STAGING)).map(v -> v.version().toString()).contains("1.1.0");
        }
    }
}
