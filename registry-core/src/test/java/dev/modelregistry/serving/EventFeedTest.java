package dev.modelregistry.serving;

import static dev.modelregistry.serving.Fixtures.ALICE;
import static dev.modelregistry.serving.Fixtures.MODEL;
import static dev.modelregistry.serving.Fixtures.register;
import static dev.modelregistry.serving.Fixtures.release;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.argThat;
import static org.mockito.Mockito.atLeastOnce;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.timeout;
import static org.mockito.Mockito.verify;

import dev.modelregistry.ModelName;
import dev.modelregistry.ModelRegistry;
import dev.modelregistry.Registration;
import dev.modelregistry.StageChange;
import dev.modelregistry.StorageException;
import dev.modelregistry.ValidationException;
import dev.modelregistry.LogEntry;
import dev.modelregistry.StageChanged;
import dev.modelregistry.VersionRegistered;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mockito.ArgumentCaptor;

@DisplayName("the event feed")
class EventFeedTest {
    /** Long enough that only pollNow() and replays deliver, unless a test wants the background poll. */
    private static final Duration MANUAL = Duration.ofHours(1);

    @TempDir
    Path dir;

    ModelRegistry registry;
    final List<LogEntry> received = new CopyOnWriteArrayList<>();

    @BeforeEach
    void setUp() {
        registry = ModelRegistry.inMemory();
    }

    @AfterEach
    void tearDown() {
        registry.close();
    }

    EventFeed.Builder feed(RegistryListener listener) {
        return EventFeed.builder(registry, listener).pollInterval(MANUAL);
    }

    List<Long> sequencesOf(String model) {
        return received.stream().filter(e -> e.model().value().equals(model)).map(LogEntry::sequence).toList();
    }

    /** The sequence numbers a mock listener was called with, in call order. */
    static List<Long> sequencesDeliveredTo(RegistryListener listener) throws Exception {
        ArgumentCaptor<LogEntry> delivered = ArgumentCaptor.forClass(LogEntry.class);
        verify(listener, atLeastOnce()).onEvent(delivered.capture());
        return delivered.getAllValues().stream().map(LogEntry::sequence).toList();
    }

    static List<Long> oneTo(long n) {
        return LongStream.rangeClosed(1, n).boxed().toList();
    }

    @Nested
    @DisplayName("delivery")
    class Delivery {
        @Test
        @DisplayName("delivers every entry of every model once, in log order per model, including models created later")
        void everyEntryInOrder() {
            release(registry, "1.0.0");
            try (EventFeed feed = feed(received::add).start()) {
                feed.pollNow();
                long fraudLength = registry.log(MODEL).size();
                assertThat(sequencesOf(MODEL)).isEqualTo(oneTo(fraudLength));

                release(registry, "1.1.0");
                registry.register(ALICE, Registration.of("churn").version("0.1.0").build());
                feed.pollNow();
                feed.pollNow();

                assertThat(sequencesOf(MODEL)).isEqualTo(oneTo(registry.log(MODEL).size()));
                assertThat(sequencesOf("churn")).isEqualTo(oneTo(registry.log("churn").size()));
                assertThat(received).anySatisfy(e -> assertThat(e.event()).isInstanceOfSatisfying(StageChanged.class,
                        c -> assertThat(c.kind()).isEqualTo(StageChange.Kind.DISPLACED)));
                assertThat(feed.position(MODEL)).isEqualTo(registry.log(MODEL).size());
            }
        }

        @Test
        @DisplayName("polls in the background and reports a rollback")
        void backgroundPolling() throws Exception {
            release(registry, "1.0.0");
            release(registry, "1.1.0");
            RegistryListener listener = mock(RegistryListener.class);
            try (EventFeed feed = EventFeed.builder(registry, listener)
                    .pollInterval(Duration.ofMillis(10)).maxPollInterval(Duration.ofMillis(40)).start()) {
                registry.rollback(ALICE, MODEL, dev.modelregistry.Stage.PRODUCTION, "bad canary");

                verify(listener, timeout(10_000)).onEvent(argThat(e -> e.event() instanceof StageChanged c
                        && c.kind() == StageChange.Kind.ROLLBACK));
            }
            assertThat(sequencesDeliveredTo(listener)).isEqualTo(oneTo(registry.log(MODEL).size()));
        }

