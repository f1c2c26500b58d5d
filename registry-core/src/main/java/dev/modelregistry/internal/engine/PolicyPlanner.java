package dev.modelregistry.internal.engine;

import dev.modelregistry.AccessPolicy;
import dev.modelregistry.AccessPolicyChanged;
import dev.modelregistry.GatePolicy;
import dev.modelregistry.GatePolicyChanged;
import dev.modelregistry.IllegalTransitionException;
import dev.modelregistry.Lifecycle;
import dev.modelregistry.Stage;
import dev.modelregistry.TrustPolicy;
import dev.modelregistry.TrustPolicyChanged;
import dev.modelregistry.ValidationException;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Plans changes of the registry-wide policies, which live in the system log. Each is checked
 * against this registry (its custom gates, its lifecycle) before anything is written. Pure.
 */
public final class PolicyPlanner {
    private PolicyPlanner() {
    }

    public static Command<Void> setGatePolicy(GatePolicy policy, Set<String> customGates, Lifecycle lifecycle) {
        for (String custom : policy.customGateNames()) {
            if (!customGates.contains(custom)) {
                throw new ValidationException("Gate policy refers to custom gate \"" + custom
                        + "\", which is not registered on this registry; registered: " + new TreeSet<>(customGates));
            }
        }
        // Gates on a move the lifecycle cannot make would never run: a mistyped stage must not leave a transition ungated.
        for (GatePolicy.Transition t : policy.transitions().keySet()) {
            for (Stage stage : List.of(t.from(), t.to())) {
                try {
                    lifecycle.require(stage);
                } catch (IllegalTransitionException e) {
                    throw new IllegalTransitionException("Gate policy has gates for " + t.from() + "->" + t.to() + ": " + e.getMessage());
                }
            }
        }
        GatePolicyChanged change = new GatePolicyChanged(policy.toJson());
        return (state, policies, now, verdicts) -> Plan.applied(change);
    }

    public static Command<Void> setAccessPolicy(AccessPolicy policy) {
        AccessPolicyChanged change = new AccessPolicyChanged(policy);
        return (state, policies, now, verdicts) -> Plan.applied(change);
    }

    public static Command<Void> setTrustPolicy(TrustPolicy policy, Lifecycle lifecycle) {
        for (TrustPolicy.Requirement r : policy.requirements()) {
            lifecycle.require(r.stage());
        }
        TrustPolicyChanged change = new TrustPolicyChanged(policy);
        return (state, policies, now, verdicts) -> Plan.applied(change);
    }
}
