package dev.modelregistry.serving;

import dev.modelregistry.internal.util.DurableFiles;
import dev.modelregistry.ArtifactRef;
import dev.modelregistry.IntegrityException;
import dev.modelregistry.ModelRegistry;
import dev.modelregistry.ModelVersion;
import dev.modelregistry.Sha256;
import dev.modelregistry.StorageException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A local, content-addressed, size-bounded copy of artifacts, which several handles and several
 * processes may share.
 *
 * <h2>Layout</h2>
 * <ul>
 *   <li>{@code <dir>/sha256/ab/abcdef…}: the verified bytes whose SHA-256 is {@code abcdef…};</li>
 *   <li>{@code <dir>/locks/ab/abcdef….lock}: an empty file whose OS lock says who holds the artifact;</li>
 *   <li>{@code <dir>/tmp/*.partial}: downloads in progress.</li>
 * </ul>
 *
 * <h2>Writing</h2>
 * A download streams into a temporary file while hashing, forces it to disk, is compared with the
 * expected digest and size, and only then is renamed atomically to its final name. No reader, in
 * this process or another, ever sees a partial or unverified file under a digest; bytes that do not
 * match are refused with {@link IntegrityException} and never get a final name. Two writers of the
 * same digest rename equal bytes over each other, which is harmless. Temporary files older than a
 * day (left by a crash) are removed when a cache is opened.
 *
 * <h2>Holding and eviction</h2>
 * {@link #fetch} returns a {@link CachedArtifact} that holds the file until it is closed; a model
 * handle keeps the artifact of every model it still serves held. A hold is counted in this process
 * and is also a <em>shared</em> OS lock ({@link FileChannel#lock(long, long, boolean)}) on the
 * artifact's lock file, taken before the file is looked at. Eviction removes an artifact only when it
 * can take the <em>exclusive</em> lock on that file without waiting, so it never deletes an artifact
 * that any process holds through a cache; files used by other means (a tool reading the folder
 * directly) are not protected. OS locks are advisory, held per process, and unreliable on network
 * file systems: keep the folder on a local disk.
 *
 * <p>After every download, and on {@link #evict()}, the cache removes least-recently-used artifacts
 * that nothing holds until the complete artifacts fit in {@code maxBytes}. "Used" is the file's
 * modification time, set to the clock's time whenever the artifact is fetched, so processes sharing
 * the folder share one recency order. Held artifacts are never removed, so the folder may exceed the
 * bound while more than it is held. Lock files stay (they are empty and are reused if the artifact
 * comes back): removing one safely would need a lock of its own.
 *
 * <p>In one JVM, every cache on the same folder shares one table of holds, because OS locks belong to
 * the whole JVM; handles should nevertheless share one instance.
 */
public final class LocalArtifactCache {
    private static final Logger LOG = LoggerFactory.getLogger(LocalArtifactCache.class);
    private static final int BUFFER = 64 * 1024;
    private static final Duration STALE_PARTIAL = Duration.ofDays(1);
    /** OS file locks belong to the JVM, not to an object: holds are counted per folder, JVM-wide. */
    private static final ConcurrentMap<Path, ConcurrentMap<Sha256, Holder>> HOLDS_BY_FOLDER = new ConcurrentHashMap<>();

    private final Path root;
    private final Path objects;
    private final Path locks;
    private final Path tmp;
    private final long maxBytes;
    private final Clock clock;
    private final ConcurrentMap<Sha256, Holder> holders;
    private final ReentrantLock evictionLock = new ReentrantLock();

    private LocalArtifactCache(Path root, long maxBytes, Clock clock) {
        this.root = root;
        this.objects = root.resolve("sha256");
        this.locks = root.resolve("locks");
        this.tmp = root.resolve("tmp");
        this.maxBytes = maxBytes;
        this.clock = clock;
        this.holders = HOLDS_BY_FOLDER.computeIfAbsent(root, k -> new ConcurrentHashMap<>());
    }

    /** Opens (creating if needed) a cache in {@code dir} that keeps at most {@code maxBytes} of artifacts nothing holds. */
    public static LocalArtifactCache open(Path dir, long maxBytes) {
        return open(dir, maxBytes, Clock.systemUTC());
    }

    /** Like {@link #open(Path, long)}, with the clock that stamps each use (for eviction order). */
    public static LocalArtifactCache open(Path dir, long maxBytes, Clock clock) {
        Objects.requireNonNull(dir, "dir");
        Objects.requireNonNull(clock, "clock");
        if (maxBytes < 0) {
            throw new IllegalArgumentException("maxBytes must be >= 0, was " + maxBytes);
        }
        Path root;
        try {
            Files.createDirectories(dir);
            root = dir.toRealPath();
            Files.createDirectories(root.resolve("sha256"));
            Files.createDirectories(root.resolve("locks"));
            Files.createDirectories(root.resolve("tmp"));
        } catch (IOException e) {
            throw new StorageException("Cannot create artifact cache in " + dir + ": " + e.getMessage(), e);
        }
        LocalArtifactCache cache = new LocalArtifactCache(root, maxBytes, clock);
        cache.removeStalePartials();
        return cache;
    }

    /** The folder (its real path). */
    public Path directory() {
        return root;
    }

    public long maxBytes() {
        return maxBytes;
    }

    /**
     * Holds the artifact {@code artifactName} of {@code version}, downloading it through the registry
     * (whose stream verifies it) if it is not cached yet.
     *
     * @throws dev.modelregistry.NotFoundException the version has no such artifact
     * @throws IntegrityException                  the bytes do not match the artifact's digest or size
     * @throws StorageException                    reading the registry or writing the folder failed
     */
    public CachedArtifact fetch(ModelRegistry registry, ModelVersion version, String artifactName) {
        ArtifactRef ref = version.artifact(artifactName);
        return fetch(ref, () -> registry.openArtifact(version.model().value(), version.version(), ref.name()));
    }

    /**
     * Holds the artifact {@code ref}, reading it from {@code source} (opened at most once, and only
     * when it is not cached yet). The bytes are verified against {@code ref}'s digest and size before
     * the file gets its final name. Close the result when done with the file.
     */
    public CachedArtifact fetch(ArtifactRef ref, Supplier<InputStream> source) {
        Objects.requireNonNull(ref, "ref");
        Objects.requireNonNull(source, "source");
        Sha256 digest = ref.sha256();
        Holder holder = retain(digest);
        try {
            Path target = pathOf(digest);
            holder.download.lock();
            try {
                if (!isIntact(target, ref)) {
                    download(ref, source, target);
                }
                touch(target);
            } finally {
                holder.download.unlock();
            }
            CachedArtifact held = new CachedArtifact(this, digest, target, ref.size());
            evictIfOverBound();
            return held;
        } catch (RuntimeException | Error e) {
            release(digest);
            throw e;
        }
    }

    /** Whether the artifact with {@code digest} is in the folder now. */
    public boolean contains(Sha256 digest) {
        return Files.isRegularFile(pathOf(digest));
    }

    /** The path an artifact has once it is cached. */
    public Path pathOf(Sha256 digest) {
        String hex = digest.hex();
        return objects.resolve(hex.substring(0, 2)).resolve(hex);
    }

    /** The bytes of every complete artifact in the folder. */
    public long size() {
        return scan().stream().mapToLong(Entry::size).sum();
    }

    /** Whether this process holds the artifact with {@code digest} through any cache on this folder. */
    public boolean isHeld(Sha256 digest) {
        Holder h = holders.get(digest);
        if (h == null) {
            return false;
        }
        synchronized (h) {
            return h.count > 0;
        }
    }

    /**
     * Removes least-recently-used artifacts that no process holds until the rest fit in
     * {@link #maxBytes()}; returns how many it removed.
     */
    public int evict() {
        evictionLock.lock();
        try {
            List<Entry> entries = scan();
            long total = entries.stream().mapToLong(Entry::size).sum();
            if (total <= maxBytes) {
                return 0;
            }
            entries.sort(Comparator.comparing(Entry::lastUse).thenComparing(e -> e.digest().hex()));
            int removed = 0;
            for (Entry e : entries) {
                if (total <= maxBytes) {
                    break;
                }
                if (tryRemove(e.digest())) {
                    total -= e.size();
                    removed++;
                    LOG.debug("Evicted {} ({} bytes) from {}", e.digest(), e.size(), root);
                }
            }
            if (total > maxBytes) {
                LOG.debug("Cache {} holds {} bytes over its bound of {}: the rest is held", root, total - maxBytes, maxBytes);
            }
            return removed;
        } finally {
            evictionLock.unlock();
        }
    }

    @Override
    public String toString() {
        return "LocalArtifactCache[" + root + ", max " + maxBytes + " bytes]";
    }

    // ---------------------------------------------------------------- holds

    /** A digest's hold count in this JVM, with the shared OS lock taken while it is positive. */
    private static final class Holder {
        final ReentrantLock download = new ReentrantLock();
        int count;
        FileChannel channel;
        FileLock shared;
        /** Removed from the table; a retain that finds it must take a fresh one. */
        boolean dead;
    }

    private Holder retain(Sha256 digest) {
        while (true) {
            Holder h = holders.computeIfAbsent(digest, d -> new Holder());
            synchronized (h) {
                if (h.dead) {
                    continue;
                }
                if (h.count == 0) {
                    Path lockFile = lockFileOf(digest);
                    FileChannel channel = null;
                    try {
                        Files.createDirectories(lockFile.getParent());
                        channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
                        // Waits while another process is evicting this artifact (a short delete).
                        h.shared = channel.lock(0, Long.MAX_VALUE, true);
                        h.channel = channel;
                    } catch (IOException e) {
                        closeQuietly(channel);
                        throw new StorageException("Cannot lock " + lockFile + " in artifact cache " + root + ": " + e.getMessage(), e);
                    }
                }
                h.count++;
                return h;
            }
        }
    }

    void release(Sha256 digest) {
        Holder h = holders.get(digest);
        if (h == null) {
            return;
        }
        synchronized (h) {
            if (h.count == 0) {
                return;
            }
            if (--h.count == 0) {
                try {
                    h.shared.release();
                } catch (IOException e) {
                    LOG.debug("Cannot release lock of {}: {}", digest, e.toString());
                }
                closeQuietly(h.channel);
                h.shared = null;
                h.channel = null;
                h.dead = true;
                holders.remove(digest, h);
            }
        }
    }

    /** Deletes the artifact if no hold exists in this JVM and the exclusive OS lock can be had at once. */
    private boolean tryRemove(Sha256 digest) {
        Holder h = holders.computeIfAbsent(digest, d -> new Holder());
        synchronized (h) {
            if (h.dead || h.count > 0) {
                return false;
            }
            Path lockFile = lockFileOf(digest);
            try {
                Files.createDirectories(lockFile.getParent());
                try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                    FileLock exclusive = channel.tryLock();
                    if (exclusive == null) {
                        return false;
                    }
                    try {
                        return Files.deleteIfExists(pathOf(digest));
                    } finally {
                        exclusive.release();
                    }
                }
            } catch (OverlappingFileLockException e) {
                return false;
            } catch (IOException e) {
                LOG.warn("Cannot evict {} from artifact cache {}: {}", digest, root, e.toString());
                return false;
            } finally {
                // Idle either way; a retain that waited on this holder takes a fresh one.
                h.dead = true;
                holders.remove(digest, h);
            }
        }
    }

    // ---------------------------------------------------------------- files

    private void evictIfOverBound() {
        if (evictionLock.isHeldByCurrentThread()) {
            return;
        }
        evict();
    }

    private boolean isIntact(Path target, ArtifactRef ref) {
        try {
            if (Files.size(target) != ref.size()) {
                LOG.warn("Cached artifact {} is {} bytes, expected {}; downloading it again", target, Files.size(target), ref.size());
                return false;
            }
        } catch (NoSuchFileException e) {
            return false;
        } catch (IOException e) {
            throw new StorageException("Cannot inspect cached artifact " + target + ": " + e.getMessage(), e);
        }
        // Re-hashing on every fetch catches corruption at rest; fetches happen once per load, not per request.
        MessageDigest md = Sha256.newDigest();
        byte[] buf = new byte[BUFFER];
        try (InputStream in = Files.newInputStream(target)) {
            int n;
            while ((n = in.read(buf)) > 0) {
                md.update(buf, 0, n);
            }
        } catch (NoSuchFileException e) {
            return false;
        } catch (IOException e) {
            throw new StorageException("Cannot read cached artifact " + target + ": " + e.getMessage(), e);
        }
        Sha256 actual = Sha256.of(md.digest());
        if (!actual.equals(ref.sha256())) {
            LOG.warn("Cached artifact {} has SHA-256 {}, expected {}; downloading it again", target, actual, ref.sha256());
            return false;
        }
        return true;
    }

    private void download(ArtifactRef ref, Supplier<InputStream> source, Path target) {
        Path temp = tmp.resolve(UUID.randomUUID() + ".partial");
        try {
            MessageDigest md = Sha256.newDigest();
            long size = 0;
            try (InputStream in = source.get();
                 FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                 OutputStream out = Channels.newOutputStream(channel)) {
                byte[] buf = new byte[BUFFER];
                int n;
                while ((n = in.read(buf)) > 0) {
                    md.update(buf, 0, n);
                    out.write(buf, 0, n);
                    size += n;
                }
                out.flush();
                channel.force(true);
            }
            Sha256 actual = Sha256.of(md.digest());
            if (!actual.equals(ref.sha256()) || size != ref.size()) {
                throw new IntegrityException("Artifact " + ref.name() + " downloaded into cache " + root + " has SHA-256 "
                        + actual + " (" + size + " bytes), expected " + ref.sha256() + " (" + ref.size() + " bytes)");
            }
            Files.createDirectories(target.getParent());
            DurableFiles.moveAtomically(temp, target);
            DurableFiles.forceDirectory(target.getParent());
        } catch (IOException e) {
            throw new StorageException("Cannot cache artifact " + ref.name() + " (" + ref.sha256() + ") in " + root + ": " + e.getMessage(), e);
        } finally {
            try {
                Files.deleteIfExists(temp);
            } catch (IOException e) {
                LOG.warn("Cannot delete temporary file {}: {}", temp, e.toString());
            }
        }
    }

    private void touch(Path target) {
        try {
            Files.setLastModifiedTime(target, FileTime.from(clock.instant()));
        } catch (IOException e) {
            // Recency is advisory: failing to record it only makes eviction order less exact.
            LOG.debug("Cannot stamp use of {}: {}", target, e.toString());
        }
    }

    private record Entry(Sha256 digest, long size, FileTime lastUse) {
    }

    private List<Entry> scan() {
        List<Entry> entries = new ArrayList<>();
        try (DirectoryStream<Path> prefixes = Files.newDirectoryStream(objects)) {
            for (Path prefix : prefixes) {
                if (!Files.isDirectory(prefix)) {
                    continue;
                }
                try (DirectoryStream<Path> files = Files.newDirectoryStream(prefix)) {
                    for (Path file : files) {
                        Sha256 digest;
                        try {
                            digest = Sha256.of(file.getFileName().toString());
                        } catch (RuntimeException notAnArtifact) {
                            continue;
                        }
                        try {
                            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
                            if (a.isRegularFile()) {
                                entries.add(new Entry(digest, a.size(), a.lastModifiedTime()));
                            }
                        } catch (NoSuchFileException gone) {
                            // Evicted by another process while listing.
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new StorageException("Cannot list artifact cache " + root + ": " + e.getMessage(), e);
        }
        return entries;
    }

    private Path lockFileOf(Sha256 digest) {
        String hex = digest.hex();
        return locks.resolve(hex.substring(0, 2)).resolve(hex + ".lock");
    }

    private void removeStalePartials() {
        Instant cutoff = clock.instant().minus(STALE_PARTIAL);
        try (DirectoryStream<Path> partials = Files.newDirectoryStream(tmp, "*.partial")) {
            for (Path p : partials) {
                try {
                    if (Files.getLastModifiedTime(p).toInstant().isBefore(cutoff)) {
                        Files.deleteIfExists(p);
                    }
                } catch (IOException e) {
                    LOG.debug("Cannot remove stale partial download {}: {}", p, e.toString());
                }
            }
        } catch (IOException e) {
            LOG.warn("Cannot list {} for stale partial downloads: {}", tmp, e.toString());
        }
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                LOG.debug("Cannot close lock channel: {}", e.toString());
            }
        }
    }
}
