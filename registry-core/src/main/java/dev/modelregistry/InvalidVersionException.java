package dev.modelregistry;

/** Text that is not a SemVer 2.0.0 version, or not a valid version range. */
public class InvalidVersionException extends ValidationException {
    public InvalidVersionException(String message) {
        super(message);
    }
}
