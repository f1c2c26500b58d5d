package dev.modelregistry;

import static dev.modelregistry.LineageGraphTest.GRAPH;
import static dev.modelregistry.LineageGraphTest.TRANSACTIONS;
import static dev.modelregistry.LineageGraphTest.v;
import static dev.modelregistry.Versions.version;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@DisplayName("Lineage pictures")
class LineagePicturesTest {
    /** Quotes, a newline, a Mermaid arrow, brackets, a DOT edge and a comment marker, all in one run id. */
    static final String HOSTILE = "evil\" -> \"x\" [label=pwn]\n--> n0[\"boom\"] {a} (b) |c| #d; <e> \\";

    static final LineageGraph HOSTILE_GRAPH = LineageGraph.build(
            List.of(version("victim", "1.0.0").run(HOSTILE).build()), v -> Stage.PRODUCTION);

    static LineageSubgraph impactOfTransactions(LineageQuery query) {
        NodeId start = NodeId.dataset(TRANSACTIONS);
        return GRAPH.subgraph(start, GRAPH.downstream(start, query));
    }

    static LineageSubgraph hostile() {
        NodeId start = NodeId.run(HOSTILE);
        return HOSTILE_GRAPH.subgraph(start, HOSTILE_GRAPH.downstream(start, LineageQuery.unlimited()));
    }

    @Nested
    @DisplayName("a subgraph")
    class Subgraph {
        @Test
        @DisplayName("holds the start, the results and everything on their paths, even versions the stage filter hid")
        void spans() {
            LineageSubgraph sub = impactOfTransactions(LineageQuery.inStages(Stage.PRODUCTION));

            assertThat(sub.start()).isEqualTo(NodeId.dataset(TRANSACTIONS));
            assertThat(sub.nodes()).extracting(LineageNode::id).containsExactlyInAnyOrder(
                    NodeId.dataset(TRANSACTIONS), v("fraud-base", "1.0.0"), v("fraud-eu", "1.0.0"), v("fraud-edge", "2.0.0"));
            assertThat(sub.edges()).hasSize(3);
        }

        @Test
        @DisplayName("refuses results of another graph")
        void foreign() {
            NodeId start = NodeId.dataset(TRANSACTIONS);
            List<LineageResult> results = GRAPH.downstream(start, LineageQuery.unlimited());
            LineageGraph other = LineageGraph.build(List.of(LineageGraphTest.BASE), x -> Stage.NONE);

            assertThatThrownBy(() -> other.subgraph(start, results)).isInstanceOf(ValidationException.class)
                    .hasMessageContaining("another graph");
        }
    }

    @Nested
    @DisplayName("in Graphviz DOT")
    class Dot {
        @Test
        @DisplayName("is a digraph with one quoted statement per node and edge, shapes per kind, Production highlighted")
        void structure() {
            String dot = impactOfTransactions(LineageQuery.unlimited()).toDot();

            assertThat(dot).startsWith("digraph lineage {\n").endsWith("}\n");
            assertThat(dot).contains("\"dataset:s3://lake/transactions@git:a1b2c3\" [label=\"s3://lake/transactions@git:a1b2c3\", shape=cylinder, style=\"bold\"];");
            assertThat(dot).contains("\"version:fraud-edge@2.0.0\" [label=\"fraud-edge@2.0.0\\nPRODUCTION\", shape=box, fillcolor=\"#c8f7c5\"");
            assertThat(dot).containsPattern("\"version:fraud-eu@1.0.0\" \\[label=\"fraud-eu@1.0.0\\\\nSTAGING\", shape=box, style=\"rounded\"\\];");
            assertThat(dot).contains("\"version:fraud-edge@2.0.0\" -> \"version:fraud-eu@1.0.0\" [label=\"derived from (distillation)\"];");
            assertThat(dot).contains("\"version:fraud-us@3.0.0\" -> \"dataset:s3://lake/transactions@git:a1b2c3\" [label=\"trained on\"];");
            assertThat(dot.lines().filter(l -> l.contains(" -> "))).hasSize(4);
            assertThat(dot.lines().filter(l -> l.contains("shape="))).hasSize(5);
        }

        @Test
        @DisplayName("escapes hostile labels so that every statement stays on one line with balanced quotes")
        void hostileLabels() {
            String dot = hostile().toDot();

            assertThat(dot.lines()).hasSize(4 + 2 + 1 + 1);
            dot.lines().forEach(line -> assertThat(unescapedQuotes(line) % 2).as(line).isZero());
            assertThat(dot).contains("\"run:evil\\\" -> \\\"x\\\" [label=pwn]\\n--> n0[\\\"boom\\\"] {a} (b) |c| #d; <e> \\\\\"");
        }

        private int unescapedQuotes(String line) {
            int count = 0;
            for (int i = 0; i < line.length(); i++) {
                if (line.charAt(i) == '\\') {
                    i++;
                } else if (line.charAt(i) == '"') {
                    count++;
                }
            }
            return count;
        }
    }

    @Nested
    @DisplayName("in Mermaid")
    class Mermaid {
        /** Label text: plain characters, entity codes such as {@code #34;} and line breaks, nothing else. */
        static final String LABEL = "\"(?:[A-Za-z0-9 ._:/@=+,*~!?$%'-]|#\\d+;|<br/>)*\"";
        static final Pattern NODE = Pattern.compile("  n\\d+(\\(|\\(\\[|\\[\\[|\\[\\(|\\{\\{|\\[/)" + LABEL
                + "(\\)|\\]\\)|\\]\\]|\\)\\]|\\}\\}|/\\])");
        static final Pattern EDGE = Pattern.compile("  n\\d+ -->\\|" + LABEL + "\\| n\\d+");
        static final Pattern CLASS = Pattern.compile("  (classDef \\w+ [\\w:#,-]+|class n\\d+ (production|start))");

        @Test
        @DisplayName("is a flowchart whose every line is a node, an edge or a class, with shapes per kind")
        void structure() {
            String mermaid = impactOfTransactions(LineageQuery.unlimited()).toMermaid();

            assertThat(mermaid).startsWith("flowchart LR\n");
            mermaid.lines().skip(1).forEach(line -> assertThat(NODE.matcher(line).matches() || EDGE.matcher(line).matches()
                    || CLASS.matcher(line).matches()).as(line).isTrue());
            assertThat(mermaid).contains("[(\"s3://lake/transactions@git:a1b2c3\")]");
            assertThat(mermaid).contains("(\"fraud-edge@2.0.0<br/>PRODUCTION\")");
            assertThat(mermaid).contains("-->|\"derived from (distillation)\"|".replace("(", "#40;").replace(")", "#41;"));
            assertThat(mermaid.lines().filter(l -> l.contains("-->"))).hasSize(4);
            assertThat(mermaid.lines().filter(l -> l.matches("  class n\\d+ production"))).hasSize(1);
        }

        @Test
        @DisplayName("writes hostile labels as entity codes, so no quote, bracket or arrow escapes the label")
        void hostileLabels() {
            String mermaid = hostile().toMermaid();

            mermaid.lines().skip(1).forEach(line -> assertThat(NODE.matcher(line).matches() || EDGE.matcher(line).matches()
                    || CLASS.matcher(line).matches()).as(line).isTrue());
            assertThat(mermaid.lines().filter(l -> l.contains("-->"))).hasSize(1);
            assertThat(mermaid).contains("([\"evil#34; -#62; #34;x#34; #91;label=pwn#93;<br/>--#62; n0#91;#34;boom#34;#93; "
                    + "#123;a#125; #40;b#41; #124;c#124; #35;d#59; #60;e#62; #92;\"])");
        }
    }
}
