package dev.modelregistry;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * What a signature vouches for: the whole immutable record of one version — metadata, the SHA-256
 * and size of every artifact, and its lineage (training run, code, datasets, parents) — in the
 * canonical JSON the log hashes ({@link EventCodec#canonicalJson}), prefixed with a format name so a
 * signature over a manifest can never be read as a signature over anything else.
 *
 * <p>The manifest is always recomputed from the stored version, never stored itself: a version
 * whose record was altered after signing has another manifest, and its signatures no longer verify.
 */
public final class VersionManifest {
    /** Names the byte form; a later form gets a new name, and old signatures keep their meaning. */
    public static final String FORMAT = "dev.modelregistry.manifest/1";

    private final ModelName model;
    private final SemVer version;
    private final byte[] bytes;
    private final Sha256 digest;

    private VersionManifest(ModelName model, SemVer version, byte[] bytes) {
        this.model = model;
        this.version = version;
        this.bytes = bytes;
        this.digest = Sha256.digest(bytes);
    }

    /** The manifest of {@code version}. */
    public static VersionManifest of(ModelVersion version) {
        java.util.Objects.requireNonNull(version, "version");
        return new VersionManifest(version.model(), version.version(),
                EventCodec.canonicalJson(Map.of("format", FORMAT, "version", version)));
    }

    public ModelName model() {
        return model;
    }

    public SemVer version() {
        return version;
    }

    /** The signed bytes (a copy). */
    public byte[] bytes() {
        return bytes.clone();
    }

    /** The bytes as text (UTF-8 JSON), for people and external signing tools. */
    public String json() {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** The SHA-256 of {@link #bytes()}, recorded with each signature. */
    public Sha256 digest() {
        return digest;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof VersionManifest m && m.digest.equals(digest);
    }

    @Override
    public int hashCode() {
        return digest.hashCode();
    }

    @Override
    public String toString() {
        return "VersionManifest[" + model + "@" + version + ", sha256 " + digest + "]";
    }
}
