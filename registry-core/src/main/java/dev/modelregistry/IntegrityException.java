package dev.modelregistry;

/** Bytes that do not match their SHA-256 digest, or an event log whose hash chain is broken. */
public class IntegrityException extends RegistryException {
    public IntegrityException(String message) {
        super(message);
    }
}
