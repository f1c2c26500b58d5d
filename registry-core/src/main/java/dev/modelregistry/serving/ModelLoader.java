package dev.modelregistry.serving;

import dev.modelregistry.ModelVersion;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Turns a verified artifact file into the application's model object. Called by a
 * {@link ModelHandle} on its background thread (and once on the building thread), never concurrently
 * for one handle. An exception, {@link AssertionError} or {@link LinkageError} it throws keeps the handle on its
 * current model and is reported as a {@link ModelLoadException}.
 *
 * <p>The file is a read-only entry of a {@link LocalArtifactCache}; it stays in place while the model
 * loaded from it is served. If the model is {@link AutoCloseable}, the handle closes it when it is
 * retired and no lease uses it any more.
 *
 * @param <M> the model type
 */
@FunctionalInterface
public interface ModelLoader<M> {

    /**
     * Loads the model.
     *
     * @param artifact the artifact file, whose SHA-256 was verified before it got this name
     * @param version  the registry version it belongs to (metadata, signature, hyperparameters)
     */
    M load(Path artifact, ModelVersion version) throws Exception;

    /** A loader that reads the artifact as a stream (opened, and closed after {@code loader} returns). */
    static <M> ModelLoader<M> fromStream(StreamLoader<M> loader) {
        Objects.requireNonNull(loader, "loader");
        return (artifact, version) -> {
            try (InputStream in = Files.newInputStream(artifact)) {
                return loader.load(in, version);
            }
        };
    }

    /** Reads a model from the artifact's bytes; see {@link #fromStream(StreamLoader)}. */
    @FunctionalInterface
    interface StreamLoader<M> {
        M load(InputStream artifact, ModelVersion version) throws Exception;
    }
}
