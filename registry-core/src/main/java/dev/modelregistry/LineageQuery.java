package dev.modelregistry;

import java.util.Arrays;
import java.util.Set;

/**
 * Limits of an upstream or downstream query: how many edges deep to go, and which stages a
 * <em>version</em> result must currently be in to be reported. The stage filter only selects results:
 * the traversal still goes through versions in other stages, so a Production model derived from an
 * archived one is found.
 *
 * @param maxDepth the longest path, in edges, that is followed; {@link Integer#MAX_VALUE} for no limit
 * @param stages   stages a version result must be in; empty means every version (and versions whose
 *                 stage is unknown)
 */
public record LineageQuery(int maxDepth, Set<Stage> stages) {
    private static final LineageQuery UNLIMITED = new LineageQuery(Integer.MAX_VALUE, Set.of());

    public LineageQuery {
        if (maxDepth < 1) {
            throw new ValidationException("Lineage query depth must be at least 1, was " + maxDepth);
        }
        stages = stages == null ? Set.of() : Set.copyOf(stages);
    }

    /** No depth limit, every version. */
    public static LineageQuery unlimited() {
        return UNLIMITED;
    }

    /** At most {@code depth} edges from the start, every version. */
    public static LineageQuery maxDepth(int depth) {
        return new LineageQuery(depth, Set.of());
    }

    /** No depth limit; only versions currently in one of {@code stages}. */
    public static LineageQuery inStages(Stage... stages) {
        return UNLIMITED.withStages(stages);
    }

    /** This query with a depth limit of {@code depth} edges. */
    public LineageQuery withMaxDepth(int depth) {
        return new LineageQuery(depth, stages);
    }

    /** This query reporting only versions currently in one of {@code stages}. */
    public LineageQuery withStages(Stage... stages) {
        if (stages == null || Arrays.asList(stages).contains(null)) {
            throw new ValidationException("Lineage query stages must not be null, got " + Arrays.toString(stages));
        }
        return new LineageQuery(maxDepth, Set.copyOf(Arrays.asList(stages)));
    }

    boolean accepts(LineageNode node) {
        return node.kind() != NodeKind.VERSION || stages.isEmpty()
                || node.stage().map(stages::contains).orElse(false);
    }
}
