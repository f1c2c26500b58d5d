package dev.modelregistry.internal.engine;

import dev.modelregistry.ModelRegistry;
import dev.modelregistry.spi.RegistryEngine;
import dev.modelregistry.spi.RegistrySettings;

/** The engine {@code ModelRegistry.builder()} finds through {@link java.util.ServiceLoader}. */
public final class Engine implements RegistryEngine {
    @Override
    public ModelRegistry create(RegistrySettings settings) {
        return new DefaultModelRegistry(settings);
    }
}
