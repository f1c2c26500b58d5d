package dev.modelregistry;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * A validated model name: 1–128 characters from ASCII letters, digits, {@code .}, {@code _} and
 * {@code -}, starting with a letter or digit, never containing {@code ..}. Anything else (slashes,
 * whitespace, control or non-ASCII characters) is refused with {@link InvalidNameException}.
 */
public record ModelName(String value) implements Comparable<ModelName> {
    public ModelName {
        Names.check("model name", value);
    }

    @JsonCreator
    public static ModelName of(String value) {
        return new ModelName(value);
    }

    @Override
    public int compareTo(ModelName other) {
        return value.compareTo(other.value);
    }

    @JsonValue
    @Override
    public String toString() {
        return value;
    }
}
