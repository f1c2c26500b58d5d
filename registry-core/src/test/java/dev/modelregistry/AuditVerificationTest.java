package dev.modelregistry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.AdditionalAnswers.delegatesTo;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.mock;

import dev.modelregistry.memory.InMemoryEventStore;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Tampering is simulated with a mock store that delegates to a real one but alters what it hands
 * back, as an attacker with write access to the storage would: verify() must name the first broken
 * sequence number.
 */
@DisplayName("verifying the audit trail")
class AuditVerificationTest {
    private final InMemoryEventStore store = new InMemoryEventStore();
    private final Principal alice = Principal.of("alice");

    @BeforeEach
    void history() {
        ModelRegistry registry = ModelRegistry.builder().eventStore(store).build();
        registry.register(alice, Registration.of("m").version("1.0.0").build());
        registry.register(alice, Registration.of("m").version("1.1.0").build());
        registry.promote(alice, "m", SemVer.parse("1.1.0"), Stage.STAGING, "ok");
        registry.promote(alice, "m", SemVer.parse("1.1.0"), Stage.PRODUCTION, "ok");
        registry.register(alice, Registration.of("other").version("1.0.0").build());
    }

    private VerificationReport verifyThrough(UnaryOperator<List<LogEntry>> tamper) {
        return ModelRegistry.builder().eventStore(tampering(tamper)).build().verify();
    }

    /** The real store, except that every read hands out the model's whole log passed through {@code tamper}. */
    private EventStore tampering(UnaryOperator<List<LogEntry>> tamper) {
        EventStore tampered = mock(EventStore.class, delegatesTo(store));
        doAnswer(read -> tamper.apply(store.read(read.getArgument(0), 1)).stream()
                .filter(e -> e.sequence() >= read.<Long>getArgument(1)).toList())
                .when(tampered).read(any(), anyLong());
        return tampered;
    }

    @Test
    @DisplayName("reports an untouched registry as intact")
    void intact() {
        VerificationReport report = verifyThrough(UnaryOperator.identity());
        assertThat(report.intact()).isTrue();
        assertThat(report.logs()).hasSize(2);
        assertThat(report.entriesChecked()).isEqualTo(5 + 2);
    }

    @Test
    @DisplayName("names the first entry whose content was altered")
    void alteredContent() {
        VerificationReport report = verifyThrough(log -> replace(log, 3, e -> new LogEntry(e.model(), e.sequence(), e.time(),
                "mallory", e.reason(), e.prevHash(), e.hash(), e.event())));
        assertThat(report.intact()).isFalse();
        VerificationReport.LogResult problem = report.firstProblem().orElseThrow();
        assertThat(problem.model()).isEqualTo(ModelName.of("m"));
        assertThat(problem.firstBrokenSequence()).hasValue(3);
        assertThat(problem.problem()).contains("hashes to");
    }

    @Test
    @DisplayName("names the entry after one that was re-hashed to hide an alteration")
    void rehashed() {
        VerificationReport report = verifyThrough(log -> replace(log, 2, e -> LogEntry.seal(e.model(), e.sequence(), e.time(),
                "mallory", e.reason(), e.prevHash(), e.event())));
        assertThat(report.firstProblem().orElseThrow().firstBrokenSequence()).hasValue(3);
        assertThat(report.firstProblem().orElseThrow().problem()).contains("prevHash");
    }

    @Test
    @DisplayName("names the gap where an entry was deleted")
    void deleted() {
        VerificationReport report = verifyThrough(log -> {
            List<LogEntry> copy = new ArrayList<>(log);
            if (copy.size() > 4) {
                copy.remove(3);
            }
            return copy;
        });
        assertThat(report.firstProblem().orElseThrow().firstBrokenSequence()).hasValue(4);
        assertThat(report.firstProblem().orElseThrow().problem()).contains("expected sequence 4");
    }

    @Test
    @DisplayName("refuses to serve state from a log whose links are broken")
    void foldRefusesBrokenLinks() {
        EventStore tampered = tampering(log -> replace(log, 2, e -> LogEntry.seal(e.model(), e.sequence(), e.time(),
                "mallory", e.reason(), e.prevHash(), e.event())));
        ModelRegistry registry = ModelRegistry.builder().eventStore(tampered).build();
        assertThatThrownBy(() -> registry.findLatest("m")).isInstanceOf(IntegrityException.class)
                .hasMessageContaining("sequence 3");
    }

    private static List<LogEntry> replace(List<LogEntry> log, long sequence, UnaryOperator<LogEntry> change) {
        List<LogEntry> copy = new ArrayList<>(log);
        for (int i = 0; i < copy.size(); i++) {
            if (copy.get(i).sequence() == sequence && copy.get(i).model().value().equals("m")) {
                copy.set(i, change.apply(copy.get(i)));
            }
        }
        return copy;
    }
}
