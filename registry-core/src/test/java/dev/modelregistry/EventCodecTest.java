package dev.modelregistry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("the canonical event codec")
class EventCodecTest {
    private static final Instant T = Instant.parse("2024-05-06T07:08:09.010Z");

    private static List<LogEntry> sampleLog() {
        ModelRegistry registry = ModelRegistry.builder().clock(Clock.fixed(T, ZoneOffset.UTC)).build();
        registry.register(Principal.of("alice"), Registration.of("m").version("1.2.3-rc.1+build.5")
                .tag("first").framework("xgboost", "2.0.3")
                .hyperparameter("depth", 6).hyperparameter("nested", Map.of("z", 1, "a", List.of(0.1, 1e-12, 12345678.9)))
                .signature(Signature.of(List.of(Signature.Field.withDefault("x", "double")), List.of(Signature.Field.of("y", "int"))))
                .metric("auc", 0.1 + 0.2).label("team", "risk").description("ü ☃ \"quoted\"\nnext line")
                .artifact("m.bin", null, new byte[] {1, 2, 3}).reason("because").build());
        registry.promote(Principal.of("bob"), "m", SemVer.parse("1.2.3-rc.1"), Stage.STAGING, "");
        return registry.log("m");
    }

    @Test
    @DisplayName("reads back exactly what it wrote, and writes it again byte for byte")
    void roundTrip() {
        for (LogEntry e : sampleLog()) {
            String json = EventCodec.toJson(e);
            LogEntry back = EventCodec.fromJson(json);
            assertThat(back).isEqualTo(e);
            assertThat(EventCodec.toJson(back)).isEqualTo(json);
            assertThat(EventCodec.computeHash(back)).isEqualTo(e.hash());
        }
    }

    @Test
    @DisplayName("sorts keys at every depth and writes no whitespace")
    void canonicalForm() {
        String json = EventCodec.toJson(sampleLog().get(1));
        assertThat(json).doesNotContain(": ").doesNotContain(", ");
        assertThat(json.indexOf("\"a\":")).isLessThan(json.indexOf("\"z\":"));
        assertThat(json.indexOf("\"event\"")).isLessThan(json.indexOf("\"hash\""));
        assertThat(json).contains("\"version\":\"1.2.3-rc.1+build.5\"");
    }

    @Test
    @DisplayName("keeps the hash of an entry stable across releases (golden value)")
    void goldenHash() {
        LogEntry e = LogEntry.seal(ModelName.of("m"), 1, T, "alice", "why", LogEntry.GENESIS, new ModelCreated(ModelName.of("m")));
        assertThat(EventCodec.toJson(e)).isEqualTo("{\"event\":{\"model\":\"m\",\"type\":\"ModelCreated\"},"
                + "\"hash\":\"" + e.hash() + "\",\"model\":\"m\",\"prevHash\":\"" + "0".repeat(64) + "\","
                + "\"principal\":\"alice\",\"reason\":\"why\",\"sequence\":1,\"time\":\"2024-05-06T07:08:09.010Z\"}");
        assertThat(e.hash().hex()).isEqualTo(dev.modelregistry.Sha256.digest(("{\"event\":{\"model\":\"m\",\"type\":\"ModelCreated\"},"
                + "\"model\":\"m\",\"prevHash\":\"" + "0".repeat(64) + "\",\"principal\":\"alice\",\"reason\":\"why\",\"sequence\":1,"
                + "\"time\":\"2024-05-06T07:08:09.010Z\"}").getBytes(java.nio.charset.StandardCharsets.UTF_8)).hex());
    }

    @Test
    @DisplayName("refuses text that is not a log entry with IntegrityException")
    void garbage() {
        assertThatThrownBy(() -> EventCodec.fromJson("{not json")).isInstanceOf(IntegrityException.class);
        assertThatThrownBy(() -> EventCodec.fromJson("{\"event\":{\"type\":\"Nope\"}}")).isInstanceOf(IntegrityException.class);
        assertThatThrownBy(() -> EventCodec.fromJson("[" .repeat(5000))).isInstanceOf(IntegrityException.class);
    }

    @Test
    @DisplayName("records a stage change with its kind")
    void stageChange() {
        LogEntry last = sampleLog().get(2);
        StageChanged change = (StageChanged) last.event();
        assertThat(change.version()).isEqualTo(SemVer.parse("1.2.3-rc.1"));
        assertThat(change.from()).isEqualTo(Stage.NONE);
        assertThat(change.to()).isEqualTo(Stage.STAGING);
        assertThat(change.kind()).isEqualTo(StageChange.Kind.PROMOTION);
        assertThat(change.report().results()).isEmpty();
    }
}
