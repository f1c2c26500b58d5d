package dev.modelregistry;

import dev.modelregistry.internal.util.MessageText;

/**
 * The naming rules shared by model names, tags, stage names and label keys: 1–128 characters from
 * ASCII letters, digits, {@code .}, {@code _} and {@code -}, starting with a letter or digit. Keeping
 * names this plain means they are safe as file names, URL path segments and S3 keys without escaping,
 * and that no two names look alike.
 */
public final class Names {
    public static final int MAX_LENGTH = 128;

    private Names() {
    }

    public static String check(String kind, String value) {
        if (value == null) {
            throw new InvalidNameException("Invalid " + kind + " null: must be 1-" + MAX_LENGTH + " characters");
        }
        String problem = problem(value);
        if (problem != null) {
            throw new InvalidNameException("Invalid " + kind + " " + quote(value) + ": " + problem);
        }
        return value;
    }

    public static boolean isValid(String value) {
        return value != null && problem(value) == null;
    }

    private static String problem(String value) {
        if (value.isEmpty() || value.length() > MAX_LENGTH) {
            return "must be 1-" + MAX_LENGTH + " characters, was " + value.length();
        }
        char first = value.charAt(0);
        if (!isLetterOrDigit(first)) {
            return "must start with an ASCII letter or digit";
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (!isLetterOrDigit(c) && c != '.' && c != '_' && c != '-') {
                return "character " + describe(c) + " at index " + i
                        + " is not allowed (use ASCII letters, digits, '.', '_' or '-')";
            }
        }
        if (value.contains("..")) {
            return "must not contain \"..\"";
        }
        return null;
    }

    private static boolean isLetterOrDigit(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    }

    private static String describe(char c) {
        if (c >= 0x20 && c < 0x7f) {
            return "'" + c + "'";
        }
        return String.format("U+%04X", (int) c);
    }

    /** See {@link dev.modelregistry.internal.util.MessageText#quote}. */
    public static String quote(String value) {
        return dev.modelregistry.internal.util.MessageText.quote(value);
    }

    /** Free text (reasons, descriptions, label values): any length up to {@code max}, no control characters except tab and newline. */
    public static String checkText(String kind, String value, int max) {
        if (value == null) {
            return "";
        }
        if (value.length() > max) {
            throw new MetadataTooLargeException(kind + " is " + value.length() + " characters; the limit is " + max);
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if ((c < 0x20 && c != '\n' && c != '\t' && c != '\r') || c == 0x7f) {
                throw new ValidationException("Invalid " + kind + " " + quote(value) + ": control character "
                        + describe(c) + " at index " + i);
            }
        }
        return value;
    }
}
