package dev.modelregistry;


/**
 * Key material that cannot be used: not base64, not an Ed25519 key in the expected encoding, a
 * private key that does not belong to its public key, or a key id that is not valid. The message
 * names the key id and what is wrong with it; the key itself is never echoed.
 */
public class KeyMaterialException extends ValidationException {
    private final String keyId;

    public KeyMaterialException(String keyId, String message) {
        super(message);
        this.keyId = keyId;
    }

    public KeyMaterialException(String keyId, String message, Throwable cause) {
        super(message, cause);
        this.keyId = keyId;
    }

    /** The id of the key that was refused. */
    public String keyId() {
        return keyId;
    }
}
