package dev.modelregistry.s3;

import static dev.modelregistry.s3.S3MockServer.BUCKET;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.modelregistry.ConcurrentUpdateException;
import dev.modelregistry.ModelName;
import dev.modelregistry.ModelRegistry;
import dev.modelregistry.ModelVersion;
import dev.modelregistry.Principal;
import dev.modelregistry.Registration;
import dev.modelregistry.SemVer;
import dev.modelregistry.Stage;
import dev.modelregistry.StorageStateUnknownException;
import dev.modelregistry.EventCodec;
import dev.modelregistry.LogEntry;
import dev.modelregistry.ModelCreated;
import dev.modelregistry.s3.FaultInjectingS3Client.PutFault;
import dev.modelregistry.EventStore;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * Writes whose answer is lost: a fault-injecting client performs the PUT and then reports a reset
 * connection, or fails before sending. The store must settle every such write as done, lost to
 * another writer, or unknown — never half-applied, never wrongly reported.
 */
@DisplayName("Ambiguous writes to the S3 event log")
class S3AmbiguousWriteTest {
    private static final ModelName M = ModelName.of("churn");
    private static final Principal ALICE = Principal.of("alice");
    private static final Instant T0 = Instant.parse("2024-01-01T00:00:00Z");

    private String prefix;
    private FaultInjectingS3Client client;
    private final List<AutoCloseable> opened = new ArrayList<>();

    @BeforeEach
    void setUp() {
        prefix = S3MockServer.uniquePrefix("ambiguous");
        client = new FaultInjectingS3Client(S3MockServer.client());
    }

    @AfterEach
    void tearDown() throws Exception {
        for (AutoCloseable c : opened) {
            c.close();
        }
    }

    private S3Config config() {
        return S3Config.builder(BUCKET).prefix(prefix).client(client).changeCheckInterval(Duration.ZERO).snapshotEvery(4).build();
    }

    private EventStore store() {
        EventStore s = S3Registry.eventStore(config());
        opened.add(s);
        return s;
    }

    private ModelRegistry registry() {
        ModelRegistry r = S3Registry.builder(config()).build();
        opened.add(r);
        return r;
    }

    private String logKey(long sequence) {
        return prefix + "/models/" + M + "/log/" + String.format("%020d", sequence) + ".json";
    }

    private boolean isLogKey(String key) {
        return key.startsWith(prefix + "/models/" + M + "/log/");
    }

    private static LogEntry created(String principal) {
        return LogEntry.seal(M, 1, T0, principal, "", LogEntry.GENESIS, new ModelCreated(M));
    }

    @Nested
    @DisplayName("at the store")
    class AtTheStore {

        @Test
        @DisplayName("a PUT performed but answered by a reset connection is resolved by reading back: success")
        void performedThenReset() {
            client.failPuts(PutFault.AFTER_SEND, S3AmbiguousWriteTest.this::isLogKey, 1);
            LogEntry e = created("alice");
            store().append(M, 0, List.of(e));

            assertThat(S3MockServer.keysUnder(prefix)).containsExactly(logKey(1));
            assertThat(store().read(M, 1)).containsExactly(e);
            assertThat(client.count("PutObject")).isEqualTo(2); // the lost answer, then the identical retry that got 412
        }

        @Test
        @DisplayName("every attempt performed but every answer lost is still resolved to success by reading back")
        void everyAnswerLost() {
            client.failPuts(PutFault.AFTER_SEND, S3AmbiguousWriteTest.this::isLogKey, -1);
            LogEntry e = created("alice");
            store().append(M, 0, List.of(e));
            assertThat(store().read(M, 1)).containsExactly(e);
        }

        @Test
        @DisplayName("a PUT that failed before it was sent is sent again: success, once")
        void failedBeforeSend() {
            client.failPuts(PutFault.BEFORE_SEND, S3AmbiguousWriteTest.this::isLogKey, 2);
            LogEntry e = created("alice");
            store().append(M, 0, List.of(e));
            assertThat(store().read(M, 1)).containsExactly(e);
            assertThat(client.count("PutObject")).isEqualTo(3);
        }

        @Test
        @DisplayName("when another writer created the key while our answer was lost, it is a lost race, not a success")
        void competitorWonMeanwhile() {
            LogEntry theirs = created("bob");
            client.failPuts(PutFault.BEFORE_SEND, S3AmbiguousWriteTest.this::isLogKey, 1)
                    .beforePutFault(key -> S3MockServer.client().putObject(r -> r.bucket(BUCKET).key(key),
                            RequestBody.fromString(EventCodec.toJson(theirs))));
            EventStore store = store();
            assertThatThrownBy(() -> store.append(M, 0, List.of(created("alice")))).isInstanceOf(ConcurrentUpdateException.class);
            assertThat(store().read(M, 1)).containsExactly(theirs);
        }

        @Test
        @DisplayName("identical bytes written by another writer are still theirs: the write id decides")
        void identicalBytesOfAnotherWriter() {
            LogEntry same = created("alice");
            client.failPuts(PutFault.BEFORE_SEND, S3AmbiguousWriteTest.this::isLogKey, 1)
                    .beforePutFault(key -> S3MockServer.client().putObject(r -> r.bucket(BUCKET).key(key),
                            RequestBody.fromString(EventCodec.toJson(same))));
            EventStore store = store();
            assertThatThrownBy(() -> store.append(M, 0, List.of(same))).isInstanceOf(ConcurrentUpdateException.class);
        }

