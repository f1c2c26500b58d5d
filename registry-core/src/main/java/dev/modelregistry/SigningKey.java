package dev.modelregistry;

import dev.modelregistry.internal.util.MessageText;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.Base64;

/**
 * An Ed25519 key pair that signs version manifests, under an id that trust policies refer to. The
 * registry never stores the private key: it signs with it and records the signature.
 *
 * <pre>{@code
 * SigningKey key = SigningKey.generate("release-2026");
 * vault.store(key.keyId(), key.privateKeyBase64(), key.publicKeyBase64());  // keep the private half secret
 * SigningKey loaded = SigningKey.of("release-2026", privateBase64, publicBase64);
 * TrustedKey trusted = loaded.trustedKey();                                // what a trust policy lists
 * }</pre>
 */
public final class SigningKey {
    private static final byte[] PROBE = "modelregistry key-pair probe".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private final String keyId;
    private final PrivateKey privateKey;
    private final PublicKey publicKey;

    private SigningKey(String keyId, PrivateKey privateKey, PublicKey publicKey) {
        this.keyId = keyId;
        this.privateKey = privateKey;
        this.publicKey = publicKey;
    }

    /** A new random key pair from the JDK's {@code KeyPairGenerator.getInstance("Ed25519")}. */
    public static SigningKey generate(String keyId) {
        Ed25519.checkKeyId(keyId);
        try {
            KeyPair pair = KeyPairGenerator.getInstance(Ed25519.ALGORITHM).generateKeyPair();
            return new SigningKey(keyId, pair.getPrivate(), pair.getPublic());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 is required of every Java 15+ platform", e);
        }
    }

    /**
     * Loads a key pair from base64 of its PKCS#8 private key and X.509 public key, and checks that
     * they belong together (a signature by one verifies with the other).
     *
     * @throws KeyMaterialException either half is not an Ed25519 key, or they are not one pair
     */
    public static SigningKey of(String keyId, String privateKeyPkcs8Base64, String publicKeyX509Base64) {
        Ed25519.checkKeyId(keyId);
        PrivateKey priv = Ed25519.privateKey(keyId, privateKeyPkcs8Base64);
        PublicKey pub = Ed25519.publicKey(keyId, publicKeyX509Base64);
        if (!Ed25519.verify(pub, PROBE, Ed25519.sign(priv, PROBE))) {
            throw new KeyMaterialException(keyId, "The private and public key of " + MessageText.quote(keyId)
                    + " do not belong to one key pair");
        }
        return new SigningKey(keyId, priv, pub);
    }

    public String keyId() {
        return keyId;
    }

    /** Base64 of the PKCS#8 private key: a secret, for the key store that keeps it. */
    public String privateKeyBase64() {
        return Base64.getEncoder().encodeToString(privateKey.getEncoded());
    }

    /** Base64 of the X.509 public key: what a {@link TrustedKey} holds. */
    public String publicKeyBase64() {
        return Base64.getEncoder().encodeToString(publicKey.getEncoded());
    }

    /** The public half, to list in a {@link TrustPolicy}. */
    public TrustedKey trustedKey() {
        return new TrustedKey(keyId, publicKeyBase64());
    }

    /** The Ed25519 signature of the manifest's canonical bytes. */
    public byte[] sign(VersionManifest manifest) {
        return Ed25519.sign(privateKey, manifest.bytes());
    }

    @Override
    public String toString() {
        return "SigningKey[" + MessageText.quote(keyId) + "]";
    }
}
