package dev.modelregistry.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.modelregistry.AccessPolicy;
import dev.modelregistry.Action;
import dev.modelregistry.Grant;
import dev.modelregistry.Stage;
import dev.modelregistry.ValidationException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The edge cases part of the conformance suite: access policies built from any kind of list.
 */
public abstract class EdgeCaseConformanceTests extends MissingModelConformanceTests {

    // =====================================================================================
    @Nested
    @DisplayName("access policies")
    class AccessPolicies {

        @Test
        @DisplayName("accept roles from another policy, List.of, List.copyOf and ArrayList alike, and keep them across registries")
        void anyList() {
            assertThat(new AccessPolicy(AccessPolicy.standardRoles().roles(), false)).isEqualTo(AccessPolicy.standardRoles());
            AccessPolicy immutable = new AccessPolicy(Map.of(
                    "viewer", List.of(Grant.of(Action.READ)),
                    "admin", List.copyOf(List.of(Grant.of(Action.MANAGE_ACCESS), Grant.of(Action.PROMOTE, "fraud-*", Stage.STAGING)))), false);
            AccessPolicy mutable = new AccessPolicy(Map.of(
                    "viewer", new ArrayList<>(List.of(Grant.of(Action.READ))),
                    "admin", new ArrayList<>(List.of(Grant.of(Action.MANAGE_ACCESS), Grant.of(Action.PROMOTE, "fraud-*", Stage.STAGING)))), false);
            assertThat(immutable).isEqualTo(mutable);
            assertThat(Grant.of(Action.PROMOTE, "*", Stage.STAGING, Stage.STAGING)).isEqualTo(Grant.of(Action.PROMOTE, "*", Stage.STAGING));

            registry.setAccessPolicy(ADMIN, immutable, "roles from immutable lists");
            assertThat(newRegistry().accessPolicy()).isEqualTo(mutable);
            assertThat(new AccessPolicy(newRegistry().accessPolicy().roles(), false)).isEqualTo(immutable);
        }

        @Test
        @DisplayName("refuse a null grant, list or stage with a ValidationException naming the role and the problem, and change nothing")
        void nulls() {
            List<Grant> withNull = new ArrayList<>(List.of(Grant.of(Action.READ)));
            withNull.add(null);
            assertThatThrownBy(() -> new AccessPolicy(Map.of("viewer", withNull), false)).isInstanceOf(ValidationException.class)
                    .hasMessageContaining("viewer").hasMessageContaining("null grant").hasMessageContaining("index 1");
            assertThatThrownBy(() -> new AccessPolicy(Map.of("viewer", Arrays.asList(null, Grant.of(Action.READ))), false))
                    .isInstanceOf(ValidationException.class).hasMessageContaining("viewer").hasMessageContaining("index 0");
            Map<String, List<Grant>> nullList = new HashMap<>();
            nullList.put("viewer", null);
            assertThatThrownBy(() -> new AccessPolicy(nullList, false)).isInstanceOf(ValidationException.class)
                    .hasMessageContaining("viewer").hasMessageContaining("null");
            assertThatThrownBy(() -> registry.setAccessPolicy(ADMIN, AccessPolicy.builder().role("viewer", Grant.of(Action.READ), null).build(), ""))
                    .isInstanceOf(ValidationException.class).hasMessageContaining("viewer").hasMessageContaining("null grant");
            assertThatThrownBy(() -> Grant.of(Action.PROMOTE, "fraud-*", Stage.STAGING, null)).isInstanceOf(ValidationException.class)
                    .hasMessageContaining("PROMOTE").hasMessageContaining("fraud-*").hasMessageContaining("null stage");
            assertThat(registry.accessPolicy()).isEqualTo(AccessPolicy.allowAll());
            assertThat(newRegistry().accessPolicy()).isEqualTo(AccessPolicy.allowAll());
        }
    }
}
