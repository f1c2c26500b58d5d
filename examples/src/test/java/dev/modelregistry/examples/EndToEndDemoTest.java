package dev.modelregistry.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelregistry.ModelRegistry;
import dev.modelregistry.SemVer;
import dev.modelregistry.Stage;
import dev.modelregistry.examples.fraud.FraudPipeline;
import dev.modelregistry.sqlite.SqliteRegistry;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EndToEndDemoTest {
    @Test
    @DisplayName("the end-to-end demo runs every step as described on a SQLite registry in a fresh directory")
    void runs(@TempDir Path dir) throws Exception {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        try (ModelRegistry registry = EndToEndDemo.governed(SqliteRegistry.builder(dir)).build()) {
            new EndToEndDemo(new PrintStream(buffer, true, StandardCharsets.UTF_8)).run(registry, dir);
        }
        String output = buffer.toString(StandardCharsets.UTF_8);
        assertThat(output).contains("MINOR bump refused").contains("AUTO chose 2.0.0")
                .contains("swap notification: now serving fraud-detector@2.0.0")
                .contains("ROLLBACK").contains("serving fraud-detector@1.5.0 again")
                .contains("Slices where the candidate is worse")
                .contains("denied").contains("intact")
                .contains("Demo finished");

        // What the demo left behind is a registry anyone can open again, in the state the story ends in.
        try (ModelRegistry reopened = SqliteRegistry.open(dir)) {
            assertThat(reopened.getCurrent(FraudPipeline.MODEL, Stage.PRODUCTION).version()).isEqualTo(SemVer.parse("1.5.0"));
            assertThat(reopened.stageOf(FraudPipeline.MODEL, SemVer.parse("2.0.0"))).isEqualTo(Stage.ARCHIVED);
            assertThat(reopened.verify().intact()).isTrue();
        }
        assertThat(Files.readString(dir.resolve("lineage/impact.dot"))).contains("digraph").contains("fraud-detector@1.5.0");
        assertThat(Files.readString(dir.resolve("lineage/impact.mmd"))).startsWith("flowchart");
        assertThat(Files.readAllLines(dir.resolve("audit.jsonl"))).isNotEmpty();
    }
}
