package dev.modelregistry;

/**
 * A dataset at one exact version: where it lives and which version of it, e.g.
 * {@code s3://bucket/transactions} at {@code git:3f2c1e0}, a Delta table at {@code delta:42}, or a
 * query at {@code asof:2024-05-01T00:00:00Z}; optionally the SHA-256 of its content. Its
 * {@link #id()} ({@code uri@version}) names evaluation sets in policies and comparisons.
 *
 * @param uri         where the data lives
 * @param version     the exact version: a commit, a table version or snapshot id, an as-of time
 * @param contentHash SHA-256 of the content, or empty when not known
 */
public record DatasetRef(String uri, String version, String contentHash) {
    public DatasetRef {
        if (uri == null || uri.isBlank()) {
            throw new ValidationException("A dataset reference needs a URI, got " + Names.quote(uri));
        }
        Names.checkText("dataset URI", uri, 2048);
        if (uri.contains("\n") || uri.contains("@")) {
            throw new ValidationException("Invalid dataset URI " + Names.quote(uri) + ": must be one line without '@'");
        }
        if (version == null || version.isBlank()) {
            throw new ValidationException("Dataset " + Names.quote(uri) + " needs an exact version (a commit, table version, snapshot id or as-of time)");
        }
        Names.checkText("dataset version", version, 512);
        if (version.contains("\n")) {
            throw new ValidationException("Invalid dataset version " + Names.quote(version) + ": must be one line");
        }
        contentHash = contentHash == null ? "" : contentHash;
        if (!contentHash.isEmpty()) {
            contentHash = Sha256.of(contentHash).hex();
        }
    }

    public static DatasetRef of(String uri, String version) {
        return new DatasetRef(uri, version, "");
    }

    /** Parses {@code uri@version} as written by {@link #id()}. */
    public static DatasetRef parse(String id) {
        int at = id == null ? -1 : id.lastIndexOf('@');
        if (at <= 0 || at == id.length() - 1) {
            throw new ValidationException("Invalid dataset reference " + Names.quote(id) + ": expected uri@version");
        }
        return of(id.substring(0, at), id.substring(at + 1));
    }

    /** {@code uri@version}: the identity used to name evaluation sets. */
    public String id() {
        return uri + "@" + version;
    }

    @Override
    public String toString() {
        return id();
    }
}