        @Test
        @DisplayName("delivers a refused entry again, and nothing after it before it, so order holds")
        void atLeastOnce() throws Exception {
            release(registry, "1.0.0");
            long length = registry.log(MODEL).size();
            RegistryListener listener = mock(RegistryListener.class);
            doThrow(new IllegalStateException("downstream unavailable")).doNothing()
                    .when(listener).onEvent(argThat(e -> e.sequence() == 3));
            try (EventFeed feed = feed(listener).start()) {
                feed.pollNow();
                feed.pollNow();

                List<Long> expectedAttempts = new java.util.ArrayList<>(List.of(1L, 2L, 3L));
                expectedAttempts.addAll(LongStream.rangeClosed(3, length).boxed().toList());
                assertThat(sequencesDeliveredTo(listener)).isEqualTo(expectedAttempts);
                assertThat(feed.position(MODEL)).isEqualTo(length);
            }
        }
    }

    @Nested
    @DisplayName("cursors")
    class Cursors {
        @Test
        @DisplayName("resume after a restart from the cursor file, delivering only what is new")
        void resumeFromFile() throws Exception {
            Path file = dir.resolve("state/cursor.json");
            release(registry, "1.0.0");
            long before = registry.log(MODEL).size();
            try (EventFeed feed = feed(received::add).cursorStore(CursorStore.file(file)).start()) {
                feed.pollNow();
            }
            assertThat(Files.readString(file, StandardCharsets.UTF_8)).contains("\"fraud\":" + before);
            received.clear();

            release(registry, "1.1.0");
            try (EventFeed restarted = feed(received::add).cursorStore(CursorStore.file(file)).start()) {
                restarted.pollNow();
            }

            assertThat(sequencesOf(MODEL)).isEqualTo(LongStream.rangeClosed(before + 1, registry.log(MODEL).size()).boxed().toList());
            assertThat(received).anySatisfy(e -> assertThat(e.event()).isInstanceOf(VersionRegistered.class));
            try (var leftovers = Files.list(file.getParent())) {
                assertThat(leftovers).containsExactly(file);
            }
        }

        @Test
        @DisplayName("replay from a sequence number delivers from there again")
        void replay() {
            release(registry, "1.0.0");
            try (EventFeed feed = feed(received::add).start()) {
                feed.pollNow();
                received.clear();

                feed.replayFrom(MODEL, 2);
                feed.pollNow();

                assertThat(sequencesOf(MODEL)).isEqualTo(LongStream.rangeClosed(2, registry.log(MODEL).size()).boxed().toList());
                assertThatThrownBy(() -> feed.replayFrom(MODEL, 0)).isInstanceOf(ValidationException.class).hasMessageContaining("0");
            }
        }

        @Test
        @DisplayName("start at the end skips the history of models without a cursor, but not of models created later")
        void startAtEnd() {
            release(registry, "1.0.0");
            try (EventFeed feed = feed(received::add).startAtEnd().start()) {
                feed.pollNow();
                assertThat(received).isEmpty();

                register(registry, "1.1.0");
                registry.register(ALICE, Registration.of("churn").version("0.1.0").build());
                feed.pollNow();

                assertThat(received).filteredOn(e -> e.model().value().equals(MODEL)).singleElement()
                        .satisfies(e -> assertThat(e.event()).isInstanceOf(VersionRegistered.class));
                assertThat(sequencesOf("churn")).isEqualTo(oneTo(registry.log("churn").size()));
            }
        }

        @Test
        @DisplayName("the file store reads back what it saved and refuses a file it cannot parse")
        void fileStore() throws Exception {
            Path file = dir.resolve("cursor.json");
            CursorStore store = CursorStore.file(file);
            store.save(ModelName.of("a"), 7);
            store.save(ModelName.of("b"), 3);
            store.save(ModelName.of("a"), 9);

            assertThat(CursorStore.file(file).positions()).containsExactly(
                    java.util.Map.entry(ModelName.of("a"), 9L), java.util.Map.entry(ModelName.of("b"), 3L));
            assertThat(CursorStore.file(file).position(ModelName.of("zzz"))).isZero();
            assertThatThrownBy(() -> store.save(ModelName.of("a"), -1)).isInstanceOf(ValidationException.class).hasMessageContaining("-1");

            Files.writeString(file, "{not json");
            assertThatThrownBy(() -> CursorStore.file(file)).isInstanceOf(StorageException.class).hasMessageContaining(file.toString());
        }
    }
}
