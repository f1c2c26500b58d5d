package dev.modelregistry;

/**
 * Root of every exception the registry throws. All are unchecked; each subclass names one outcome a
 * caller can act on, and every message names the offending value.
 */
public class RegistryException extends RuntimeException {
    public RegistryException(String message) {
        super(message);
    }

    public RegistryException(String message, Throwable cause) {
        super(message, cause);
    }
}
