package dev.modelregistry.internal.lineage;

import dev.modelregistry.LineageGraph;
import dev.modelregistry.LineageQuery;
import dev.modelregistry.LineageResult;
import dev.modelregistry.ModelName;
import dev.modelregistry.ModelVersion;
import dev.modelregistry.NodeId;
import dev.modelregistry.NotFoundException;
import dev.modelregistry.SemVer;
import dev.modelregistry.Stage;
import dev.modelregistry.internal.engine.ModelLogs;
import dev.modelregistry.internal.read.Reads;
import dev.modelregistry.EventStore;
import dev.modelregistry.spi.SupportsLineageQueries;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.nio.charset.StandardCharsets;

/**
 * The lineage graph across every model, built once per store change; upstream and downstream
 * queries answered by the store's lineage index when it has one and no current graph is built.
 */
public final class Lineage {
    /** The lineage graph and the change token it was built at. */
    private record BuiltLineage(long token, LineageGraph graph) {
    }

    private final EventStore store;
    private final ModelLogs logs;
    private final Reads reads;
    private final SupportsLineageQueries index;
    private volatile BuiltLineage built;

    public Lineage(EventStore store, ModelLogs logs, Reads reads) {
        this.store = store;
        this.logs = logs;
        this.reads = reads;
        this.index = store instanceof SupportsLineageQueries q ? q : null;
    }

    public LineageGraph graph() {
        long token = store.changeToken();
        BuiltLineage b = built;
        if (b != null && b.token == token) {
            return b.graph;
        }
        List<ModelVersion> versions = new ArrayList<>();
        Map<ModelVersion, Stage> stages = new IdentityHashMap<>();
        for (ModelName m : reads.models()) {
            logs.withState(m, s -> {
                for (ModelVersion v : s.versionsAscending()) {
                    versions.add(v);
                    stages.put(v, s.stageOf(v.version()));
                }
                return null;
            }, () -> null);
        }
        LineageGraph graph = LineageGraph.build(versions, stages::get);
        built = new BuiltLineage(token, graph);
        return graph;
    }

    public List<LineageResult> upstream(String model, SemVer version, LineageQuery query) {
        Objects.requireNonNull(query, "query");
        Objects.requireNonNull(version, "version");
        if (index != null && !isCurrent()) {
            Optional<List<LineageResult>> answer = index.upstream(ModelName.of(model), version, query);
            if (answer.isPresent()) {
                return answer.get();
            }
        }
        reads.getVersion(model, version);
        return graph().upstream(NodeId.version(model, version), query);
    }

    /** What used {@code node}; a node no version used has an empty impact, whatever its kind. */
    public List<LineageResult> downstream(NodeId node, LineageQuery query) {
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(query, "query");
        try {
            if (index != null && !isCurrent()) {
                Optional<List<LineageResult>> answer = index.downstream(node, query);
                if (answer.isPresent()) {
                    return answer.get();
                }
            }
            return graph().downstream(node, query);
        } catch (NotFoundException unknownNode) {
            return List.of();
        }
    }

    /** Whether the graph built last is still the current one (then it answers faster than any index). */
    private boolean isCurrent() {
        BuiltLineage b = built;
        return b != null && b.token == store.changeToken();
    }

    public String openLineageEvent(String model, SemVer version, String namespace) {
        ModelVersion v = reads.getVersion(model, version);
        // A name-based run id: sending the event again describes the same run.
        UUID runId = UUID.nameUUIDFromBytes((v.model() + "@" + v.version()).getBytes(StandardCharsets.UTF_8));
        return OpenLineageEvents.registrationEvent(v, namespace, v.createdAt(), runId);
    }
}
