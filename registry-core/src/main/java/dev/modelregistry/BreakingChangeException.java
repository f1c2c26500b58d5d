package dev.modelregistry;

/**
 * A registration whose explicit version or bump understates a breaking change of the input/output
 * signature against the previous highest version (for example a removed input under a MINOR bump).
 */
public class BreakingChangeException extends ValidationException {
    private final Bump required;

    public BreakingChangeException(String message, Bump required) {
        super(message);
        this.required = required;
    }

    /** The smallest bump the signature change requires. */
    public Bump required() {
        return required;
    }
}
