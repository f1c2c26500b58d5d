package dev.modelregistry;

import java.net.URI;

/** What an {@link ArtifactStore} holds under a digest: the content's SHA-256, its size and where it is. */
public record StoredArtifact(Sha256 sha256, long size, URI uri) {
    public StoredArtifact {
        if (sha256 == null || uri == null || size < 0) {
            throw new ValidationException("Stored artifact needs a digest, a URI and a size >= 0");
        }
    }
}
