package dev.modelregistry;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;

/**
 * Everything a registry is built from, as {@link ModelRegistryBuilder} collected it,
 * with defaults applied except where an empty {@code Optional} leaves the choice to the engine (the
 * in-memory stores, an owned gate executor).
 */
public record RegistrySettings(Optional<EventStore> eventStore, Optional<ArtifactStore> artifactStore, Clock clock,
                               Lifecycle lifecycle, int maxWriteAttempts, GatePolicy gatePolicy, AccessPolicy accessPolicy,
                               Duration gateTimeout, Optional<ExecutorService> gateExecutor, Map<String, Gate> customGates,
                               boolean requireExactDataLineage, MetricCatalog metricCatalog) {
    public RegistrySettings {
        customGates = Map.copyOf(customGates);
    }
}
