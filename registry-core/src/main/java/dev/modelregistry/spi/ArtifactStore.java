package dev.modelregistry.spi;

import dev.modelregistry.IntegrityException;
import dev.modelregistry.NotFoundException;
import dev.modelregistry.Sha256;
import java.io.InputStream;
import java.util.Optional;

/**
 * Content-addressed, write-once storage for artifact bytes. Content is streamed in both directions
 * and never held whole in memory by the contract; its SHA-256 is computed while it is written and
 * checked again on every read.
 */
public interface ArtifactStore extends AutoCloseable {

    /**
     * Stores everything {@code content} yields (the caller closes it) and returns its digest. Storing
     * content that is already present changes nothing. When {@code expected} is given and the bytes do
     * not match it, nothing is stored and {@link IntegrityException} is thrown. No reader ever sees a
     * partly written artifact under its digest.
     */
    StoredArtifact put(InputStream content, Optional<Sha256> expected);

    /**
     * Streams the content stored under {@code digest}. The stream recomputes the digest as it is read
     * and throws {@link IntegrityException} at the end when the bytes do not match.
     *
     * @throws NotFoundException when nothing is stored under that digest
     */
    InputStream open(Sha256 digest);

    /** What is stored under {@code digest}, if anything. */
    Optional<StoredArtifact> find(Sha256 digest);

    @Override
    default void close() {
    }
}
