package dev.modelregistry;

/**
 * What a lineage node stands for. Versions are the only nodes with outgoing edges: every other kind is
 * an input that versions point at.
 */
public enum NodeKind {
    /** A registered model version, {@code model@semver}. */
    VERSION,
    /** A training run, by its id in the tracking system. */
    RUN,
    /** A code commit, {@code repository@commit}. */
    CODE,
    /** A dataset snapshot, by {@link dev.modelregistry.DatasetRef#id()}; evaluation sets included. */
    DATASET,
    /** A container image, by digest. */
    IMAGE,
    /** An environment file (lock file, conda environment, …), by path or URI. */
    ENVIRONMENT;

    /** The lower-case name used in node keys and pictures, e.g. {@code dataset}. */
    public String key() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
