package dev.modelregistry.internal.engine;

import static dev.modelregistry.internal.engine.PlannerFixture.LIFECYCLE;
import static dev.modelregistry.internal.engine.PlannerFixture.PRODUCTION;
import static dev.modelregistry.internal.engine.PlannerFixture.STAGING;
import static dev.modelregistry.internal.engine.PlannerFixture.policies;
import static dev.modelregistry.internal.engine.PlannerFixture.systemLog;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.modelregistry.AccessPolicy;
import dev.modelregistry.AccessPolicyChanged;
import dev.modelregistry.Action;
import dev.modelregistry.GatePolicy;
import dev.modelregistry.GatePolicyChanged;
import dev.modelregistry.Gates;
import dev.modelregistry.Grant;
import dev.modelregistry.IllegalTransitionException;
import dev.modelregistry.Principal;
import dev.modelregistry.SigningKey;
import dev.modelregistry.Stage;
import dev.modelregistry.TrustPolicy;
import dev.modelregistry.TrustPolicyChanged;
import dev.modelregistry.ValidationException;
import dev.modelregistry.internal.engine.PlannerFixture.Log;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@DisplayName("The policy planner")
class PolicyPlannerTest {
    private static final Principal ADMIN = Principal.of("root", "admin");
    private static final Stage CANARY = Stage.of("CANARY");

    @Nested
    @DisplayName("sets the gate policy")
    class GatePolicies {

        @Test
        @DisplayName("as its canonical document in the system log")
        void sets() {
            GatePolicy policy = GatePolicy.builder().transition(STAGING, PRODUCTION, Gates.manualApproval(1, "approver"),
                    Gates.custom("bias-audit")).build();
            Log log = systemLog();

            assertThat(log.write(ADMIN, policies(), PolicyPlanner.setGatePolicy(policy, Set.of("bias-audit"), LIFECYCLE)).events())
                    .containsExactly(new GatePolicyChanged(policy.toJson()));
            assertThat(log.state.gatePolicyJson().map(GatePolicy::fromJson)).contains(policy);
        }

        @Test
        @DisplayName("refusing a custom gate this registry does not have, naming the ones it has")
        void unknownCustomGate() {
            GatePolicy policy = GatePolicy.builder().transition(STAGING, PRODUCTION, Gates.custom("bias-audit")).build();
            assertThatThrownBy(() -> PolicyPlanner.setGatePolicy(policy, Set.of("drift-check", "card-lint"), LIFECYCLE))
                    .isInstanceOf(ValidationException.class)
                    .hasMessage("Gate policy refers to custom gate \"bias-audit\", which is not registered on this registry; "
                            + "registered: [card-lint, drift-check]");
        }

        @Test
        @DisplayName("refusing gates on a stage the lifecycle lacks, so a mistyped stage leaves no move ungated")
        void unknownStage() {
            GatePolicy policy = GatePolicy.builder().transition(STAGING, CANARY, Gates.manualApproval(1, "approver")).build();
            assertThatThrownBy(() -> PolicyPlanner.setGatePolicy(policy, Set.of(), LIFECYCLE))
                    .isInstanceOf(IllegalTransitionException.class)
                    .hasMessage("Gate policy has gates for STAGING->CANARY: Unknown stage \"CANARY\"; "
                            + "this lifecycle has [STAGING, PRODUCTION, ARCHIVED]");
        }
    }

    @Test
    @DisplayName("sets the access policy in the system log")
    void accessPolicy() {
        AccessPolicy policy = AccessPolicy.builder().role("approver", Grant.of(Action.APPROVE)).build();
        Log log = systemLog();

        assertThat(log.write(ADMIN, policies(), PolicyPlanner.setAccessPolicy(policy)).events())
                .containsExactly(new AccessPolicyChanged(policy));
        assertThat(log.state.accessPolicy()).contains(policy);
    }

    @Nested
    @DisplayName("sets the trust policy")
    class TrustPolicies {
        private final SigningKey key = SigningKey.generate("release-2026");

        @Test
        @DisplayName("in the system log")
        void sets() {
            TrustPolicy policy = TrustPolicy.builder().trust(key.trustedKey()).require(PRODUCTION, 1).build();
            Log log = systemLog();

            assertThat(log.write(ADMIN, policies(), PolicyPlanner.setTrustPolicy(policy, LIFECYCLE)).events())
                    .containsExactly(new TrustPolicyChanged(policy));
            assertThat(log.state.trustPolicy()).contains(policy);
        }

        @Test
        @DisplayName("refusing a requirement for a stage the lifecycle lacks")
        void unknownStage() {
            TrustPolicy policy = TrustPolicy.builder().trust(key.trustedKey()).require(CANARY, 1).build();
            assertThatThrownBy(() -> PolicyPlanner.setTrustPolicy(policy, LIFECYCLE))
                    .isInstanceOf(IllegalTransitionException.class)
                    .hasMessage("Unknown stage \"CANARY\"; this lifecycle has [STAGING, PRODUCTION, ARCHIVED]");
        }
    }
}
