package dev.modelregistry;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * A validated model name: 1–128 characters from ASCII letters, digits, {@code .}, {@code _} and
 * {@code -}, starting with a letter or digit, never containing {@code ..}. Anything else (slashes,
 * whitespace, control or non-ASCII characters) is refused with {@link InvalidNameException}.
 *
 * <p>One name outside those rules is reserved: {@link #SYSTEM}, the log of registry-wide facts
 * (gate and access policies, denials that concern no existing model). No model can take it.
 */
public record ModelName(String value) implements Comparable<ModelName> {
    private static final String SYSTEM_NAME = "_registry";

    /** The registry-wide log. */
    public static final ModelName SYSTEM = new ModelName(SYSTEM_NAME);

    public ModelName {
        if (!SYSTEM_NAME.equals(value)) {
            Names.check("model name", value);
        }
    }

    /** The model called {@code value}; the reserved system name is refused. */
    public static ModelName of(String value) {
        if (SYSTEM_NAME.equals(value)) {
            throw new InvalidNameException("Invalid model name \"" + value + "\": reserved for the registry's own log");
        }
        return new ModelName(value);
    }

    /** Reads stored names, including the reserved one. */
    @JsonCreator
    static ModelName fromJson(String value) {
        return new ModelName(value);
    }

    public boolean isSystem() {
        return SYSTEM_NAME.equals(value);
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
