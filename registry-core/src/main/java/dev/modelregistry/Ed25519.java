package dev.modelregistry;

import dev.modelregistry.internal.util.MessageText;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;

/** The JDK's own Ed25519 (RFC 8032), and the checks every key goes through; nothing else signs. */
final class Ed25519 {
    static final String ALGORITHM = "Ed25519";
    private static final String KEY_ID = "[A-Za-z0-9][A-Za-z0-9._:-]{0,127}";

    private Ed25519() {
    }

    static String checkKeyId(String keyId) {
        if (keyId == null || !keyId.matches(KEY_ID)) {
            throw new KeyMaterialException(keyId, "Invalid key id " + MessageText.quote(keyId)
                    + ": expected 1-128 characters from letters, digits, '.', '_', ':', '-', starting with a letter or digit");
        }
        return keyId;
    }

    static PublicKey publicKey(String keyId, String x509Base64) {
        byte[] der = decode(keyId, "public key", x509Base64);
        try {
            return KeyFactory.getInstance(ALGORITHM).generatePublic(new X509EncodedKeySpec(der));
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new KeyMaterialException(keyId, "Public key of " + MessageText.quote(keyId)
                    + " is not an Ed25519 key in X.509 (SubjectPublicKeyInfo) encoding: " + e.getMessage(), e);
        }
    }

    static PrivateKey privateKey(String keyId, String pkcs8Base64) {
        byte[] der = decode(keyId, "private key", pkcs8Base64);
        try {
            return KeyFactory.getInstance(ALGORITHM).generatePrivate(new PKCS8EncodedKeySpec(der));
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new KeyMaterialException(keyId, "Private key of " + MessageText.quote(keyId)
                    + " is not an Ed25519 key in PKCS#8 encoding: " + e.getMessage(), e);
        }
    }

    private static byte[] decode(String keyId, String what, String base64) {
        if (base64 == null || base64.isBlank()) {
            throw new KeyMaterialException(keyId, "Key " + MessageText.quote(keyId) + " has no " + what);
        }
        try {
            return Base64.getDecoder().decode(base64.strip());
        } catch (IllegalArgumentException e) {
            throw new KeyMaterialException(keyId, "The " + what + " of " + MessageText.quote(keyId) + " is not base64: " + e.getMessage(), e);
        }
    }

    static byte[] sign(PrivateKey key, byte[] message) {
        try {
            Signature s = Signature.getInstance(ALGORITHM);
            s.initSign(key);
            s.update(message);
            return s.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 signing failed; every Java 15+ platform provides it", e);
        }
    }

    /** True when {@code signature} is a valid Ed25519 signature of {@code message} by {@code key}; false for any malformed input. */
    static boolean verify(PublicKey key, byte[] message, byte[] signature) {
        try {
            Signature s = Signature.getInstance(ALGORITHM);
            s.initVerify(key);
            s.update(message);
            return s.verify(signature);
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }
}
