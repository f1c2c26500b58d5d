package dev.modelregistry;

import java.net.URI;

/**
 * A file that belongs to a model version, stored in the registry's content-addressed artifact
 * store: its name within the version (e.g. {@code model.onnx}), where the store keeps it, its
 * SHA-256, size in bytes and media type. Reading it back always verifies the digest.
 */
public record ArtifactRef(String name, URI uri, Sha256 sha256, long size, String mediaType) {
    public static final String DEFAULT_MEDIA_TYPE = "application/octet-stream";

    public ArtifactRef {
        Names.check("artifact name", name);
        if (uri == null) {
            throw new ValidationException("Artifact " + Names.quote(name) + " has no URI");
        }
        if (sha256 == null) {
            throw new ValidationException("Artifact " + Names.quote(name) + " has no SHA-256");
        }
        if (size < 0) {
            throw new ValidationException("Artifact " + Names.quote(name) + " has negative size " + size);
        }
        mediaType = mediaType == null || mediaType.isBlank() ? DEFAULT_MEDIA_TYPE : mediaType;
        Names.checkText("media type", mediaType, 255);
    }
}
