package dev.modelregistry;

import java.time.Instant;

/**
 * A dataset, ideally at one exact version: where it lives, which version of it, and optionally the
 * SHA-256 of its content and the query that selects it. The version is written with a prefix that
 * says what kind it is, so references from different tools compare and render the same way:
 *
 * <ul>
 *   <li>{@code git:3f2c1e0…} — a git commit of the data (or its pointer file);</li>
 *   <li>{@code dvc:9ad8…} — a DVC content hash;</li>
 *   <li>{@code delta:42} — a Delta Lake table version;</li>
 *   <li>{@code iceberg:4810374591} — an Iceberg snapshot id;</li>
 *   <li>{@code asof:2024-05-01T00:00:00Z} with {@code query} — a query read as of a time.</li>
 * </ul>
 *
 * A reference with an empty version is <em>inexact</em> ("the latest data at that URI"): allowed,
 * unless the registry requires exact data lineage, and never allowed for an evaluation set.
 *
 * @param uri         where the data lives
 * @param version     the exact version, or empty when not known
 * @param contentHash SHA-256 of the content, or empty
 * @param query       the query that selects the data (for {@code asof:} versions), or empty
 */
public record DatasetRef(String uri, String version, String contentHash, String query) {
    public DatasetRef {
        if (uri == null || uri.isBlank()) {
            throw new ValidationException("A dataset reference needs a URI, got " + Names.quote(uri));
        }
        Names.checkText("dataset URI", uri, 2048);
        if (uri.contains("\n") || uri.contains("@")) {
            throw new ValidationException("Invalid dataset URI " + Names.quote(uri) + ": must be one line without '@'");
        }
        version = Names.checkText("dataset version", version == null ? "" : version.strip(), 512);
        if (version.contains("\n") || version.contains("@")) {
            throw new ValidationException("Invalid dataset version " + Names.quote(version) + ": must be one line without '@'");
        }
        contentHash = contentHash == null ? "" : contentHash;
        if (!contentHash.isEmpty()) {
            contentHash = Sha256.of(contentHash).hex();
        }
        query = Names.checkText("dataset query", query, 16 * 1024);
    }

    /** A dataset at a free-form exact version. */
    public static DatasetRef of(String uri, String version) {
        if (version == null || version.isBlank()) {
            throw new ValidationException("Dataset " + Names.quote(uri) + " needs an exact version; use unversioned(uri) for an inexact reference");
        }
        return new DatasetRef(uri, version, "", "");
    }

    public static DatasetRef gitCommit(String uri, String commit) {
        return of(uri, "git:" + commit);
    }

    public static DatasetRef dvc(String uri, String md5) {
        return of(uri, "dvc:" + md5);
    }

    public static DatasetRef deltaVersion(String uri, long tableVersion) {
        return of(uri, "delta:" + tableVersion);
    }

    public static DatasetRef icebergSnapshot(String uri, long snapshotId) {
        return of(uri, "iceberg:" + snapshotId);
    }

    /** The rows {@code query} selects from {@code uri} as of {@code asOf}. */
    public static DatasetRef queryAsOf(String uri, String query, Instant asOf) {
        if (query == null || query.isBlank()) {
            throw new ValidationException("A query-as-of reference to " + Names.quote(uri) + " needs the query");
        }
        return new DatasetRef(uri, "asof:" + asOf, "", query);
    }

    /** The latest data at {@code uri}, at no particular version. */
    public static DatasetRef unversioned(String uri) {
        return new DatasetRef(uri, "", "", "");
    }

    /** The same reference with the SHA-256 of its content. */
    public DatasetRef withContentHash(Sha256 hash) {
        return new DatasetRef(uri, version, hash.hex(), query);
    }

    /** Parses {@code uri@version} as written by {@link #id()}. */
    public static DatasetRef parse(String id) {
        int at = id == null ? -1 : id.lastIndexOf('@');
        if (at <= 0 || at == id.length() - 1) {
            throw new ValidationException("Invalid dataset reference " + Names.quote(id) + ": expected uri@version");
        }
        return of(id.substring(0, at), id.substring(at + 1));
    }

    public boolean isExact() {
        return !version.isEmpty();
    }

    /** {@code uri@version} (just {@code uri} when inexact): the identity in lineage and evaluation sets. */
    public String id() {
        return version.isEmpty() ? uri : uri + "@" + version;
    }

    @Override
    public String toString() {
        return id();
    }
}
