package dev.modelregistry;

/**
 * A stage change the lifecycle does not allow: an unknown stage, a transition that is not defined,
 * or a rollback with no earlier holder to go back to.
 */
public class IllegalTransitionException extends ValidationException {
    public IllegalTransitionException(String message) {
        super(message);
    }
}
