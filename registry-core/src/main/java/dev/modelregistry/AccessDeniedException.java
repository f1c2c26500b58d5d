package dev.modelregistry;

/** The principal may not perform the action. The attempt itself is recorded in the log. */
public class AccessDeniedException extends RegistryException {
    public AccessDeniedException(String message) {
        super(message);
    }
}
