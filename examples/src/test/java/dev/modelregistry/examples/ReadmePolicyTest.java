package dev.modelregistry.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelregistry.Stage;
import dev.modelregistry.GatePolicy;
import dev.modelregistry.GateSpec;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ReadmePolicyTest {
    @Test
    @DisplayName("the policy document shown in the README loads and is the one shipped with the examples")
    void readmePolicyLoads() throws Exception {
        String shipped;
        try (InputStream in = ReadmePolicyTest.class.getResourceAsStream("/policy.json")) {
            shipped = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        GatePolicy policy = GatePolicy.fromJson(shipped);
        assertThat(policy.gatesFor(Stage.STAGING, Stage.PRODUCTION)).hasSize(6)
                .extracting(GateSpec::type).contains("metric-threshold", "manual-approval", "fairness");
        Path readme = Path.of("..", "README.md");
        if (Files.exists(readme)) {
            String text = Files.readString(readme);
            assertThat(text).contains(shipped.strip());
        }
    }
}
