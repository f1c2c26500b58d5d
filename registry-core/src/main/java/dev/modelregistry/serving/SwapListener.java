package dev.modelregistry.serving;

import dev.modelregistry.ModelVersion;
import dev.modelregistry.RegistryException;

/**
 * Told what a {@link ModelHandle} does in the background. Called on the handle's loading thread;
 * keep it quick. What a listener throws is logged and otherwise ignored.
 *
 * @param <M> the model type
 */
public interface SwapListener<M> {

    /** The handle now serves {@code current}; {@code previous} is retired (closed once no lease uses it). */
    default void onSwap(Serving<M> previous, Serving<M> current) {
    }

    /**
     * The handle could not serve {@code attempted} and keeps serving what it served: the download or
     * digest check failed ({@link dev.modelregistry.StorageException},
     * {@link dev.modelregistry.IntegrityException}, {@link dev.modelregistry.NotFoundException}), or
     * the loader or validator threw ({@link ModelLoadException}). The handle retries later, with
     * back-off, and at once when the stage moves again.
     */
    default void onFailure(ModelVersion attempted, RegistryException error) {
    }

    /** The stage no longer holds any version; the handle keeps serving {@code stillServing}. */
    default void onStageEmpty(Serving<M> stillServing) {
    }
}
