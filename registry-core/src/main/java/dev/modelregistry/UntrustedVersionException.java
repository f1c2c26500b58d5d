package dev.modelregistry;


/** A version that lacks the valid signatures a trust policy requires: a serving handle refuses to load it. */
public class UntrustedVersionException extends RegistryException {
    private final transient TrustCheck check;

    public UntrustedVersionException(String message, TrustCheck check) {
        super(message + ": " + check.summary());
        this.check = check;
    }

    public TrustCheck check() {
        return check;
    }
}
