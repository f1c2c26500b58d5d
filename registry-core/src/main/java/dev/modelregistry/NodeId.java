package dev.modelregistry;


/**
 * The identity of a lineage node: its kind and a text id that is unique within the kind. Two inputs
 * recorded by different versions are the same node exactly when their ids are equal, which is what
 * lets the graph answer "who else used this snapshot".
 *
 * <p>Ordered by id, then kind, so that query results come out in a stable order.
 *
 * @param kind what the node stands for
 * @param id   {@code model@semver}, a run id, {@code repository@commit}, a dataset id, an image digest
 *             or an environment file
 */
public record NodeId(NodeKind kind, String id) implements Comparable<NodeId> {
    public NodeId {
        if (kind == null) {
            throw new ValidationException("A lineage node id needs a kind");
        }
        if (id == null || id.isEmpty()) {
            throw new ValidationException("A lineage node id of kind " + kind + " needs a non-empty id, got "
                    + (id == null ? "null" : "\"\""));
        }
    }

    /** The version {@code model@version}; build metadata is dropped because it is not part of identity. */
    public static NodeId version(String model, SemVer version) {
        return version(ModelName.of(model), version);
    }

    /** The version {@code model@version}; build metadata is dropped because it is not part of identity. */
    public static NodeId version(ModelName model, SemVer version) {
        if (model == null || version == null) {
            throw new ValidationException("A version node needs a model and a version, got " + model + "@" + version);
        }
        return new NodeId(NodeKind.VERSION, model + "@" + withoutBuild(version));
    }

    /** The dataset snapshot {@code ref}, by {@link DatasetRef#id()}. */
    public static NodeId dataset(DatasetRef ref) {
        if (ref == null) {
            throw new ValidationException("A dataset node needs a dataset reference");
        }
        return new NodeId(NodeKind.DATASET, ref.id());
    }

    /** The dataset snapshot with id {@code uri@version} (or a bare URI for an inexact reference). */
    public static NodeId dataset(String id) {
        return new NodeId(NodeKind.DATASET, id);
    }

    /** The code commit {@code repository@commit}. */
    public static NodeId code(String repository, String commit) {
        return new NodeId(NodeKind.CODE, (repository == null ? "" : repository) + "@" + (commit == null ? "" : commit));
    }

    /** The training run with this id. */
    public static NodeId run(String id) {
        return new NodeId(NodeKind.RUN, id);
    }

    /** The container image with this digest. */
    public static NodeId image(String digest) {
        return new NodeId(NodeKind.IMAGE, digest);
    }

    /** The environment file at this path or URI. */
    public static NodeId environment(String file) {
        return new NodeId(NodeKind.ENVIRONMENT, file);
    }

    public static String withoutBuild(SemVer version) {
        String text = version.toString();
        int plus = text.indexOf('+');
        return plus < 0 ? text : text.substring(0, plus);
    }

    @Override
    public int compareTo(NodeId other) {
        int c = id.compareTo(other.id);
        return c != 0 ? c : kind.compareTo(other.kind);
    }

    /** {@code kind id}, e.g. {@code dataset s3://bucket/train@git:3f2c}. */
    @Override
    public String toString() {
        return kind.key() + " " + id;
    }
}
