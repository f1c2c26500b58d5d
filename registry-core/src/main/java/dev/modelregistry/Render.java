package dev.modelregistry;

import dev.modelregistry.internal.util.MessageText;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/** The table, Markdown and JSON plumbing shared by the reports of this package. */
final class Render {
    /** Sorted keys at every depth, no whitespace: the same report always gives the same bytes. */
    private static final ObjectMapper MAPPER = JsonMapper.builder().enable(JsonNodeFeature.WRITE_PROPERTIES_SORTED).build();

    private Render() {
    }

    static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    static String json(ObjectNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot write a report as JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** A plain-text table: columns padded to their widest cell, numbers (right) aligned right. */
    static String table(List<String> header, List<List<String>> rows, boolean[] right, String indent) {
        int[] width = new int[header.size()];
        for (int c = 0; c < width.length; c++) {
            width[c] = header.get(c).length();
            for (List<String> row : rows) {
                width[c] = Math.max(width[c], oneLine(row.get(c)).length());
            }
        }
        StringBuilder out = new StringBuilder();
        line(out, header, width, right, indent);
        StringBuilder rule = new StringBuilder();
        for (int c = 0; c < width.length; c++) {
            rule.append(c == 0 ? "" : "  ").append("-".repeat(width[c]));
        }
        out.append(indent).append(rule).append('\n');
        for (List<String> row : rows) {
            line(out, row, width, right, indent);
        }
        return out.toString();
    }

    private static void line(StringBuilder out, List<String> cells, int[] width, boolean[] right, String indent) {
        StringBuilder l = new StringBuilder(indent);
        for (int c = 0; c < width.length; c++) {
            String cell = oneLine(cells.get(c));
            String pad = " ".repeat(width[c] - cell.length());
            l.append(c == 0 ? "" : "  ").append(right[c] ? pad + cell : cell + pad);
        }
        out.append(l.toString().stripTrailing()).append('\n');
    }

    /** A GitHub-flavoured Markdown table; cells are escaped so no value can end a cell or a row. */
    static String markdownTable(List<String> header, List<List<String>> rows, boolean[] right) {
        StringBuilder out = new StringBuilder("|");
        for (String h : header) {
            out.append(' ').append(markdownCell(h)).append(" |");
        }
        out.append("\n|");
        for (boolean r : right) {
            out.append(r ? " ---: |" : " --- |");
        }
        out.append('\n');
        for (List<String> row : rows) {
            out.append('|');
            for (String cell : row) {
                out.append(' ').append(markdownCell(cell)).append(" |");
            }
            out.append('\n');
        }
        return out.toString();
    }

    static String markdownCell(String text) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '|' -> out.append("\\|");
                case '\\', '`', '*', '_', '[', ']', '<', '>' -> out.append('\\').append(c);
                case '\n' -> out.append("<br>");
                case '\r' -> { }
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    /** One line of text: line breaks shown as {@code \n} so a value cannot break a table row. */
    static String oneLine(String text) {
        return text.replace("\r", "").replace("\n", "\\n");
    }

    /** See {@link dev.modelregistry.internal.util.MessageText#quote}. */
    static String quote(String value) {
        return dev.modelregistry.internal.util.MessageText.quote(value);
    }
}
