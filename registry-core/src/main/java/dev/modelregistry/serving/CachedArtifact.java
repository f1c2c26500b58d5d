package dev.modelregistry.serving;

import dev.modelregistry.Sha256;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * An artifact held in a {@link LocalArtifactCache}: the verified file, kept from eviction (in this
 * process and, through a shared lock, in every other process using the cache) until this is closed.
 * Closing more than once has no further effect.
 */
public final class CachedArtifact implements AutoCloseable {
    private final LocalArtifactCache cache;
    private final Sha256 sha256;
    private final Path path;
    private final long size;
    private final AtomicBoolean closed = new AtomicBoolean();

    CachedArtifact(LocalArtifactCache cache, Sha256 sha256, Path path, long size) {
        this.cache = cache;
        this.sha256 = sha256;
        this.path = path;
        this.size = size;
    }

    /** The file, named by its digest; read it, never write it. */
    public Path path() {
        return path;
    }

    public Sha256 sha256() {
        return sha256;
    }

    /** Its size in bytes. */
    public long size() {
        return size;
    }

    /** Releases the hold; the file may be evicted once nothing else holds it. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            cache.release(sha256);
        }
    }

    @Override
    public String toString() {
        return "CachedArtifact[" + path + ", " + size + " bytes]";
    }
}
