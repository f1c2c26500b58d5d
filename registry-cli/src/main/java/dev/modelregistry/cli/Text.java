package dev.modelregistry.cli;

import dev.modelregistry.AuditQuery;
import dev.modelregistry.LogEntry;
import dev.modelregistry.StageChanged;
import dev.modelregistry.VersionRegistered;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;

/** Plain-text formatting: aligned tables, times, numbers, one-line messages. */
final class Text {
    private Text() {
    }

    /** Columns padded to their widest cell, two spaces apart; trailing blanks trimmed. */
    static String table(List<String> headers, List<List<String>> rows) {
        int[] width = new int[headers.size()];
        List<List<String>> all = new ArrayList<>();
        all.add(headers);
        all.addAll(rows);
        for (List<String> row : all) {
            for (int i = 0; i < width.length; i++) {
                width[i] = Math.max(width[i], cell(row, i).length());
            }
        }
        StringBuilder out = new StringBuilder();
        for (List<String> row : all) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < width.length; i++) {
                String c = cell(row, i);
                line.append(c);
                if (i < width.length - 1) {
                    line.append(" ".repeat(width[i] - c.length() + 2));
                }
            }
            out.append(line.toString().stripTrailing()).append('\n');
        }
        return out.toString();
    }

    private static String cell(List<String> row, int i) {
        return i < row.size() && row.get(i) != null ? oneLine(row.get(i)) : "";
    }

    /** UTC, to the second: {@code 2026-11-26T17:42:21Z}. */
    static String time(Instant instant) {
        return instant == null ? "" : instant.truncatedTo(ChronoUnit.SECONDS).toString();
    }

    /** At most four decimals, no trailing zeros: {@code 0.912}, {@code 21}, {@code 0.0001}. */
    static String number(double value) {
        return BigDecimal.valueOf(value).setScale(4, RoundingMode.HALF_EVEN).stripTrailingZeros().toPlainString();
    }

    /** {@code a=1 b=2} from a map, in its order. */
    static String pairs(Map<String, ?> values) {
        StringJoiner j = new StringJoiner(" ");
        values.forEach((k, v) -> j.add(k + "=" + (v instanceof Double d ? number(d) : String.valueOf(v))));
        return j.toString();
    }

    /** A human size: {@code 512 B}, {@code 12.3 KiB}, {@code 1.5 GiB}. */
    static String bytes(long n) {
        if (n < 1024) {
            return n + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double v = n;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
    }

    /** Line breaks become "; " so one message stays on one line. */
    static String oneLine(String text) {
        if (text == null) {
            return "";
        }
        StringJoiner j = new StringJoiner("; ");
        text.lines().map(String::strip).filter(s -> !s.isEmpty()).forEach(j::add);
        return j.toString();
    }

    /**
     * An error message as it may reach a terminal: one line, with control characters, invisible
     * format characters (bidi overrides, zero-width characters, byte order marks) and line separators
     * written as <code>&#92;uXXXX</code>, as the library quotes values, so a hostile value can neither forge
     * a line nor hide or reorder what is shown.
     */
    static String safe(String message) {
        String line = oneLine(message);
        StringBuilder out = new StringBuilder(line.length());
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            int type = Character.getType(c);
            if (c < 0x20 || (c >= 0x7f && c < 0xa0) || type == Character.FORMAT || type == Character.LINE_SEPARATOR
                    || type == Character.PARAGRAPH_SEPARATOR || type == Character.SURROGATE && !validSurrogate(line, i)) {
                out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static boolean validSurrogate(String s, int i) {
        char c = s.charAt(i);
        if (Character.isHighSurrogate(c)) {
            return i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
        }
        return i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
    }

    /** What an entry did, in a few words: {@code StageChanged ROLLBACK 1.5.0 ARCHIVED->PRODUCTION}. */
    static String describe(LogEntry e) {
        if (e.event() instanceof StageChanged c) {
            return "StageChanged " + c.kind() + " " + c.version() + " " + c.from() + "->" + c.to();
        }
        if (e.event() instanceof VersionRegistered r) {
            return "VersionRegistered " + r.version().version();
        }
        String type = e.event().getClass().getSimpleName();
        return AuditQuery.versionOf(e).map(v -> type + " " + v).orElse(type);
    }
}
