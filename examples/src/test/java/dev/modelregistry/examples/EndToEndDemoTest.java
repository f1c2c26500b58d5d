package dev.modelregistry.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelregistry.ModelRegistry;
import dev.modelregistry.sqlite.SqliteRegistry;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class EndToEndDemoTest {
    @Test
    @DisplayName("the end-to-end demo runs every step as described on a SQLite registry")
    void runs(@TempDir Path dir) throws Exception {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        try (ModelRegistry registry = EndToEndDemo.governed(SqliteRegistry.builder(dir)).build()) {
            new EndToEndDemo(new PrintStream(buffer, true, StandardCharsets.UTF_8)).run(registry);
        }
        String output = buffer.toString(StandardCharsets.UTF_8);
        assertThat(output).contains("AUTO chose 2.0.0").contains("ROLLBACK").contains("intact")
                .contains("denied").contains("awaits [admin, approver]")
                .contains("Demo finished");
    }
}
