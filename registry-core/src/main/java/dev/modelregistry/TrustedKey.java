package dev.modelregistry;

import dev.modelregistry.internal.util.MessageText;
import java.security.PublicKey;

/**
 * A public key a {@link TrustPolicy} trusts, under the id signatures name it by.
 *
 * @param keyId     the id signers and policies use, e.g. {@code release-2026}
 * @param publicKey the Ed25519 public key, base64 of its X.509 (SubjectPublicKeyInfo) encoding, as
 *                  {@link SigningKey#publicKeyBase64()} and {@code PublicKey.getEncoded()} give it
 * @throws KeyMaterialException the id or the key is not usable; the message names the key id
 */
public record TrustedKey(String keyId, String publicKey) {
    public TrustedKey {
        Ed25519.checkKeyId(keyId);
        Ed25519.publicKey(keyId, publicKey);
        publicKey = publicKey.strip();
    }

    public static TrustedKey of(String keyId, String publicKeyBase64) {
        return new TrustedKey(keyId, publicKeyBase64);
    }

    /** The decoded key. */
    public PublicKey toPublicKey() {
        return Ed25519.publicKey(keyId, publicKey);
    }

    @Override
    public String toString() {
        return "TrustedKey[" + MessageText.quote(keyId) + "]";
    }
}
