/**
 * The optional capabilities of a storage backend, beyond the
 * {@link dev.modelregistry.EventStore} and {@link dev.modelregistry.ArtifactStore} every backend
 * implements: indexes the core may push queries down to ({@link dev.modelregistry.spi.SupportsVersionQueries},
 * {@link dev.modelregistry.spi.SupportsLineageQueries}, {@link dev.modelregistry.spi.SupportsRequestQueries}),
 * change notification, and a view of the log as stored for {@code verify()}
 * ({@link dev.modelregistry.spi.SupportsStorageAudit}). A backend stores and returns entries and
 * answers index queries; it never restates a domain rule: the core folds, checks and decides. Depends
 * on the API's value types only.
 */
package dev.modelregistry.spi;
