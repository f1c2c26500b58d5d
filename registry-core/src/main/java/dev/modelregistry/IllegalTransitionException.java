package dev.modelregistry;

/**
 * A stage change the lifecycle does not allow: an unknown stage, a transition that is not defined,
 * or a rollback of a stage that is not exclusive. (A rollback with no earlier holder to go back to
 * is a {@link StateConflictException}: the lifecycle allows it, the history does not.)
 */
public class IllegalTransitionException extends ValidationException {
    public IllegalTransitionException(String message) {
        super(message);
    }
}
