package dev.modelregistry;

/** Metadata over one of the documented size limits in {@link Limits}. */
public class MetadataTooLargeException extends ValidationException {
    public MetadataTooLargeException(String message) {
        super(message);
    }
}
