package dev.modelregistry;


/**
 * One edge of the lineage graph: version {@code from} used {@code to}.
 *
 * @param from     always a version
 * @param to       the input, or the parent version for {@link EdgeType#DERIVED_FROM}
 * @param type     how it was used
 * @param relation for {@link EdgeType#DERIVED_FROM}, the recorded relation ({@code fine-tune},
 *                 {@code distillation}, …); empty for every other type
 */
public record LineageEdge(NodeId from, NodeId to, EdgeType type, String relation) {
    public LineageEdge {
        if (from == null || to == null || type == null) {
            throw new ValidationException("A lineage edge needs both ends and a type, got " + from + " -" + type + "-> " + to);
        }
        relation = relation == null ? "" : relation;
    }

    /** What pictures write on the edge: the type's phrase, with the relation for derived versions. */
    public String label() {
        return relation.isEmpty() ? type.phrase() : type.phrase() + " (" + relation + ")";
    }

    @Override
    public String toString() {
        return from + " -[" + label() + "]-> " + to;
    }
}
