package dev.modelregistry.internal;

import dev.modelregistry.ModelRegistry;
import dev.modelregistry.RegistryEngine;
import dev.modelregistry.RegistrySettings;

/** The engine {@code ModelRegistry.builder()} finds through {@link java.util.ServiceLoader}. */
public final class Engine implements RegistryEngine {
    @Override
    public ModelRegistry create(RegistrySettings settings) {
        return new DefaultModelRegistry(settings);
    }
}
