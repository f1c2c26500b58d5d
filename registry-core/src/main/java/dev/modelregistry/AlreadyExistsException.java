package dev.modelregistry;

/** A version or tag that already exists in the model (versions and tags are unique per model). */
public class AlreadyExistsException extends RegistryException {
    public AlreadyExistsException(String message) {
        super(message);
    }
}
