package dev.modelregistry.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelregistry.ModelRegistry;
import dev.modelregistry.Principal;
import dev.modelregistry.Registration;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(InMemoryRegistryExtension.class)
@DisplayName("the in-memory registry extension")
class InMemoryRegistryExtensionTest {

    @Test
    @DisplayName("hands a test an empty registry that runs on the manual clock it also hands out")
    void handsOutRegistryAndClock(ModelRegistry registry, ManualClock clock) {
        assertThat(registry.models()).isEmpty();
        clock.advance(Duration.ofDays(2));
        var v = registry.register(Principal.of("ci"), Registration.of("m").version("1.0.0").build());
        assertThat(v.createdAt()).isEqualTo(clock.instant());
    }

    @Test
    @DisplayName("gives every test a registry of its own")
    void freshPerTest(ModelRegistry registry) {
        assertThat(registry.models()).isEmpty();
        registry.register(Principal.of("ci"), Registration.of("m").version("1.0.0").build());
    }
}
