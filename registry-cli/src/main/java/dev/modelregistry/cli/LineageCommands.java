package dev.modelregistry.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.modelregistry.DatasetRef;
import dev.modelregistry.ModelName;
import dev.modelregistry.ModelRegistry;
import dev.modelregistry.ModelVersion;
import dev.modelregistry.Stage;
import dev.modelregistry.ValidationException;
import dev.modelregistry.LineageEdge;
import dev.modelregistry.LineageGraph;
import dev.modelregistry.LineageNode;
import dev.modelregistry.LineageQuery;
import dev.modelregistry.LineageResult;
import dev.modelregistry.LineageSubgraph;
import dev.modelregistry.NodeId;
import dev.modelregistry.NodeKind;
import dev.modelregistry.internal.util.MessageText;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** lineage up|down and impact: queries on the registry's lineage graph, drawn as a tree, DOT, Mermaid or JSON. */
final class LineageCommands {
    private LineageCommands() {
    }

    /** How a lineage is printed. */
    enum Format { TREE, DOT, MERMAID, JSON }

    @Command(name = "lineage", mixinStandardHelpOptions = true,
            description = "Trace lineage: 'up' is where a version came from, 'down' is everything that used a node.",
            subcommands = {Up.class, Down.class},
            footerHeading = "%nExample:%n", footer = {"  registry lineage up fraud-distilled@production",
                    "  registry lineage down dataset:s3://data/transactions@git:3f2c1e0 --format mermaid"})
    static final class Lineage implements java.util.concurrent.Callable<Integer> {
        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            spec.commandLine().usage(spec.commandLine().getErr());
            return RegistryCli.USAGE;
        }
    }

    /** Options and drawing shared by both directions. */
    abstract static class Trace extends RegistryCommand {
        @Parameters(index = "0", paramLabel = "NODE",
                description = {"A version as model@selector (e.g. fraud-detector@production), or kind:id with kind one of"
                        + " version, dataset, run, code, image, environment (e.g. dataset:s3://data/tx@git:3f2c1e0)."})
        String node;

        @Option(names = "--depth", paramLabel = "N", description = "Follow at most N edges (default: no limit).")
        Integer depth;

        @Option(names = "--stage", paramLabel = "STAGE", description = "Only report versions in this stage (repeatable).")
        List<String> stages = new ArrayList<>();

        @Option(names = "--format", paramLabel = "FORMAT", description = "tree, dot, mermaid or json (default tree).")
        Format format = Format.TREE;

        @Option(names = "--json", description = "Print JSON (same as --format json).")
        boolean json;

        abstract boolean upstream();

        @Override
        int run(ModelRegistry registry) {
            NodeId start = nodeId(registry, node);
            requireReadAll(registry);
            LineageGraph graph = registry.lineage();
            LineageQuery query = LineageQuery.unlimited();
            if (depth != null) {
                query = query.withMaxDepth(depth);
            }
            if (!stages.isEmpty()) {
                query = query.withStages(stages(registry, stages));
            }
            List<LineageResult> results = upstream() ? graph.upstream(start, query) : graph.downstream(start, query);
            LineageSubgraph sub = graph.subgraph(start, results);
            String text = switch (json ? Format.JSON : format) {
                case TREE -> tree(graph, start, results, upstream());
                case DOT -> sub.toDot();
                case MERMAID -> sub.toMermaid();
                case JSON -> json(start, sub, results).toPrettyString();
            };
            out().print(text.endsWith("\n") ? text : text + "\n");
            return RegistryCli.OK;
        }

        /** The graph spans every model, so tracing it needs READ on all of them. */
        private void requireReadAll(ModelRegistry registry) {
            for (ModelName m : registry.models()) {
                RegistryCli.requireRead(registry, principal(), m);
            }
        }
    }

    @Command(name = "up", mixinStandardHelpOptions = true,
            description = "Where a version came from: its run, code, image, environment, datasets and parent versions, transitively.",
            footerHeading = "%nExample:%n", footer = {"  registry lineage up fraud-distilled@1.0.0", "  registry lineage up fraud-detector@production --format dot | dot -Tpng -o lineage.png"})
    static final class Up extends Trace {
        @Override
        boolean upstream() {
            return true;
        }
    }

    @Command(name = "down", mixinStandardHelpOptions = true,
            description = "Everything that used a node (a dataset snapshot, commit, run, image or version), through derived models too.",
            footerHeading = "%nExample:%n", footer = "  registry lineage down dataset:s3://data/transactions@git:3f2c1e0 --stage production")
    static final class Down extends Trace {
        @Override
        boolean upstream() {
            return false;
        }
    }

    @Command(name = "impact", mixinStandardHelpOptions = true,
            description = {"Which versions used a dataset snapshot, directly or through derived models, and which of them are"
                    + " in Production: the blast radius of a data bug."},
            footerHeading = "%nExample:%n", footer = "  registry impact s3://data/transactions@git:3f2c1e0")
    static final class Impact extends RegistryCommand {
        @Parameters(index = "0", paramLabel = "DATASET", description = "The snapshot, uri@version (a dataset: prefix is allowed).")
        String dataset;

        @Option(names = "--stage", paramLabel = "STAGE", description = "Only versions in this stage (repeatable).")
        List<String> stages = new ArrayList<>();

        @Option(names = "--json", description = "Print JSON.")
        boolean json;

        @Override
        int run(ModelRegistry registry) {
            String id = dataset.startsWith("dataset:") ? dataset.substring("dataset:".length()) : dataset;
            NodeId start = NodeId.dataset(id.lastIndexOf('@') > 0 ? DatasetRef.parse(id) : DatasetRef.unversioned(id));
            for (ModelName m : registry.models()) {
                RegistryCli.requireRead(registry, principal(), m);
            }
            LineageQuery query = stages.isEmpty() ? LineageQuery.unlimited() : LineageQuery.inStages(stages(registry, stages));
            List<LineageResult> versions = registry.lineage().downstream(start, query).stream()
                    .filter(r -> r.node().kind() == NodeKind.VERSION).toList();
            long inProduction = versions.stream().filter(r -> r.stage().map(Stage.PRODUCTION::equals).orElse(false)).count();
            if (json) {
                ObjectNode node = Json.object();
                node.put("dataset", start.id());
                node.put("versions", versions.size());
                node.put("inProduction", inProduction);
                ArrayNode affected = node.putArray("affected");
                versions.forEach(r -> affected.add(result(r)));
                Json.print(out(), node);
                return RegistryCli.OK;
            }
            out().println("Impact of dataset " + start.id() + ": " + versions.size() + " version" + (versions.size() == 1 ? "" : "s")
                    + ", " + inProduction + " in PRODUCTION");
            List<List<String>> rows = new ArrayList<>();
            for (LineageResult r : versions) {
                rows.add(List.of(r.id().id(), r.stage().map(Stage::name).orElse(""), via(r)));
            }
            if (!rows.isEmpty()) {
                out().print(Text.table(List.of("VERSION", "STAGE", "VIA"), rows));
            }
            return RegistryCli.OK;
        }

        /** The chain from the dataset to the version: "trained on" or "fraud-detector@1.5.0 (distillation)". */
        private static String via(LineageResult r) {
            List<LineageEdge> path = r.path();
            if (path.size() == 1) {
                return path.get(0).label();
            }
            List<String> hops = new ArrayList<>();
            for (int i = 0; i < path.size() - 1; i++) {
                LineageEdge e = path.get(i + 1);
                hops.add(e.to().id() + " (" + e.relation() + ")");
            }
            return String.join(" <- ", hops);
        }
    }

    /** The stages of {@code --stage}, each one the registry's lifecycle has: a mistyped stage is an error, not an empty answer. */
    static Stage[] stages(ModelRegistry registry, List<String> names) {
        return names.stream().map(Stage::of).map(registry.lifecycle()::require).toArray(Stage[]::new);
    }

    /** {@code kind:id}, or a model reference resolved to its version. */
    static NodeId nodeId(ModelRegistry registry, String text) {
        int colon = text.indexOf(':');
        if (colon > 0) {
            String kind = text.substring(0, colon).toUpperCase(Locale.ROOT);
            for (NodeKind k : NodeKind.values()) {
                if (k.name().equals(kind)) {
                    String id = text.substring(colon + 1);
                    if (k == NodeKind.VERSION) {
                        ModelVersion v = registry.resolve(id);
                        return NodeId.version(v.model(), v.version());
                    }
                    return new NodeId(k, id);
                }
            }
        }
        if (text.indexOf('@') > 0 && colon < 0) {
            ModelVersion v = registry.resolve(text);
            return NodeId.version(v.model(), v.version());
        }
        throw new ValidationException("Invalid lineage node " + MessageText.quote(text) + ": expected model@selector or kind:id with kind one of "
                + java.util.Arrays.stream(NodeKind.values()).map(NodeKind::key).toList());
    }

    /**
     * The query's breadth-first tree: each result hangs under the node one step before it on its path,
     * with the edge that links them.
     */
    static String tree(LineageGraph graph, NodeId start, List<LineageResult> results, boolean upstream) {
        Map<NodeId, List<LineageResult>> children = new LinkedHashMap<>();
        for (LineageResult r : results) {
            LineageEdge last = r.path().get(r.path().size() - 1);
            NodeId parent = upstream ? last.from() : last.to();
            children.computeIfAbsent(parent, k -> new ArrayList<>()).add(r);
        }
        StringBuilder out = new StringBuilder(label(graph.findNode(start).orElseThrow())).append('\n');
        draw(out, graph, start, children, "", upstream);
        return out.toString();
    }

    private static void draw(StringBuilder out, LineageGraph graph, NodeId node, Map<NodeId, List<LineageResult>> children,
                             String indent, boolean upstream) {
        List<LineageResult> kids = children.getOrDefault(node, List.of());
        for (int i = 0; i < kids.size(); i++) {
            LineageResult r = kids.get(i);
            boolean lastChild = i == kids.size() - 1;
            LineageEdge edge = r.path().get(r.path().size() - 1);
            String how = upstream ? edge.label() : "used by (" + edge.label() + ")";
            out.append(indent).append(lastChild ? "└── " : "├── ").append(how).append(": ").append(label(r.node())).append('\n');
            draw(out, graph, r.id(), children, indent + (lastChild ? "    " : "│   "), upstream);
        }
    }

    private static String label(LineageNode n) {
        return n.kind().key() + " " + n.id().id() + n.stage().map(s -> " [" + s + "]").orElse("");
    }

    private static ObjectNode json(NodeId start, LineageSubgraph sub, List<LineageResult> results) {
        ObjectNode root = Json.object();
        root.set("start", node(start));
        ArrayNode nodes = root.putArray("nodes");
        for (LineageNode n : sub.nodes()) {
            ObjectNode o = node(n.id());
            o.put("label", n.label());
            n.stage().ifPresent(s -> o.put("stage", s.name()));
            nodes.add(o);
        }
        ArrayNode edges = root.putArray("edges");
        sub.edges().forEach(e -> edges.add(edge(e)));
        ArrayNode res = root.putArray("results");
        results.forEach(r -> res.add(result(r)));
        return root;
    }

    static ObjectNode result(LineageResult r) {
        ObjectNode o = node(r.id());
        r.stage().ifPresent(s -> o.put("stage", s.name()));
        o.put("depth", r.depth());
        ArrayNode path = o.putArray("path");
        r.path().forEach(e -> path.add(edge(e)));
        return o;
    }

    private static ObjectNode node(NodeId id) {
        ObjectNode o = Json.object();
        o.put("kind", id.kind().key());
        o.put("id", id.id());
        return o;
    }

    private static ObjectNode edge(LineageEdge e) {
        ObjectNode o = Json.object();
        o.put("from", e.from().kind().key() + ":" + e.from().id());
        o.put("to", e.to().kind().key() + ":" + e.to().id());
        o.put("type", e.type().name());
        if (!e.relation().isEmpty()) {
            o.put("relation", e.relation());
        }
        return o;
    }
}
