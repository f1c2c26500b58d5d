package dev.modelregistry;


/** The registry's access policy changed. */
public record AccessPolicyChanged(AccessPolicy policy) implements RegistryEvent {
}
