/**
 * The registry's API and its value types: {@link dev.modelregistry.ModelRegistry}, built by
 * {@link dev.modelregistry.ModelRegistry#builder()}; versions ({@link dev.modelregistry.SemVer},
 * {@link dev.modelregistry.VersionRange}, {@link dev.modelregistry.ModelVersion}); the lifecycle,
 * gates and policies; lineage and comparison; signing and trust; the log entries and events that are
 * the audit trail; and the exceptions, one hierarchy under {@link dev.modelregistry.RegistryException}.
 *
 * <p>The two interfaces a backend implements, {@link dev.modelregistry.EventStore} and
 * {@link dev.modelregistry.ArtifactStore}, sit here too, because the builder takes them (as Iceberg
 * keeps {@code TableOperations} beside its {@code Catalog}); the optional capabilities a backend may
 * add live in {@link dev.modelregistry.spi}. This package depends on no other package of the
 * registry but the leaf {@code internal.util}; everything that implements it lives in
 * {@code dev.modelregistry.internal}, which it never names (the engine is found through
 * {@link java.util.ServiceLoader}). See {@code docs/architecture.md}.
 */
package dev.modelregistry;
