package dev.modelregistry;

import java.util.Optional;

/**
 * A node of the lineage graph as a query returns it.
 *
 * @param id    kind and identity
 * @param label what pictures show; free text taken from the recorded data (it may contain anything,
 *              renderers escape it)
 * @param stage for a version given to {@link LineageGraph#build}, the stage it was in when the snapshot
 *              was taken; empty for inputs and for parent versions that were not given
 */
public record LineageNode(NodeId id, String label, Optional<Stage> stage) {
    public LineageNode {
        if (id == null) {
            throw new ValidationException("A lineage node needs an id");
        }
        label = label == null || label.isEmpty() ? id.id() : label;
        stage = stage == null ? Optional.empty() : stage;
    }

    public NodeKind kind() {
        return id.kind();
    }

    /** Whether this node is a version currently in {@code stage}. */
    public boolean isIn(Stage stage) {
        return this.stage.isPresent() && this.stage.get().equals(stage);
    }
}
