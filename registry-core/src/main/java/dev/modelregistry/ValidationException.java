package dev.modelregistry;

/** Bad input: the call was refused before anything changed. */
public class ValidationException extends RegistryException {
    public ValidationException(String message) {
        super(message);
    }

    public ValidationException(String message, Throwable cause) {
        super(message, cause);
    }
}
