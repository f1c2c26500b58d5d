package dev.modelregistry;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * A lifecycle stage, named like a model name and normalised to upper case ({@code "canary"} and
 * {@code "CANARY"} are the same stage). Which stages exist, which are exclusive and which moves are
 * allowed is defined by a {@link Lifecycle}. {@link #NONE} is where every version starts.
 */
public record Stage(String name) {
    /** A registered version that has not entered any stage yet. */
    public static final Stage NONE = new Stage("NONE");
    public static final Stage STAGING = new Stage("STAGING");
    public static final Stage PRODUCTION = new Stage("PRODUCTION");
    public static final Stage ARCHIVED = new Stage("ARCHIVED");
    private static final Stage[] BUILT_IN = {NONE, STAGING, PRODUCTION, ARCHIVED};

    public Stage {
        Names.check("stage name", name);
        name = name.toUpperCase(Locale.ROOT);
    }

    /** The stage called {@code name}; the built-in stages come back as their single instances. */
    @JsonCreator
    public static Stage of(String name) {
        Stage stage = new Stage(name);
        for (Stage builtIn : BUILT_IN) {
            if (builtIn.name.equals(stage.name)) {
                return builtIn;
            }
        }
        return stage;
    }

    @JsonValue
    @Override
    public String toString() {
        return name;
    }
}
