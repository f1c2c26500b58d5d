package dev.modelregistry;

/**
 * The write may or may not have happened (for example the connection broke after the request was
 * sent). Do not clean up: read the log again to find out.
 */
public class StorageStateUnknownException extends RegistryException {
    public StorageStateUnknownException(String message, Throwable cause) {
        super(message, cause);
    }
}
