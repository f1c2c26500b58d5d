package dev.modelregistry;

/**
 * The request is well-formed, but the registry's current state does not allow it: the version is
 * already in the stage, the promotion request is no longer open, the version never held the stage a
 * rollback names, or the stage has no earlier holder to go back to. Unlike a
 * {@link ValidationException}, the same call may succeed once the state has changed; nothing was
 * written.
 */
public class StateConflictException extends RegistryException {
    public StateConflictException(String message) {
        super(message);
    }
}
