package dev.modelregistry;

/**
 * The documented size limits on metadata. They keep one version record small enough to be read,
 * hashed and shipped cheaply by every backend; anything over them is refused with
 * {@link MetadataTooLargeException} before any change.
 */
public final class Limits {
    /** The canonical JSON of one version record (all its metadata, not its artifact bytes). */
    public static final int MAX_VERSION_RECORD_BYTES = 1024 * 1024;
    /** The canonical JSON of all hyperparameters of one version. */
    public static final int MAX_HYPERPARAMETER_BYTES = 256 * 1024;
    /** Nesting depth of any JSON value (hyperparameters). */
    public static final int MAX_JSON_DEPTH = 32;
    public static final int MAX_DESCRIPTION_CHARS = 64 * 1024;
    public static final int MAX_REASON_CHARS = 4096;
    public static final int MAX_TAGS = 64;
    public static final int MAX_LABELS = 256;
    public static final int MAX_LABEL_VALUE_CHARS = 1024;
    public static final int MAX_METRICS = 10_000;
    public static final int MAX_ARTIFACTS = 1_000;
    public static final int MAX_METRIC_NAME_CHARS = 128;
    public static final int MAX_FRAMEWORK_CHARS = 128;

    private Limits() {
    }
}
