package dev.modelregistry;

/** A failure of the underlying storage (I/O, SQL, S3), wrapped with what was being done. */
public class StorageException extends RegistryException {
    public StorageException(String message, Throwable cause) {
        super(message, cause);
    }

    public StorageException(String message) {
        super(message);
    }
}
