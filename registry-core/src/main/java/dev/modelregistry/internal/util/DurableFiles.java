package dev.modelregistry.internal.util;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The two steps every "write a temporary file, then publish it" path in the registry shares: an
 * atomic rename over the final name, and forcing the directory so the rename itself survives a
 * crash. One place, so every file the registry writes is published the same way.
 */
public final class DurableFiles {
    private static final Logger LOG = LoggerFactory.getLogger(DurableFiles.class);

    private DurableFiles() {
    }

    /**
     * Renames {@code source} to {@code target} atomically, replacing it; readers see the old file or
     * the new one, never a part. Fails with an {@link IOException} on a file system that cannot.
     */
    public static void moveAtomically(Path source, Path target) throws IOException {
        try {
            Files.move(source, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("The file system of " + target + " cannot rename atomically", e);
        }
    }

    /**
     * Makes a rename in {@code dir} durable. Not every platform can open a directory (the JDK throws
     * UnsupportedOperationException or an IOException there); the rename is then as durable as the
     * file system makes it, which is logged, not an error.
     */
    public static void forceDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            LOG.debug("Cannot force directory {}: {}", dir, e.toString());
        }
    }
}
