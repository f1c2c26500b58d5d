package dev.modelregistry;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One node a query reached, how far from the start it is, and the path that links them. The path is
 * the list of graph edges met on the way from the start node to this one, in that order; edges keep
 * their direction (version to input), so on a downstream path each edge is walked backwards.
 *
 * <p>Paths are materialised on first use: an impact query over a large graph reports many results and
 * most callers only look at a few paths.
 */
public final class LineageResult {
    private final LineageGraph graph;
    private final LineageGraph.Trace trace;
    private final int entry;
    private final int node;
    private final int depth;
    private List<LineageEdge> path;

    LineageResult(LineageGraph graph, LineageGraph.Trace trace, int entry, int node, int depth) {
        this.graph = graph;
        this.trace = trace;
        this.entry = entry;
        this.node = node;
        this.depth = depth;
    }

    /** The node reached. */
    public LineageNode node() {
        return graph.node(node);
    }

    /** Its id (shorthand for {@code node().id()}). */
    public NodeId id() {
        return graph.id(node);
    }

    /** For a version, the stage it was in when the graph was built. */
    public Optional<Stage> stage() {
        return node().stage();
    }

    /** The number of edges between the start and this node (1 for a direct neighbour). */
    public int depth() {
        return depth;
    }

    /** The edges from the start node to this one, in walking order; {@link #depth()} of them. */
    public List<LineageEdge> path() {
        List<LineageEdge> p = path;
        if (p == null) {
            p = trace.path(entry);
            path = p;
        }
        return p;
    }

    int index() {
        return node;
    }

    LineageGraph graph() {
        return graph;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LineageResult other && other.depth == depth && other.id().equals(id())
                && other.path().equals(path());
    }

    @Override
    public int hashCode() {
        return Objects.hash(id(), depth);
    }

    @Override
    public String toString() {
        return id() + " at depth " + depth + stage().map(s -> " (" + s + ")").orElse("") + " via " + path();
    }
}
