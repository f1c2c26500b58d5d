package dev.modelregistry.examples.governance;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GovernanceExampleTest {
    @Test
    @DisplayName("the governance example rejects, denies, enforces four eyes, exports the audit and catches a forged entry")
    void runs(@TempDir Path dir) throws Exception {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        new GovernanceExample(new PrintStream(buffer, true, StandardCharsets.UTF_8)).run(dir);
        String output = buffer.toString(StandardCharsets.UTF_8);
        assertThat(output)
                .contains("may not REGISTER credit-limit").contains("intern (roles [viewer]) may not REGISTER fraud-detector")
                .contains("FAILED fairness").contains("FAILED documentation")
                .contains("refused: dana is the author of fraud-detector@3.0.1")
                .contains("Production is fraud-detector@3.0.1")
                .contains("intact")
                .contains("BROKEN: fraud-detector at entry #13");
        assertThat(Files.readAllLines(dir.resolve("audit.jsonl"))).hasSize(18)
                .allSatisfy(line -> assertThat(line).startsWith("{").endsWith("}"));
    }
}
