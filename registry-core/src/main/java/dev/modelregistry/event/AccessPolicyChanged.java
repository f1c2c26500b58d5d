package dev.modelregistry.event;

import dev.modelregistry.access.AccessPolicy;

/** The registry's access policy changed. */
public record AccessPolicyChanged(AccessPolicy policy) implements RegistryEvent {
}
