package dev.modelregistry.examples.serving;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelregistry.ModelRegistry;
import dev.modelregistry.SemVer;
import dev.modelregistry.Stage;
import dev.modelregistry.sqlite.SqliteRegistry;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FraudServiceTest {
    @Test
    @DisplayName("the serving example's self-check follows Production over HTTP through a promotion and a rollback")
    void selfCheck(@TempDir Path dir) throws Exception {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        try (ModelRegistry registry = SqliteRegistry.open(dir)) {
            FraudService.selfCheck(registry, dir, new PrintStream(buffer, true, StandardCharsets.UTF_8));
            assertThat(registry.getCurrent(FraudService.MODEL, Stage.PRODUCTION).version()).isEqualTo(SemVer.parse("1.0.0"));
            assertThat(registry.stageOf(FraudService.MODEL, SemVer.parse("2.0.0"))).isEqualTo(Stage.ARCHIVED);
        }
        assertThat(buffer.toString(StandardCharsets.UTF_8))
                .contains("Trained and promoted fraud-detector@1.0.0")
                .contains("GET /version -> 2.0.0")
                .contains("-> 400")
                .contains("rolled back; swap notification; GET /version -> 1.0.0");
    }
}
