package dev.modelregistry;

import java.io.InputStream;
import java.util.Optional;

/**
 * Content-addressed, write-once storage for artifact bytes. Content is streamed in both directions
 * and never held whole in memory by the contract; its SHA-256 is computed while it is written (it is
 * the key), and the core checks it again on every read.
 */
public interface ArtifactStore extends AutoCloseable {

    /**
     * Stores everything {@code content} yields (the caller closes it) and returns its digest. Storing
     * content that is already present changes nothing. When reading {@code content} throws (an
     * {@link java.io.IOException}, or an {@link IntegrityException} from the core's check of an
     * expected digest at the end of the stream), nothing is stored and the exception propagates. No
     * reader ever sees a partly written artifact under its digest.
     */
    StoredArtifact put(InputStream content);

    /**
     * Streams the content stored under {@code digest}, as stored. The core checks digest and size as
     * it reads (through a {@link dev.modelregistry.spi.DigestVerifyingInputStream}), once, for every backend.
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
