package dev.modelregistry;


/** The registry's trust policy (trusted keys, signatures required per stage) changed. */
public record TrustPolicyChanged(TrustPolicy policy) implements RegistryEvent {
}
