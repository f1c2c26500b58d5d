package dev.modelregistry;

/** The model, version, tag, stage holder or artifact asked for does not exist. */
public class NotFoundException extends RegistryException {
    public NotFoundException(String message) {
        super(message);
    }
}
