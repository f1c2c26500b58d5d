package dev.modelregistry;

import static dev.modelregistry.internal.util.MessageText.quote;
import static dev.modelregistry.internal.util.MessageText.number;


/** Field rules shared by the gate specs, and message formatting shared by gates and the policy reader. */
final class Checks {
    static final int MAX_NAME_CHARS = 128;
    static final int MAX_TEXT_CHARS = 256;

    private Checks() {
    }

    /** A gate name: 1-128 characters on one line, without control characters. */
    static String name(String type, String field, String value) {
        return text(type, field, value, MAX_NAME_CHARS);
    }

    /** A metric, figure, role or section name: non-blank, one line, without control characters. */
    static String text(String type, String field, String value) {
        return text(type, field, value, MAX_TEXT_CHARS);
    }

    private static String text(String type, String field, String value, int max) {
        if (value == null) {
            throw PolicyException.field(type, field, "is required");
        }
        if (value.isBlank()) {
            throw PolicyException.field(type, field, "must not be blank");
        }
        if (value.length() > max) {
            throw PolicyException.field(type, field, "must be at most " + max + " characters, was " + value.length());
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                throw PolicyException.field(type, field, "must be one line without control characters, was " + quote(value));
            }
        }
        return value;
    }

    /** An optional evaluation set: empty, or a dataset id {@code uri@version} as {@link DatasetRef#id()} writes it. */
    static String evaluationSet(String type, String value) {
        if (value == null || value.isEmpty()) {
            return "";
        }
        try {
            return DatasetRef.parse(value).id();
        } catch (ValidationException e) {
            throw PolicyException.field(type, "evaluationSet", "must be a dataset id uri@version such as "
                    + "\"s3://data/holdout@v3\", was " + quote(value));
        }
    }

    static double finite(String type, String field, double value) {
        if (!Double.isFinite(value)) {
            throw PolicyException.field(type, field, "must be a finite number, was " + value);
        }
        return value;
    }

    static double nonNegative(String type, String field, double value) {
        finite(type, field, value);
        if (value < 0) {
            throw PolicyException.field(type, field, "must not be negative, was " + number(value));
        }
        return value;
    }


}
