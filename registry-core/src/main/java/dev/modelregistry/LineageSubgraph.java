package dev.modelregistry;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The nodes and edges a query's results span, ready to be drawn: {@link #toDot()} for Graphviz and
 * {@link #toMermaid()} for Markdown renderers (GitHub, GitLab, most wikis), so people can look at a
 * lineage rather than read it. Made by {@link LineageGraph#subgraph}.
 *
 * <p>Edges point as in the graph, from a version to what it used. Every node is drawn with a shape
 * per kind; versions in {@link Stage#PRODUCTION} are highlighted, the start node is drawn bold. Labels
 * come from recorded data, which may contain anything, so both renderers escape them fully: no label can
 * break out of its quotes or inject statements.
 */
public final class LineageSubgraph {
    private static final String PRODUCTION_FILL = "#c8f7c5";
    private static final String PRODUCTION_STROKE = "#2e7d32";

    private final NodeId start;
    private final List<LineageNode> nodes;
    private final List<LineageEdge> edges;

    LineageSubgraph(NodeId start, List<LineageNode> nodes, List<LineageEdge> edges) {
        this.start = start;
        this.nodes = List.copyOf(nodes);
        this.edges = List.copyOf(edges);
    }

    /** The node the query started from. */
    public NodeId start() {
        return start;
    }

    /** The nodes, in id order; the start node included. */
    public List<LineageNode> nodes() {
        return nodes;
    }

    /** The edges, in (from, to, type) order. */
    public List<LineageEdge> edges() {
        return edges;
    }

    /**
     * A Graphviz {@code digraph}: node ids are the quoted node keys ({@code "dataset:s3://…"}), labels
     * are quoted and escaped, shapes follow the kind (versions boxes, datasets cylinders, runs ellipses,
     * code notes, images 3-D boxes, environments components).
     */
    public String toDot() {
        StringBuilder out = new StringBuilder("digraph lineage {\n");
        out.append("  rankdir=LR;\n");
        out.append("  node [fontname=\"Helvetica\", fontsize=10];\n");
        out.append("  edge [fontname=\"Helvetica\", fontsize=9];\n");
        for (LineageNode n : nodes) {
            out.append("  ").append(dotString(key(n.id()))).append(" [label=").append(dotString(caption(n)))
                    .append(", shape=").append(dotShape(n.kind()));
            String style = n.kind() == NodeKind.VERSION ? "rounded" : "";
            if (n.isIn(Stage.PRODUCTION)) {
                style = style.isEmpty() ? "filled" : style + ",filled";
                out.append(", fillcolor=\"").append(PRODUCTION_FILL).append("\", color=\"").append(PRODUCTION_STROKE)
                        .append("\", penwidth=2");
            }
            if (n.id().equals(start)) {
                style = style.isEmpty() ? "bold" : style + ",bold";
            }
            if (!style.isEmpty()) {
                out.append(", style=\"").append(style).append('"');
            }
            out.append("];\n");
        }
        for (LineageEdge e : edges) {
            out.append("  ").append(dotString(key(e.from()))).append(" -> ").append(dotString(key(e.to())))
                    .append(" [label=").append(dotString(e.label())).append("];\n");
        }
        return out.append("}\n").toString();
    }

    /**
     * A Mermaid {@code flowchart LR}: node ids are generated ({@code n0}, {@code n1}, … in node order),
     * labels are quoted with every character outside a plain set written as a Mermaid entity code
     * ({@code #35;}), shapes follow the kind, and Production versions get the {@code production} class.
     */
    public String toMermaid() {
        Map<NodeId, String> names = new HashMap<>();
        StringBuilder out = new StringBuilder("flowchart LR\n");
        for (int i = 0; i < nodes.size(); i++) {
            LineageNode n = nodes.get(i);
            String name = "n" + i;
            names.put(n.id(), name);
            String[] shape = mermaidShape(n.kind());
            out.append("  ").append(name).append(shape[0]).append('"').append(mermaidText(caption(n))).append('"')
                    .append(shape[1]).append('\n');
        }
        for (LineageEdge e : edges) {
            out.append("  ").append(names.get(e.from())).append(" -->|\"").append(mermaidText(e.label())).append("\"| ")
                    .append(names.get(e.to())).append('\n');
        }
        out.append("  classDef production fill:").append(PRODUCTION_FILL).append(",stroke:").append(PRODUCTION_STROKE)
                .append(",stroke-width:2px\n");
        out.append("  classDef start stroke-width:3px\n");
        for (LineageNode n : nodes) {
            if (n.isIn(Stage.PRODUCTION)) {
                out.append("  class ").append(names.get(n.id())).append(" production\n");
            }
        }
        out.append("  class ").append(names.get(start)).append(" start\n");
        return out.toString();
    }

    private static String key(NodeId id) {
        return id.kind().key() + ":" + id.id();
    }

    /** The label, with the stage on a second line for versions whose stage is known. */
    private static String caption(LineageNode n) {
        return n.stage().map(s -> n.label() + "\n" + s).orElse(n.label());
    }

    private static String dotShape(NodeKind kind) {
        return switch (kind) {
            case VERSION -> "box";
            case RUN -> "ellipse";
            case CODE -> "note";
            case DATASET -> "cylinder";
            case IMAGE -> "box3d";
            case ENVIRONMENT -> "component";
        };
    }

    /** Opening and closing brackets of each kind's Mermaid shape. */
    private static String[] mermaidShape(NodeKind kind) {
        return switch (kind) {
            case VERSION -> new String[] {"(", ")"};
            case RUN -> new String[] {"([", "])"};
            case CODE -> new String[] {"[[", "]]"};
            case DATASET -> new String[] {"[(", ")]"};
            case IMAGE -> new String[] {"{{", "}}"};
            case ENVIRONMENT -> new String[] {"[/", "/]"};
        };
    }

    /**
     * A DOT double-quoted string. Backslash and quote are escaped; a line break becomes DOT's {@code \n}
     * (a centred line break in labels); other control characters are dropped.
     */
    static String dotString(String text) {
        StringBuilder out = new StringBuilder(text.length() + 2).append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                default -> {
                    if (c >= 0x20 && c != 0x7f) {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }

    /**
     * Text inside a quoted Mermaid label. Letters, digits, space and {@code ._:/@=+,-*~!?$%'} stay as they
     * are; a line break becomes {@code <br/>}; other control characters are dropped; everything else
     * (quotes, brackets, {@code <>}, {@code #}, {@code ;}, {@code |}, non-ASCII) becomes an entity code
     * such as {@code #34;}, which Mermaid renders as the character. So {@code -->} becomes
     * {@code --#62;} and cannot start an edge.
     */
    static String mermaidText(String text) {
        StringBuilder out = new StringBuilder(text.length());
        text.codePoints().forEach(c -> {
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || " ._:/@=+,-*~!?$%'".indexOf(c) >= 0) {
                out.append((char) c);
            } else if (c == '\n') {
                out.append("<br/>");
            } else if (c >= 0x20 && c != 0x7f) {
                out.append('#').append(c).append(';');
            }
        });
        return out.toString();
    }
}
