package dev.modelregistry;

/** The registry's gate policy changed; the document is kept whole, as canonical JSON. */
public record GatePolicyChanged(String policy) implements RegistryEvent {
}
