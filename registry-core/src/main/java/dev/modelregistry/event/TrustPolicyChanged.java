package dev.modelregistry.event;

import dev.modelregistry.signing.TrustPolicy;

/** The registry's trust policy (trusted keys, signatures required per stage) changed. */
public record TrustPolicyChanged(TrustPolicy policy) implements RegistryEvent {
}
