package dev.modelregistry;

/** A model name, tag, stage name, label key or principal name that breaks the naming rules. */
public class InvalidNameException extends ValidationException {
    public InvalidNameException(String message) {
        super(message);
    }
}
