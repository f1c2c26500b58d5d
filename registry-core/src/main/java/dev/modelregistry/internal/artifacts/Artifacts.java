package dev.modelregistry.internal.artifacts;

import dev.modelregistry.ArtifactRef;
import dev.modelregistry.IntegrityException;
import dev.modelregistry.ModelVersion;
import dev.modelregistry.Names;
import dev.modelregistry.NotFoundException;
import dev.modelregistry.Registration;
import dev.modelregistry.StorageException;
import dev.modelregistry.internal.util.DurableFiles;
import dev.modelregistry.ArtifactStore;
import dev.modelregistry.spi.DigestVerifyingInputStream;
import dev.modelregistry.StoredArtifact;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Artifact bytes in and out of the store, with the checks every backend would otherwise have to
 * repeat applied once, here: content declared with a digest is stored only if it matches, every
 * read is verified against the digest and size the version records, and downloads appear whole or
 * not at all.
 */
public final class Artifacts {
    private final ArtifactStore store;

    public Artifacts(ArtifactStore store) {
        this.store = store;
    }

    /** Stores the artifacts of a registration (or checks the ones it refers to) and returns their references. */
    public List<ArtifactRef> store(Registration r) {
        List<ArtifactRef> refs = new ArrayList<>();
        for (Registration.ArtifactSource source : r.artifacts()) {
            StoredArtifact stored;
            if (source.existing() != null) {
                ArtifactRef existing = source.existing();
                stored = store.find(existing.sha256()).orElseThrow(() -> new NotFoundException(
                        "Artifact " + Names.quote(existing.name()) + " refers to SHA-256 " + existing.sha256()
                                + ", which is not in the artifact store"));
                if (stored.size() != existing.size()) {
                    throw new IntegrityException("Artifact " + Names.quote(existing.name()) + " claims " + existing.size()
                            + " bytes but the stored content with its digest has " + stored.size());
                }
            } else {
                String what = "Artifact " + Names.quote(source.name());
                try (InputStream in = source.content().open()) {
                    stored = store.put(source.expectedDigest()
                            .<InputStream>map(d -> new DigestVerifyingInputStream(in, d, -1, what))
                            .orElse(in));
                } catch (IntegrityException e) {
                    throw e.getMessage().startsWith(what) ? e : new IntegrityException(what + ": " + e.getMessage());
                } catch (StorageException e) {
                    // The store cannot know which artifact of the registration it was writing; say it here.
                    throw new StorageException("Cannot store artifact " + Names.quote(source.name()) + ": " + e.getMessage(), e);
                } catch (IOException e) {
                    throw new StorageException("Cannot read artifact " + Names.quote(source.name()) + ": " + e.getMessage(), e);
                }
            }
            refs.add(new ArtifactRef(source.name(), stored.uri(), stored.sha256(), stored.size(), source.mediaType()));
        }
        return refs;
    }

    /** The bytes of one artifact of {@code v}, verified against its recorded digest and size as they are read. */
    public InputStream open(ModelVersion v, String artifactName) {
        ArtifactRef ref = v.artifact(artifactName);
        return new DigestVerifyingInputStream(store.open(ref.sha256()), ref.sha256(), ref.size(),
                "Artifact " + Names.quote(ref.name()) + " of " + v.model() + "@" + v.version());
    }

    /** Copies one artifact of {@code v} to {@code target}, which appears only once complete and verified. */
    public Path download(ModelVersion v, String artifactName, Path target) {
        Objects.requireNonNull(target, "target");
        Path dir = target.toAbsolutePath().getParent();
        Path temp = null;
        try (InputStream in = open(v, artifactName)) {
            Files.createDirectories(dir);
            temp = Files.createTempFile(dir, "." + target.getFileName(), ".partial");
            try (OutputStream out = Files.newOutputStream(temp)) {
                in.transferTo(out);
            }
            DurableFiles.moveAtomically(temp, target);
            temp = null;
            return target;
        } catch (IOException e) {
            throw new StorageException("Cannot download " + artifactName + " of " + v.model() + "@" + v.version() + " to "
                    + target + ": " + e.getMessage(), e);
        } finally {
            if (temp != null) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException ignored) {
                    // The partial file has a dot-name and a .partial suffix; nothing reads it.
                }
            }
        }
    }

    /** Reads one artifact through, checking digest and size; the problem found, or "". */
    public String check(ArtifactRef ref) {
        long size = 0;
        byte[] buf = new byte[64 * 1024];
        try (InputStream in = new DigestVerifyingInputStream(store.open(ref.sha256()), ref.sha256(), -1, "Artifact " + ref.sha256())) {
            int n;
            while ((n = in.read(buf)) >= 0) {
                size += n;
            }
        } catch (IntegrityException e) {
            return "the stored bytes were altered: " + e.getMessage();
        } catch (NotFoundException e) {
            return "the stored bytes are missing: " + e.getMessage();
        } catch (IOException | StorageException e) {
            return "the stored bytes cannot be read: " + e.getMessage();
        }
        return size == ref.size() ? "" : "the stored bytes are " + size + " bytes long, the version records " + ref.size();
    }
}
