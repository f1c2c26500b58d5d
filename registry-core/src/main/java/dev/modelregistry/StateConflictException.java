package dev.modelregistry;

/**
 * The call is well-formed, but the registry's current state does not allow it:
 * <ul>
 *   <li>the version is already in the stage it is promoted or archived into;</li>
 *   <li>the promotion request is no longer open (approved, rejected, withdrawn or closed);</li>
 *   <li>a four-eyes rule excludes the approver (the author of the version, or the requester);</li>
 *   <li>the version a rollback names never held the stage, or holds it now;</li>
 *   <li>the stage has no earlier holder to roll back to.</li>
 * </ul>
 * Unlike a {@link ValidationException}, the same call may succeed once the state has changed;
 * nothing was written.
 */
public class StateConflictException extends RegistryException {
    public StateConflictException(String message) {
        super(message);
    }
}
