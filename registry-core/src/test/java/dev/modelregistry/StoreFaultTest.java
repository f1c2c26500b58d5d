package dev.modelregistry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyList;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.clearInvocations;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.doCallRealMethod;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.spy;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;

import dev.modelregistry.memory.InMemoryArtifactStore;
import dev.modelregistry.memory.InMemoryEventStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.mockito.InOrder;

/**
 * The in-memory stores, spied to fail on the Nth call the way a real backend fails (a lost race, a
 * broken connection, a disk error), and what the public API promises then: the typed exception
 * reaches the caller, nothing half-written is visible, verify() finds the log intact, and the
 * registry goes on working once the store does.
 */
@DisplayName("a store that fails on the Nth call")
class StoreFaultTest {
    private static final Principal ALICE = Principal.of("alice");
    private static final ModelName MODEL = ModelName.of("fraud");
    private static final int MAX_WRITE_ATTEMPTS = 3;

    private final InMemoryEventStore events = spy(new InMemoryEventStore());
    private final InMemoryArtifactStore artifacts = spy(new InMemoryArtifactStore());
    private final ModelRegistry registry = registryOverTheStores();

    private ModelRegistry registryOverTheStores() {
        return ModelRegistry.builder().eventStore(events).artifactStore(artifacts).maxWriteAttempts(MAX_WRITE_ATTEMPTS).build();
    }

    /** Model fraud with 1.0.0 registered, at sequences 1 (created) and 2 (registered); no store call counted yet. */
    @BeforeEach
    void history() {
        registry.register(ALICE, version("1.0.0").build());
        clearInvocations(events, artifacts);
    }

    @AfterEach
    void close() {
        registry.close();
    }

    private static Registration.Builder version(String version) {
        return Registration.of(MODEL.value()).version(version);
    }

    /** Two artifacts, so that the failing put can be the second. */
    private static Registration.Builder withWeights(String version, byte[] weights) {
        return version(version).artifact("config.json", "application/json", "{}".getBytes(StandardCharsets.UTF_8))
                .artifact("model.bin", "application/octet-stream", weights);
    }

    /** verify() with artifacts finds nothing wrong, and the registry takes a new version. */
    private void assertIntactAndWorking() {
        assertThat(registry.verifyWithArtifacts().intact()).isTrue();
        assertThat(registry.register(ALICE, version("9.0.0").build()).version()).isEqualTo(SemVer.parse("9.0.0"));
        assertThat(registry.verify().intact()).isTrue();
    }

    @Test
    @DisplayName("a registration refused for a version that exists stores no artifact and never calls append")
    void refusedRegistrationNeverAppends() {
        assertThatThrownBy(() -> registry.register(ALICE, withWeights("1.0.0", new byte[] {1, 2, 3}).build()))
                .isInstanceOf(AlreadyExistsException.class);

        verify(artifacts, never()).put(any());
        verify(events, never()).append(any(), anyLong(), anyList());
        assertThat(registry.log(MODEL.value())).hasSize(2);
    }

    @Test
    @DisplayName("a race lost on the first append is planned again on top of the winner's entry and written by exactly one more append")
    void lostRaceIsPlannedAgain() {
        ModelVersion mine;
        try (ModelRegistry rival = registryOverTheStores()) {
            doAnswer(append -> {
                rival.register(ALICE, version("1.1.0").build());
                throw new ConcurrentUpdateException("Log of fraud moved past 2");
            }).doCallRealMethod().when(events).append(any(), anyLong(), anyList());

            mine = registry.register(ALICE, version("2.0.0").build());
        }

        InOrder appends = inOrder(events);
        appends.verify(events).append(eq(MODEL), eq(2L), anyList());
        appends.verify(events).append(eq(MODEL), eq(2L), anyList());
        appends.verify(events).append(eq(MODEL), eq(3L), anyList());
        verify(events, times(3)).append(any(), anyLong(), anyList());
        assertThat(mine.version()).isEqualTo(SemVer.parse("2.0.0"));
        assertThat(registry.log(MODEL.value())).extracting(LogEntry::sequence).containsExactly(1L, 2L, 3L, 4L);
        assertThat(registry.findLatest(MODEL.value()).orElseThrow().version()).isEqualTo(SemVer.parse("2.0.0"));
        assertIntactAndWorking();
    }

    @Test
    @DisplayName("a race lost on every append gives up with ConcurrentUpdateException after maxWriteAttempts appends, having written nothing")
    void racesLostOnEveryAppendGiveUp() {
        doThrow(new ConcurrentUpdateException("Log of fraud moved past 2")).when(events).append(any(), anyLong(), anyList());

        assertThatThrownBy(() -> registry.register(ALICE, version("1.1.0").build()))
                .isInstanceOf(ConcurrentUpdateException.class).hasMessageContaining(MAX_WRITE_ATTEMPTS + " attempts");

        verify(events, times(MAX_WRITE_ATTEMPTS)).append(eq(MODEL), eq(2L), anyList());
        assertThat(registry.findVersion(MODEL.value(), SemVer.parse("1.1.0"))).isEmpty();
        doCallRealMethod().when(events).append(any(), anyLong(), anyList());
        assertIntactAndWorking();
    }

