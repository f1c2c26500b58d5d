package dev.modelregistry.spi;

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
}
