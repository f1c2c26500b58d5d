package dev.modelregistry;


/**
 * A signature of a version's manifest by the key {@code keyId}: the manifest's digest when signed,
 * and the Ed25519 signature in base64. Validity is never stored; it is decided when checked, against
 * the version as stored then and the keys trusted then.
 */
public record VersionSigned(SemVer version, String keyId, Sha256 manifest, String signature) implements RegistryEvent {
    public VersionSigned {
        if (version == null || keyId == null || manifest == null || signature == null) {
            throw new ValidationException("VersionSigned needs a version, a key id, a manifest digest and a signature");
        }
    }
}
