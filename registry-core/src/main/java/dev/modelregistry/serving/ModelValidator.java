package dev.modelregistry.serving;

import dev.modelregistry.ModelVersion;

/**
 * Warms up and checks a newly loaded model before a {@link ModelHandle} serves it, e.g. by scoring
 * sample inputs. Throwing an exception, an {@link AssertionError} or a {@link LinkageError} refuses the model: the handle keeps serving the one it has,
 * closes the refused one and reports the refusal. Runs on the handle's loading thread.
 *
 * @param <M> the model type
 */
@FunctionalInterface
public interface ModelValidator<M> {
    void validate(M model, ModelVersion version) throws Exception;
}
