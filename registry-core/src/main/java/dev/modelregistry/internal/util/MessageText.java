package dev.modelregistry.internal.util;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Collection;
import java.util.stream.Collectors;

/**
 * How every part of the registry (core, extensions, backends) quotes a value in an error message:
 * in double quotes, with quotes, backslashes, control and non-ASCII characters escaped and long
 * values cut, so that a message can neither forge log lines nor hide characters.
 */
public final class MessageText {
    private static final int SHOWN = 200;

    private MessageText() {
    }

    public static String quote(String value) {
        if (value == null) {
            return "null";
        }
        StringBuilder out = new StringBuilder(Math.min(value.length(), SHOWN) + 2).append('"');
        int shown = Math.min(value.length(), SHOWN);
        for (int i = 0; i < shown; i++) {
            char c = value.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c >= 0x20 && c < 0x7f) {
                out.append(c);
            } else {
                out.append(String.format("\\u%04x", (int) c));
            }
        }
        if (value.length() > shown) {
            out.append("...(").append(value.length()).append(" chars)");
        }
        return out.append('"').toString();
    }

    /** A number as people write it: {@code 1000} rather than {@code 1000.0}, {@code 0.85} as is. */
    public static String number(double value) {
        if (!Double.isFinite(value)) {
            return Double.toString(value);
        }
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            return Long.toString((long) value);
        }
        // Twelve significant digits hide the rounding noise of a difference (0.12000000000000001)
        // while keeping every digit anyone writes in a threshold.
        BigDecimal rounded = new BigDecimal(value).round(new MathContext(12)).stripTrailingZeros();
        double magnitude = Math.abs(value);
        return magnitude >= 1e-6 && magnitude < 1e15 ? rounded.toPlainString() : rounded.toString();
    }

    /** Names for a message, sorted, in brackets: {@code [a, b]}. */
    public static String list(Collection<String> names) {
        return names.stream().sorted().collect(Collectors.joining(", ", "[", "]"));
    }
}
