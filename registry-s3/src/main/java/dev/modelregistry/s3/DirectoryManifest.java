package dev.modelregistry.s3;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.modelregistry.IntegrityException;
import dev.modelregistry.Sha256;
import dev.modelregistry.StorageException;
import dev.modelregistry.ValidationException;
import dev.modelregistry.ArtifactStore;
import dev.modelregistry.spi.DigestVerifyingInputStream;
import dev.modelregistry.StoredArtifact;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A directory of files stored in a content-addressed {@link ArtifactStore}: each file under its own
 * digest, plus a manifest
 * {@code {"files":[{"path":"a/b.bin","sha256":"…","size":12},…],"format":"dev.modelregistry.directory/1"}}
 * (paths relative with {@code /} separators, sorted) stored under its digest. Nothing here depends on
 * S3; it works over any artifact store.
 */
final class DirectoryManifest {
    static final String FORMAT = "dev.modelregistry.directory/1";
    /** A manifest is read into memory, so its size is bounded (about 100k files). */
    static final int MAX_MANIFEST_BYTES = 16 * 1024 * 1024;
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Logger LOG = LoggerFactory.getLogger(DirectoryManifest.class);

    record Entry(String path, Sha256 sha256, long size) {
    }

    private DirectoryManifest() {
    }

    static StoredArtifact store(ArtifactStore store, Path dir) {
        Path root = dir.toAbsolutePath().normalize();
        if (!Files.isDirectory(root, LinkOption.NOFOLLOW_LINKS)) {
            throw new ValidationException("Cannot store directory " + dir + ": not a directory");
        }
        List<Path> files = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                if (Files.isSymbolicLink(p)) {
                    throw new ValidationException("Cannot store directory " + dir + ": " + root.relativize(p) + " is a symbolic link");
                }
                if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                    files.add(p);
                }
            }
        } catch (IOException e) {
            throw new StorageException("Cannot list directory " + dir + ": " + e.getMessage(), e);
        }
        List<Entry> entries = new ArrayList<>();
        for (Path file : files) {
            String relative = toManifestPath(root.relativize(file));
            try (InputStream in = Files.newInputStream(file)) {
                StoredArtifact stored = store.put(in);
                entries.add(new Entry(relative, stored.sha256(), stored.size()));
            } catch (IOException e) {
                throw new StorageException("Cannot read " + file + ": " + e.getMessage(), e);
            }
        }
        entries.sort(Comparator.comparing(Entry::path));
        return store.put(new ByteArrayInputStream(encode(entries)));
    }

    static void restore(ArtifactStore store, Sha256 manifestDigest, Path target) {
        Path dest = target.toAbsolutePath().normalize();
        List<Entry> entries = read(store, manifestDigest);
        requireEmptyOrAbsent(dest);
        Path staging = dest.resolveSibling("." + dest.getFileName() + "." + UUID.randomUUID() + ".partial");
        try {
            Files.createDirectories(staging);
            for (Entry e : entries) {
                Path file = staging.resolve(e.path()).normalize();
                Files.createDirectories(file.getParent());
                long written;
                try (InputStream in = new DigestVerifyingInputStream(store.open(e.sha256()), e.sha256(), e.size(),
                        "File " + e.path() + " of directory " + manifestDigest);
                     OutputStream out = Files.newOutputStream(file)) {
                    written = in.transferTo(out);
                }
                if (written != e.size()) {
                    throw new IntegrityException("File " + e.path() + " of directory " + manifestDigest + " has " + written
                            + " bytes, the manifest says " + e.size());
                }
            }
            Files.deleteIfExists(dest);
            Files.move(staging, dest, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new StorageException("Cannot restore directory " + manifestDigest + " into " + target + ": " + e.getMessage(), e);
        } finally {
            deleteTree(staging);
        }
    }

    static List<Entry> read(ArtifactStore store, Sha256 manifestDigest) {
        byte[] bytes;
        try (InputStream in = new DigestVerifyingInputStream(store.open(manifestDigest), manifestDigest, -1,
                "Directory manifest " + manifestDigest)) {
            bytes = in.readNBytes(MAX_MANIFEST_BYTES + 1);
            if (bytes.length <= MAX_MANIFEST_BYTES) {
                in.transferTo(java.io.OutputStream.nullOutputStream()); // to the end, where the digest is checked
            }
        } catch (IOException e) {
            throw new StorageException("Cannot read directory manifest " + manifestDigest + ": " + e.getMessage(), e);
        }
        if (bytes.length > MAX_MANIFEST_BYTES) {
            throw new ValidationException("Directory manifest " + manifestDigest + " exceeds " + MAX_MANIFEST_BYTES + " bytes");
        }
        return decode(manifestDigest, bytes);
    }

    static byte[] encode(List<Entry> entries) {
        ObjectNode root = MAPPER.createObjectNode();
        ArrayNode files = root.putArray("files");
        for (Entry e : entries) {
            files.addObject().put("path", e.path()).put("sha256", e.sha256().hex()).put("size", e.size());
        }
        root.put("format", FORMAT);
        try {
            return MAPPER.writeValueAsBytes(root);
        } catch (IOException e) {
            throw new StorageException("Cannot write directory manifest: " + e.getMessage(), e);
        }
    }

    static List<Entry> decode(Sha256 digest, byte[] bytes) {
        JsonNode root;
        try {
            root = MAPPER.readTree(bytes);
        } catch (IOException e) {
            throw new IntegrityException("Artifact " + digest + " is not a directory manifest: " + e.getMessage());
        }
        if (root == null || !FORMAT.equals(root.path("format").asText()) || !root.path("files").isArray()) {
            throw new IntegrityException("Artifact " + digest + " is not a directory manifest of format " + FORMAT);
        }
        List<Entry> entries = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (JsonNode f : root.path("files")) {
            String path = f.path("path").asText("");
            checkManifestPath(digest, path);
            if (!seen.add(path)) {
                throw new IntegrityException("Directory manifest " + digest + " lists " + path + " twice");
            }
            long size = f.path("size").asLong(-1);
            if (size < 0 || !f.path("sha256").isTextual()) {
                throw new IntegrityException("Directory manifest " + digest + " has no digest or size for " + path);
            }
            entries.add(new Entry(path, Sha256.of(f.path("sha256").asText()), size));
        }
        return entries;
    }

    private static String toManifestPath(Path relative) {
        List<String> parts = new ArrayList<>();
        for (Path part : relative) {
            parts.add(part.toString());
        }
        return String.join("/", parts);
    }

    /** Refuses any path that could land outside the target: absolute, with {@code ..}, {@code .}, empty segments or backslashes. */
    private static void checkManifestPath(Sha256 digest, String path) {
        boolean bad = path.isEmpty() || path.startsWith("/") || path.contains("\\") || path.indexOf('\0') >= 0 || path.contains(":");
        if (!bad) {
            for (String segment : path.split("/", -1)) {
                if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                    bad = true;
                }
            }
        }
        if (bad) {
            throw new IntegrityException("Directory manifest " + digest + " has unsafe path \"" + path + "\"");
        }
    }

    private static void requireEmptyOrAbsent(Path dest) {
        if (!Files.exists(dest, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        if (!Files.isDirectory(dest, LinkOption.NOFOLLOW_LINKS)) {
            throw new ValidationException("Cannot restore a directory into " + dest + ": it exists and is not a directory");
        }
        try (DirectoryStream<Path> children = Files.newDirectoryStream(dest)) {
            if (children.iterator().hasNext()) {
                throw new ValidationException("Cannot restore a directory into " + dest + ": it is not empty");
            }
        } catch (IOException e) {
            throw new StorageException("Cannot inspect " + dest + ": " + e.getMessage(), e);
        }
    }

    private static void deleteTree(Path root) {
        if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            // Only a failed restore leaves it; its dot-name and .partial suffix mark it as debris.
            LOG.warn("Cannot remove partial directory {}: {}", root, e.toString());
        }
    }
}