        @Test
        @DisplayName("no answer to any attempt and nothing stored is StorageStateUnknownException, and nothing is half-applied")
        void neverAnswered() {
            client.failPuts(PutFault.BEFORE_SEND, S3AmbiguousWriteTest.this::isLogKey, -1);
            EventStore store = store();
            assertThatThrownBy(() -> store.append(M, 0, List.of(created("alice"))))
                    .isInstanceOf(StorageStateUnknownException.class).hasMessageContaining(logKey(1));
            assertThat(S3MockServer.keysUnder(prefix)).isEmpty();

            client.heal();
            store.append(M, 0, List.of(created("alice")));
            assertThat(store().lastSequence(M)).isEqualTo(1);
        }

        @Test
        @DisplayName("a lost answer that cannot be read back either is StorageStateUnknownException")
        void cannotReadBack() {
            client.failPuts(PutFault.AFTER_SEND, S3AmbiguousWriteTest.this::isLogKey, -1)
                    .beforePutFault(key -> client.failGets(true));
            EventStore store = store();
            assertThatThrownBy(() -> store.append(M, 0, List.of(created("alice"))))
                    .isInstanceOf(StorageStateUnknownException.class).hasMessageContaining("reading it back failed");
        }
    }

    @Nested
    @DisplayName("through the registry")
    class ThroughTheRegistry {

        @Test
        @DisplayName("a promotion whose answer is lost lands once, and the log verifies")
        void promotionAnswerLost() {
            ModelRegistry registry = registry();
            registry.register(ALICE, Registration.of(M.value()).version("1.0.0").build());
            registry.register(ALICE, Registration.of(M.value()).version("1.1.0").build());
            registry.promote(ALICE, M.value(), SemVer.parse("1.0.0"), Stage.STAGING, "");
            registry.promote(ALICE, M.value(), SemVer.parse("1.0.0"), Stage.PRODUCTION, "");
            registry.promote(ALICE, M.value(), SemVer.parse("1.1.0"), Stage.STAGING, "");
            client.failPuts(PutFault.AFTER_SEND, S3AmbiguousWriteTest.this::isLogKey, 1);
            registry.promote(ALICE, M.value(), SemVer.parse("1.1.0"), Stage.PRODUCTION, "displaces 1.0.0");

            ModelRegistry other = registry();
            assertThat(other.getCurrent(M.value(), Stage.PRODUCTION).version()).isEqualTo(SemVer.parse("1.1.0"));
            assertThat(other.log(M.value())).hasSize(8);
            assertThat(other.verify().intact()).isTrue();
        }

        @Test
        @DisplayName("a registration that never got an answer surfaces as StorageStateUnknownException and leaves no partial version")
        void registrationUnknown() {
            ModelRegistry registry = registry();
            registry.register(ALICE, Registration.of(M.value()).version("1.0.0").build());
            client.failPuts(PutFault.BEFORE_SEND, S3AmbiguousWriteTest.this::isLogKey, -1);
            assertThatThrownBy(() -> registry.register(ALICE, Registration.of(M.value()).version("1.1.0")
                    .artifact("model.bin", null, new byte[] {1, 2, 3}).build()))
                    .isInstanceOf(StorageStateUnknownException.class);
            client.heal();

            ModelRegistry other = registry();
            assertThat(other.findVersion(M.value(), SemVer.parse("1.1.0"))).isEmpty();
            assertThat(other.verify().intact()).isTrue();
            ModelVersion retried = other.register(ALICE, Registration.of(M.value()).version("1.1.0").build());
            assertThat(retried.version()).isEqualTo(SemVer.parse("1.1.0"));
            assertThat(registry.findVersion(M.value(), SemVer.parse("1.1.0"))).isPresent();
        }

        @Test
        @DisplayName("a registration whose slot was taken while its answer was lost is retried by the core after the other entry")
        void lostRaceIsRetried() {
            ModelRegistry registry = registry();
            registry.register(ALICE, Registration.of(M.value()).version("1.0.0").build());
            ModelRegistry competitor = S3Registry.builder(S3Config.builder(BUCKET).prefix(prefix)
                    .client(S3MockServer.client()).changeCheckInterval(Duration.ZERO).build()).build();
            opened.add(competitor);
            client.failPuts(PutFault.BEFORE_SEND, S3AmbiguousWriteTest.this::isLogKey, 1)
                    .beforePutFault(key -> competitor.register(Principal.of("bob"), Registration.of(M.value()).version("2.0.0").build()));

            registry.register(ALICE, Registration.of(M.value()).version("1.1.0").build());

            List<LogEntry> log = registry().log(M.value());
            assertThat(log).extracting(LogEntry::principal).containsExactly("alice", "alice", "bob", "alice");
            assertThat(registry().verify().intact()).isTrue();
            assertThat(new String(S3MockServer.client().getObjectAsBytes(r -> r.bucket(BUCKET).key(logKey(3))).asByteArray(),
                    StandardCharsets.UTF_8)).contains("\"principal\":\"bob\"");
        }
    }
}
