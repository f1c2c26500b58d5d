package dev.modelregistry;

import java.time.Instant;

/**
 * One recorded signature of a version: the key that made it, the digest of the manifest it signed,
 * the Ed25519 signature (base64), and who recorded it when (the log entry's principal and time).
 * Whether it is valid is decided by a {@link TrustPolicy} against the version as stored now.
 */
public record VersionSignature(String keyId, Sha256 manifestDigest, String signature, String signedBy, Instant signedAt, long sequence) {
    public VersionSignature {
        if (keyId == null || manifestDigest == null || signature == null) {
            throw new dev.modelregistry.ValidationException("A version signature needs a key id, a manifest digest and a signature");
        }
    }
}
