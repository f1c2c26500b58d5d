package dev.modelregistry.spi;

import dev.modelregistry.EventStore;

import dev.modelregistry.ModelName;
import dev.modelregistry.SemVer;
import dev.modelregistry.LineageGraph;
import dev.modelregistry.LineageQuery;
import dev.modelregistry.LineageResult;
import dev.modelregistry.NodeId;
import java.util.List;
import java.util.Optional;

/**
 * An optional capability of an {@link EventStore} that keeps a lineage index (nodes and edges) in
 * step with its logs and can answer upstream and downstream queries without the core folding every
 * model to build the whole {@link LineageGraph}. The core asks it whenever it holds no lineage graph
 * that is current; with a current graph, the graph answers.
 *
 * <p>The contract is exact: every answer equals, result for result (same nodes, depths, stages,
 * labels and paths, in the same order), what {@link LineageGraph#build} over every version of every
 * model (models in {@link EventStore#models()} order, versions in ascending precedence, each with its
 * current stage) would answer for the same query. A store may compute the part of the graph a query
 * can reach and let a {@link LineageGraph} of just that part walk it.
 *
 * <p>Each method answers as of the store's latest committed state.
 */
public interface SupportsLineageQueries {

    /**
     * {@link LineageGraph#upstream} from version {@code version} of {@code model}, or empty when the
     * model has no such version (the core then reports it).
     */
    Optional<List<LineageResult>> upstream(ModelName model, SemVer version, LineageQuery query);

    /**
     * {@link LineageGraph#downstream} from {@code node}, or empty when no version records that node
     * (the core then reports it).
     */
    Optional<List<LineageResult>> downstream(NodeId node, LineageQuery query);
}
