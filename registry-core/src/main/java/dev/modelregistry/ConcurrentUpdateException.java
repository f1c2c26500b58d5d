package dev.modelregistry;

/**
 * The log moved while a write was being prepared: another writer appended first. Nothing of this
 * write was applied and it is safe to retry; the registry itself retries before giving up.
 */
public class ConcurrentUpdateException extends RegistryException {
    public ConcurrentUpdateException(String message) {
        super(message);
    }
}
