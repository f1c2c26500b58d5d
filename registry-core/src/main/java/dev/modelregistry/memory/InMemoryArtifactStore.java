package dev.modelregistry.memory;

import dev.modelregistry.NotFoundException;
import dev.modelregistry.Sha256;
import dev.modelregistry.StorageException;
import dev.modelregistry.ArtifactStore;
import dev.modelregistry.StoredArtifact;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/** Artifact bytes in memory, keyed by their SHA-256: for tests and small artifacts only. */
public final class InMemoryArtifactStore implements ArtifactStore {
    private final ConcurrentMap<Sha256, byte[]> blobs = new ConcurrentHashMap<>();

    @Override
    public StoredArtifact put(InputStream content) {
        byte[] bytes;
        try {
            bytes = content.readAllBytes();
        } catch (IOException e) {
            throw new StorageException("Cannot read artifact content: " + e.getMessage(), e);
        }
        Sha256 digest = Sha256.digest(bytes);
        blobs.putIfAbsent(digest, bytes);
        return stored(digest, bytes.length);
    }

    @Override
    public InputStream open(Sha256 digest) {
        byte[] bytes = blobs.get(digest);
        if (bytes == null) {
            throw new NotFoundException("No artifact with SHA-256 " + digest);
        }
        return new ByteArrayInputStream(bytes);
    }

    @Override
    public Optional<StoredArtifact> find(Sha256 digest) {
        byte[] bytes = blobs.get(digest);
        return bytes == null ? Optional.empty() : Optional.of(stored(digest, bytes.length));
    }

    private static StoredArtifact stored(Sha256 digest, long size) {
        return new StoredArtifact(digest, size, URI.create("memory:sha256/" + digest));
    }
}