    @Test
    @DisplayName("a StorageStateUnknownException thrown before the append wrote reaches the caller unretried, and the write is wholly absent")
    void unknownOutcomeNotWritten() {
        doThrow(new StorageStateUnknownException("connection lost after sending", new IOException("reset")))
                .doCallRealMethod().when(events).append(any(), anyLong(), anyList());

        assertThatThrownBy(() -> registry.register(ALICE, Registration.of("churn").version("0.1.0").build()))
                .isInstanceOf(StorageStateUnknownException.class);

        verify(events, times(1)).append(any(), anyLong(), anyList());
        assertThat(registry.findModel("churn")).isEmpty();
        assertThat(registry.models()).containsExactly(MODEL);
        assertThat(registry.register(ALICE, Registration.of("churn").version("0.1.0").build()).version()).isEqualTo(SemVer.parse("0.1.0"));
        assertIntactAndWorking();
    }

    @Test
    @DisplayName("a StorageStateUnknownException thrown after the append wrote reaches the caller unretried, and the write is wholly there")
    void unknownOutcomeWritten() {
        doAnswer(append -> {
            append.callRealMethod();
            throw new StorageStateUnknownException("connection lost before the answer", new IOException("reset"));
        }).doCallRealMethod().when(events).append(any(), anyLong(), anyList());

        assertThatThrownBy(() -> registry.register(ALICE, Registration.of("churn").version("0.1.0").build()))
                .isInstanceOf(StorageStateUnknownException.class);

        verify(events, times(1)).append(any(), anyLong(), anyList());
        assertThat(registry.log("churn")).extracting(LogEntry::event)
                .hasExactlyElementsOfTypes(ModelCreated.class, VersionRegistered.class);
        assertThat(registry.findVersion("churn", SemVer.parse("0.1.0"))).isPresent();
        assertThatThrownBy(() -> registry.register(ALICE, Registration.of("churn").version("0.1.0").build()))
                .isInstanceOf(AlreadyExistsException.class);
        assertIntactAndWorking();
    }

    @Test
    @DisplayName("a read of the log that fails on the second call, while a lost race is planned again, reaches the caller as StorageException with nothing more appended")
    void secondReadFails() {
        doCallRealMethod().doThrow(new StorageException("disk read error"))
                .doCallRealMethod().when(events).read(eq(MODEL), anyLong());
        doThrow(new ConcurrentUpdateException("Log of fraud moved past 2"))
                .doCallRealMethod().when(events).append(any(), anyLong(), anyList());

        assertThatThrownBy(() -> registry.register(ALICE, version("2.0.0").build()))
                .isInstanceOf(StorageException.class).hasMessageContaining("disk read error");

        verify(events, times(2)).read(eq(MODEL), anyLong());
        verify(events, times(1)).append(any(), anyLong(), anyList());
        assertThat(registry.findVersion(MODEL.value(), SemVer.parse("2.0.0"))).isEmpty();
        assertThat(registry.log(MODEL.value())).hasSize(2);
        assertIntactAndWorking();
    }

    @Test
    @DisplayName("an artifact put that fails half way through the second artifact registers nothing and stores nothing under its digest")
    void artifactPutFailsHalfWay() throws IOException {
        byte[] weights = new byte[64 * 1024];
        Arrays.fill(weights, (byte) 7);
        doCallRealMethod().doAnswer(put -> {
            put.<InputStream>getArgument(0).readNBytes(weights.length / 2);
            throw new StorageException("Upload interrupted", new IOException("connection reset"));
        }).doCallRealMethod().when(artifacts).put(any());

        assertThatThrownBy(() -> registry.register(ALICE, withWeights("1.1.0", weights).build()))
                .isInstanceOf(StorageException.class).hasMessageContaining("model.bin").hasMessageContaining("Upload interrupted");

        verify(artifacts, times(2)).put(any());
        verify(events, never()).append(any(), anyLong(), anyList());
        assertThat(artifacts.find(Sha256.digest(weights))).isEmpty();
        assertThat(registry.findVersion(MODEL.value(), SemVer.parse("1.1.0"))).isEmpty();
        registry.register(ALICE, withWeights("1.1.0", weights).build());
        try (InputStream in = registry.openArtifact(MODEL.value(), SemVer.parse("1.1.0"), "model.bin")) {
            assertThat(in.readAllBytes()).isEqualTo(weights);
        }
        assertIntactAndWorking();
    }
}
