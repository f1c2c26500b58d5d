package dev.modelregistry;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.StringJoiner;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * An immutable snapshot of the lineage graph across all models: versions, and the runs, code commits,
 * dataset snapshots (training and evaluation), container images and environment files they recorded,
 * with an edge from each version to each of its inputs and to each parent version.
 *
 * <p>Why a separate snapshot rather than queries over the registry: impact questions ("every Production
 * version that used snapshot X, also through derived models") walk many models at once, and a snapshot
 * built once answers them with plain array walks. Nodes are numbered in {@link NodeId} order and kept in
 * forward and reverse adjacency arrays (compressed, one {@code int[]} each), and a query is a
 * breadth-first search with a visited bitset. Because node numbers follow id order, results come out
 * ordered by depth, then id, whatever order the versions were given in.
 *
 * <p>Instances are immutable and safe to share between threads.
 */
public final class LineageGraph {
    private final NodeId[] ids;
    private final String[] labels;
    /** The stage of each given version, null for inputs and for parents that were not given. */
    private final Stage[] stages;
    private final Map<NodeId, Integer> index;
    private final int[] edgeFrom;
    private final int[] edgeTo;
    private final EdgeType[] edgeType;
    private final String[] edgeRelation;
    private final int[] outStart;
    private final int[] outEdge;
    private final int[] outNode;
    private final int[] inStart;
    private final int[] inEdge;
    private final int[] inNode;

    private LineageGraph(Collector c) {
        int n = c.ids.size();
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> c.ids.get(a).compareTo(c.ids.get(b)));
        int[] renumber = new int[n];
        ids = new NodeId[n];
        labels = new String[n];
        stages = new Stage[n];
        index = new HashMap<>(n * 2);
        for (int rank = 0; rank < n; rank++) {
            int old = order[rank];
            renumber[old] = rank;
            ids[rank] = c.ids.get(old);
            labels[rank] = c.labels.get(old);
            stages[rank] = c.stages.get(old);
            index.put(ids[rank], rank);
        }
        int m = c.edgeCount;
        edgeFrom = new int[m];
        edgeTo = new int[m];
        edgeType = new EdgeType[m];
        edgeRelation = new String[m];
        for (int e = 0; e < m; e++) {
            edgeFrom[e] = renumber[c.from[e]];
            edgeTo[e] = renumber[c.to[e]];
            edgeType[e] = c.types.get(e);
            edgeRelation[e] = c.relations.get(e);
        }
        outStart = new int[n + 1];
        outEdge = new int[m];
        outNode = new int[m];
        adjacency(edgeFrom, edgeTo, outStart, outEdge, outNode);
        inStart = new int[n + 1];
        inEdge = new int[m];
        inNode = new int[m];
        adjacency(edgeTo, edgeFrom, inStart, inEdge, inNode);
        refuseCycles();
    }

    /**
     * Builds the graph of {@code versions} (typically every version of every model).
     *
     * <p>Only recorded inputs become nodes: an empty run id, code reference, image digest or environment
     * file adds nothing. A parent that is not among {@code versions} still becomes a version node (with
     * no stage and no inputs of its own), so paths through it stay visible.
     *
     * @param versions the versions; each at most once
     * @param stageOf  the current stage of a version (may return null when unknown); called once per version
     * @throws ValidationException if a version is given twice, or if derived-from edges form a cycle (the
     *                             registry never records one, so this means the input data is corrupt);
     *                             the message names the versions on the cycle
     */
    public static LineageGraph build(Iterable<ModelVersion> versions, Function<ModelVersion, Stage> stageOf) {
        if (versions == null || stageOf == null) {
            throw new ValidationException("Building a lineage graph needs the versions and a stage function");
        }
        Collector c = new Collector();
        for (ModelVersion v : versions) {
            if (v == null) {
                throw new ValidationException("The versions for a lineage graph contain null");
            }
            c.add(v, stageOf.apply(v));
        }
        return new LineageGraph(c);
    }

    /**
     * The full provenance of {@code start}: every node reachable by following edges (its inputs, its
     * parent versions, their inputs, and so on), each with the path that reaches it. Parent versions are
     * reported too, subject to the query's stage filter; inputs always are.
     *
     * @throws NotFoundException if {@code start} is not in the graph
     */
    public List<LineageResult> upstream(NodeId start, LineageQuery query) {
        return traverse(start, query, false);
    }

    /**
     * The impact of {@code start} (a dataset snapshot, code commit, image, run, environment file or a
     * version): every version that used it, directly or through versions derived from such a version,
     * each with the path that links it. The query's stage filter selects which versions are reported;
     * versions in other stages are still traversed.
     *
     * @throws NotFoundException if {@code start} is not in the graph
     */
    public List<LineageResult> downstream(NodeId start, LineageQuery query) {
        return traverse(start, query, true);
    }

    /** The node with this id, if any version recorded it. */
    public Optional<LineageNode> findNode(NodeId id) {
        Integer i = id == null ? null : index.get(id);
        return i == null ? Optional.empty() : Optional.of(node(i));
    }

    /** The number of nodes. */
    public int nodeCount() {
        return ids.length;
    }

    /** The number of edges. */
    public int edgeCount() {
        return edgeFrom.length;
    }

    /**
     * The part of this graph a query's results span: the start node, every result node and every node
     * and edge on their paths. Render it with {@link LineageSubgraph#toDot()} or
     * {@link LineageSubgraph#toMermaid()}.
     *
     * @param start   the node the query started from
     * @param results results of {@link #upstream} or {@link #downstream} on this graph from {@code start}
     * @throws NotFoundException   if {@code start} is not in the graph
     * @throws ValidationException if a result comes from another graph
     */
    public LineageSubgraph subgraph(NodeId start, Collection<LineageResult> results) {
        int s = indexOf(start);
        TreeSet<Integer> nodes = new TreeSet<>();
        TreeMap<String, LineageEdge> edges = new TreeMap<>();
        nodes.add(s);
        for (LineageResult r : results) {
            if (r.graph() != this) {
                throw new ValidationException("Lineage result " + r.id() + " comes from another graph");
            }
            nodes.add(r.index());
            for (LineageEdge e : r.path()) {
                nodes.add(index.get(e.from()));
                nodes.add(index.get(e.to()));
                edges.put(e.from() + "\u0000" + e.to() + "\u0000" + e.type(), e);
            }
        }
        List<LineageNode> list = new ArrayList<>(nodes.size());
        for (int i : nodes) {
            list.add(node(i));
        }
        return new LineageSubgraph(ids[s], list, new ArrayList<>(edges.values()));
    }

    LineageNode node(int i) {
        return new LineageNode(ids[i], labels[i], Optional.ofNullable(stages[i]));
    }

    NodeId id(int i) {
        return ids[i];
    }

    LineageEdge edge(int e) {
        return new LineageEdge(ids[edgeFrom[e]], ids[edgeTo[e]], edgeType[e], edgeRelation[e]);
    }

    private int indexOf(NodeId start) {
        if (start == null) {
            throw new ValidationException("A lineage query needs a start node");
        }
        Integer s = index.get(start);
        if (s == null) {
            throw new NotFoundException("Unknown lineage node " + start + ": no version in the graph records it");
        }
        return s;
    }

    private List<LineageResult> traverse(NodeId start, LineageQuery query, boolean downstream) {
        if (query == null) {
            throw new ValidationException("A lineage query needs its limits; use LineageQuery.unlimited()");
        }
        int s = indexOf(start);
        int[] starts = downstream ? inStart : outStart;
        int[] neighbours = downstream ? inNode : outNode;
        int[] via = downstream ? inEdge : outEdge;
        long[] visited = new long[(ids.length + 63) >>> 6];
        visited[s >>> 6] |= 1L << s;
        Trace trace = new Trace(this);
        trace.add(s, -1, -1);
        List<LineageResult> results = new ArrayList<>();
        boolean everyStage = query.stages().isEmpty();
        int layerStart = 0;
        int layerEnd = 1;
        int depth = 0;
        while (layerStart < layerEnd && depth < query.maxDepth()) {
            depth++;
            for (int entry = layerStart; entry < layerEnd; entry++) {
                int u = trace.node[entry];
                for (int k = starts[u], end = starts[u + 1]; k < end; k++) {
                    int v = neighbours[k];
                    long bit = 1L << v;
                    if ((visited[v >>> 6] & bit) == 0) {
                        visited[v >>> 6] |= bit;
                        trace.add(v, entry, via[k]);
                    }
                }
            }
            layerStart = layerEnd;
            layerEnd = trace.size;
            trace.sortByNode(layerStart, layerEnd);
            for (int entry = layerStart; entry < layerEnd; entry++) {
                int v = trace.node[entry];
                if (everyStage || accepts(query, v)) {
                    results.add(new LineageResult(this, trace, entry, v, depth));
                }
            }
        }
        return Collections.unmodifiableList(results);
    }

    private boolean accepts(LineageQuery query, int v) {
        return ids[v].kind() != NodeKind.VERSION || (stages[v] != null && query.stages().contains(stages[v]));
    }

    /** Fills compressed adjacency arrays, each node's neighbours sorted by node number, then edge type. */
    private static void adjacency(int[] owner, int[] other, int[] start, int[] edgeOut, int[] nodeOut) {
        for (int e = 0; e < owner.length; e++) {
            start[owner[e] + 1]++;
        }
        for (int i = 0; i + 1 < start.length; i++) {
            start[i + 1] += start[i];
        }
        int[] cursor = Arrays.copyOf(start, start.length - 1);
        for (int e = 0; e < owner.length; e++) {
            int at = cursor[owner[e]]++;
            edgeOut[at] = e;
            nodeOut[at] = other[e];
        }
        for (int u = 0; u + 1 < start.length; u++) {
            for (int i = start[u] + 1; i < start[u + 1]; i++) {
                int e = edgeOut[i];
                int n = nodeOut[i];
                int j = i - 1;
                while (j >= start[u] && (nodeOut[j] > n || (nodeOut[j] == n && edgeOut[j] > e))) {
                    edgeOut[j + 1] = edgeOut[j];
                    nodeOut[j + 1] = nodeOut[j];
                    j--;
                }
                edgeOut[j + 1] = e;
                nodeOut[j + 1] = n;
            }
        }
    }

    /** Depth-first search over all edges; only derived-from edges join versions, so only they can loop. */
    private void refuseCycles() {
        int n = ids.length;
        byte[] colour = new byte[n];
        int[] stack = new int[n];
        int[] next = new int[n];
        for (int root = 0; root < n; root++) {
            if (colour[root] != 0) {
                continue;
            }
            int top = 0;
            stack[0] = root;
            next[0] = outStart[root];
            colour[root] = 1;
            while (top >= 0) {
                int u = stack[top];
                if (next[top] == outStart[u + 1]) {
                    colour[u] = 2;
                    top--;
                    continue;
                }
                int v = outNode[next[top]++];
                if (colour[v] == 1) {
                    throw cycle(stack, top, v);
                }
                if (colour[v] == 0) {
                    colour[v] = 1;
                    stack[++top] = v;
                    next[top] = outStart[v];
                }
            }
        }
    }

    private ValidationException cycle(int[] stack, int top, int back) {
        int from = top;
        while (stack[from] != back) {
            from--;
        }
        StringJoiner path = new StringJoiner(" -> ");
        for (int i = from; i <= top; i++) {
            path.add(ids[stack[i]].id());
        }
        path.add(ids[back].id());
        return new ValidationException("Lineage contains a cycle of derived versions: " + path
                + "; the registry refuses registrations that would close a cycle, so the input data is corrupt");
    }

    /** The breadth-first tree of one query: parallel arrays of node, parent entry and edge per entry. */
    static final class Trace {
        private final LineageGraph graph;
        int[] node = new int[64];
        int[] parent = new int[64];
        int[] edge = new int[64];
        int size;

        Trace(LineageGraph graph) {
            this.graph = graph;
        }

        void add(int n, int parentEntry, int viaEdge) {
            if (size == node.length) {
                int capacity = size * 2;
                node = Arrays.copyOf(node, capacity);
                parent = Arrays.copyOf(parent, capacity);
                edge = Arrays.copyOf(edge, capacity);
            }
            node[size] = n;
            parent[size] = parentEntry;
            edge[size] = viaEdge;
            size++;
        }

        /** Orders one layer by node number, i.e. by id; entries of earlier layers are untouched. */
        void sortByNode(int from, int to) {
            int count = to - from;
            if (count < 2) {
                return;
            }
            long[] keys = new long[count];
            for (int i = 0; i < count; i++) {
                keys[i] = ((long) node[from + i] << 32) | i;
            }
            Arrays.sort(keys);
            int[] p = Arrays.copyOfRange(parent, from, to);
            int[] e = Arrays.copyOfRange(edge, from, to);
            for (int i = 0; i < count; i++) {
                int original = (int) keys[i];
                node[from + i] = (int) (keys[i] >>> 32);
                parent[from + i] = p[original];
                edge[from + i] = e[original];
            }
        }

        List<LineageEdge> path(int entry) {
            List<LineageEdge> reversed = new ArrayList<>();
            for (int at = entry; parent[at] >= 0; at = parent[at]) {
                reversed.add(graph.edge(edge[at]));
            }
            Collections.reverse(reversed);
            return List.copyOf(reversed);
        }
    }

    /** Gathers nodes and edges in input order; the graph then renumbers them in id order. */
    private static final class Collector {
        final Map<NodeId, Integer> index = new HashMap<>();
        final List<NodeId> ids = new ArrayList<>();
        final List<String> labels = new ArrayList<>();
        final List<Stage> stages = new ArrayList<>();
        final List<Boolean> given = new ArrayList<>();
        int[] from = new int[1024];
        int[] to = new int[1024];
        final List<EdgeType> types = new ArrayList<>();
        final List<String> relations = new ArrayList<>();
        int edgeCount;

        void add(ModelVersion v, Stage stage) {
            int self = node(NodeId.version(v.model(), v.version()), null);
            if (given.get(self)) {
                throw new ValidationException("Version " + ids.get(self).id() + " is given twice to the lineage graph");
            }
            given.set(self, true);
            stages.set(self, stage);
            Provenance p = v.provenance();
            if (p.run().isRecorded()) {
                edge(self, node(NodeId.run(p.run().id()), null), EdgeType.PRODUCED_BY_RUN, "");
            }
            if (p.code().isRecorded()) {
                Provenance.CodeRef code = p.code();
                String label = code.scriptPath().isEmpty() ? code.id() : code.id() + " " + code.scriptPath();
                edge(self, node(NodeId.code(code.repository(), code.commit()), label), EdgeType.BUILT_FROM_CODE, "");
            }
            if (!p.containerImageDigest().isEmpty()) {
                edge(self, node(NodeId.image(p.containerImageDigest()), null), EdgeType.RAN_IN_IMAGE, "");
            }
            if (!p.environmentFile().isEmpty()) {
                edge(self, node(NodeId.environment(p.environmentFile()), null), EdgeType.USES_ENVIRONMENT, "");
            }
            for (DatasetRef d : p.datasets()) {
                edge(self, node(NodeId.dataset(d), null), EdgeType.TRAINED_ON, "");
            }
            for (DatasetRef d : p.evaluationSets()) {
                edge(self, node(NodeId.dataset(d), null), EdgeType.EVALUATED_ON, "");
            }
            for (Provenance.ParentRef parent : p.parents()) {
                edge(self, node(NodeId.version(parent.model(), parent.version()), null), EdgeType.DERIVED_FROM,
                        parent.relation());
            }
        }

        int node(NodeId id, String label) {
            Integer existing = index.get(id);
            if (existing != null) {
                return existing;
            }
            int i = ids.size();
            index.put(id, i);
            ids.add(id);
            labels.add(label == null ? id.id() : label);
            stages.add(null);
            given.add(false);
            return i;
        }

        void edge(int a, int b, EdgeType type, String relation) {
            if (edgeCount == from.length) {
                from = Arrays.copyOf(from, edgeCount * 2);
                to = Arrays.copyOf(to, edgeCount * 2);
            }
            from[edgeCount] = a;
            to[edgeCount] = b;
            types.add(type);
            relations.add(relation);
            edgeCount++;
        }
    }
}
