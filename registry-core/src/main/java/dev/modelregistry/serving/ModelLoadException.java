package dev.modelregistry.serving;

import dev.modelregistry.RegistryException;

/**
 * A {@link ModelLoader} threw, or a {@link ModelValidator} refused the model it loaded. The cause
 * is what they threw; the message names the version and artifact.
 */
public class ModelLoadException extends RegistryException {
    public ModelLoadException(String message, Throwable cause) {
        super(message, cause);
    }
}
