package dev.modelregistry.internal.engine;

import dev.modelregistry.AccessPolicy;
import dev.modelregistry.GatePolicy;
import dev.modelregistry.Lifecycle;
import dev.modelregistry.ModelName;
import dev.modelregistry.TrustPolicy;

/**
 * Reads the policies in force from the registry's own log ({@link ModelName#SYSTEM}), falling back
 * to the ones the registry was built with until a policy is set. One read of the system log gives
 * all of them at once, as a {@link PolicySnapshot}.
 */
public final class Policies {
    private final ModelLogs logs;
    private final PolicySnapshot bootstrap;
    /** The last gate policy document read from the system log, parsed once. */
    private volatile ParsedPolicy parsed;

    private record ParsedPolicy(String json, GatePolicy policy) {
    }

    public Policies(ModelLogs logs, GatePolicy gates, AccessPolicy access, Lifecycle lifecycle) {
        this.logs = logs;
        this.bootstrap = new PolicySnapshot(access, gates, TrustPolicy.none(), lifecycle);
    }

    public PolicySnapshot snapshot() {
        return logs.withState(ModelName.SYSTEM, s -> new PolicySnapshot(
                s.accessPolicy().orElse(bootstrap.access()),
                s.gatePolicyJson().map(this::parse).orElse(bootstrap.gates()),
                s.trustPolicy().orElse(bootstrap.trust()),
                bootstrap.lifecycle()), () -> bootstrap);
    }

    private GatePolicy parse(String json) {
        ParsedPolicy cached = parsed;
        if (cached == null || !cached.json.equals(json)) {
            cached = new ParsedPolicy(json, GatePolicy.fromJson(json));
            parsed = cached;
        }
        return cached.policy;
    }
}
