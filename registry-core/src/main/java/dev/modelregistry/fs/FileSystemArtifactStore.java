package dev.modelregistry.fs;

import dev.modelregistry.internal.util.DurableFiles;

import dev.modelregistry.NotFoundException;
import dev.modelregistry.Sha256;
import dev.modelregistry.StorageException;
import dev.modelregistry.ArtifactStore;
import dev.modelregistry.StoredArtifact;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Content-addressed artifacts in a local folder: {@code root/sha256/ab/abcdef…} holds the bytes whose
 * SHA-256 is {@code abcdef…}.
 *
 * <p>A write streams into a temporary file under {@code root/tmp} while hashing, forces it to disk,
 * and only then renames it atomically to its final name (and forces the directory), so a crash at
 * any point leaves either no artifact or the whole artifact under its digest, never part of one.
 * Several processes may share the folder: two writers of the same content race to a rename of equal
 * bytes, which is harmless.
 */
public final class FileSystemArtifactStore implements ArtifactStore {
    private static final Logger LOG = LoggerFactory.getLogger(FileSystemArtifactStore.class);
    private static final int BUFFER = 64 * 1024;

    private final Path root;
    private final Path objects;
    private final Path tmp;

    private FileSystemArtifactStore(Path root) {
        this.root = root.toAbsolutePath().normalize();
        this.objects = this.root.resolve("sha256");
        this.tmp = this.root.resolve("tmp");
    }

    /** Opens (creating if needed) the store in {@code root}. */
    public static FileSystemArtifactStore open(Path root) {
        FileSystemArtifactStore store = new FileSystemArtifactStore(root);
        try {
            Files.createDirectories(store.objects);
            Files.createDirectories(store.tmp);
        } catch (IOException e) {
            throw new StorageException("Cannot create artifact store in " + store.root + ": " + e.getMessage(), e);
        }
        return store;
    }

    public Path root() {
        return root;
    }

    @Override
    public StoredArtifact put(InputStream content) {
        Path temp = tmp.resolve(UUID.randomUUID() + ".partial");
        try {
            MessageDigest md = Sha256.newDigest();
            long size = 0;
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                 OutputStream out = Channels.newOutputStream(channel)) {
                byte[] buf = new byte[BUFFER];
                int n;
                while ((n = content.read(buf)) > 0) {
                    md.update(buf, 0, n);
                    out.write(buf, 0, n);
                    size += n;
                }
                out.flush();
                channel.force(true);
            }
            Sha256 digest = Sha256.of(md.digest());
            Path target = pathOf(digest);
            if (!Files.exists(target)) {
                Files.createDirectories(target.getParent());
                moveIntoPlace(temp, target);
                DurableFiles.forceDirectory(target.getParent());
            }
            return new StoredArtifact(digest, size, target.toUri());
        } catch (IOException e) {
            throw new StorageException("Cannot store artifact in " + root + ": " + e.getMessage(), e);
        } finally {
            deleteQuietly(temp);
        }
    }

    @Override
    public InputStream open(Sha256 digest) {
        Path path = pathOf(digest);
        try {
            return Files.newInputStream(path);
        } catch (NoSuchFileException e) {
            throw new NotFoundException("No artifact with SHA-256 " + digest + " in " + root);
        } catch (IOException e) {
            throw new StorageException("Cannot open artifact " + digest + ": " + e.getMessage(), e);
        }
    }

    @Override
    public Optional<StoredArtifact> find(Sha256 digest) {
        Path path = pathOf(digest);
        try {
            return Optional.of(new StoredArtifact(digest, Files.size(path), path.toUri()));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new StorageException("Cannot inspect artifact " + digest + ": " + e.getMessage(), e);
        }
    }

    /** The path of the content with {@code digest}; it exists only once that content is stored. */
    public Path pathOf(Sha256 digest) {
        String hex = digest.hex();
        return objects.resolve(hex.substring(0, 2)).resolve(hex);
    }

    private static void moveIntoPlace(Path temp, Path target) throws IOException {
        try {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (FileAlreadyExistsException e) {
            // Another writer stored the same content first; equal digests mean equal bytes.
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("The file system of " + target + " cannot rename atomically; "
                    + "an artifact store needs one that can", e);
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            LOG.warn("Cannot delete temporary file {}: {}", p, e.toString());
        }
    }
}
