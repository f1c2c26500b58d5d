package dev.modelregistry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Bugs the bad-input corpus of the reliability work found, each pinned where it was fixed. */
@DisplayName("inputs the bad-input corpus found mishandled")
class ReliabilityRegressionTest {
    private static final Principal ADMIN = Principal.of("root", "admin");

    @Test
    @DisplayName("a hyperparameter nested 10,000 levels deep is refused as too deep, not with a StackOverflowError")
    void deeplyNestedHyperparameter() {
        Object nested = "leaf";
        for (int i = 0; i < 10_000; i++) {
            nested = List.of(nested);
        }
        Object value = nested;
        assertThatThrownBy(() -> Registration.of("m").version("1.0.0").hyperparameter("deep", value))
                .isInstanceOf(MetadataTooLargeException.class).hasMessageContaining("deeper than " + Limits.MAX_JSON_DEPTH);
    }

    @Test
    @DisplayName("a hyperparameter map that contains itself is refused, not with a StackOverflowError")
    void cyclicHyperparameter() {
        Map<String, Object> cyclic = new HashMap<>();
        cyclic.put("self", cyclic);
        assertThatThrownBy(() -> Registration.of("m").version("1.0.0").hyperparameter("loop", cyclic))
                .isInstanceOf(MetadataTooLargeException.class).hasMessageContaining("contains itself");
    }

    @Test
    @DisplayName("a manual-approval gate for a role no principal can hold is refused when the policy is loaded")
    void approverRoleThatIsNotARoleName() {
        String json = "{\"version\":1,\"transitions\":{\"STAGING->PRODUCTION\":[{\"type\":\"manual-approval\",\"approvals\":1,\"role\":\"../admin\"}]}}";
        assertThatThrownBy(() -> GatePolicy.fromJson(json))
                .isInstanceOf(PolicyException.class).hasMessageContaining("/transitions/STAGING->PRODUCTION/0/role").hasMessageContaining("../admin");
    }

    @Test
    @DisplayName("a reference with an empty selector is refused instead of meaning the highest version")
    void emptySelector() {
        try (ModelRegistry registry = ModelRegistry.inMemory()) {
            registry.register(ADMIN, Registration.of("m").version("1.0.0").build());
            assertThatThrownBy(() -> registry.resolve("m@")).isInstanceOf(ValidationException.class).hasMessageContaining("empty");
            assertThatThrownBy(() -> registry.resolve("m@ ")).isInstanceOf(ValidationException.class).hasMessageContaining("empty");
            assertThat(registry.resolve("m@*").version()).isEqualTo(SemVer.parse("1.0.0"));
        }
    }

    @Test
    @DisplayName("an artifact stream that fails while it is stored is reported naming the artifact")
    void failingArtifactStreamNamesTheArtifact() {
        try (ModelRegistry registry = ModelRegistry.inMemory()) {
            InputStream failing = new InputStream() {
                @Override
                public int read() throws IOException {
                    throw new IOException("disk read error");
                }
            };
            assertThatThrownBy(() -> registry.register(ADMIN, Registration.of("m").version("1.0.0")
                    .artifact("model.bin", "application/octet-stream", failing, null).build()))
                    .isInstanceOf(StorageException.class).hasMessageContaining("model.bin").hasMessageContaining("disk read error");
            assertThat(registry.models()).isEmpty();
        }
    }
}
