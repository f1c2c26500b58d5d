/**
 * Serving support: follow a stage of a model in-process and hot-swap when it moves
 * ({@link dev.modelregistry.serving.ModelHandle}), a shared content-addressed local copy of artifacts
 * ({@link dev.modelregistry.serving.LocalArtifactCache}), and reliable change events tailed from the
 * registry's logs with a durable cursor ({@link dev.modelregistry.serving.EventFeed}).
 *
 * <p>Everything here uses the public {@link dev.modelregistry.ModelRegistry} API only, so it works
 * the same on every backend; how quickly another process's change is seen is the backend's
 * {@link dev.modelregistry.ModelRegistry#changeToken()} plus the poll interval. See
 * {@code registry-core/SERVING.md}.
 */
package dev.modelregistry.serving;
