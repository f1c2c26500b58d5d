/**
 * The contract suites of the storage SPI: what every {@link dev.modelregistry.EventStore} and
 * {@link dev.modelregistry.ArtifactStore} must do, and, for a store that declares an index
 * capability ({@link dev.modelregistry.spi.SupportsVersionQueries},
 * {@link dev.modelregistry.spi.SupportsLineageQueries}, {@link dev.modelregistry.spi.SupportsRequestQueries}),
 * that its answers equal the core's fold of the same logs. A backend's test extends each suite that
 * applies in a few lines; {@code supports…()} switches and hooks say what the backend can show.
 *
 * <p>These suites speak the SPI directly (the registry-level behaviour is the conformance suite's,
 * {@link dev.modelregistry.testkit.RegistryConformanceTests}). Races use real threads; nothing sleeps.
 */
package dev.modelregistry.testkit.contract;
