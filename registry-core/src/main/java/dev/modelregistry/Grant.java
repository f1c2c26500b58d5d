package dev.modelregistry;

import dev.modelregistry.internal.util.MessageText;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One permission: an action, on models whose name matches a glob ({@code *} for any run of
 * characters, e.g. {@code fraud-*}), optionally only into some stages (empty = any stage).
 *
 * @param action       what is allowed
 * @param modelPattern which models, as a glob; {@code *} for all
 * @param stages       which target stages, for stage-scoped actions; empty for all
 */
public record Grant(Action action, String modelPattern, Set<Stage> stages) {
    public Grant {
        if (action == null) {
            throw new ValidationException("A grant needs an action");
        }
        modelPattern = modelPattern == null || modelPattern.isEmpty() ? "*" : modelPattern;
        if (!modelPattern.matches("[A-Za-z0-9._*-]{1,128}")) {
            throw new ValidationException("Invalid model pattern " + MessageText.quote(modelPattern) + ": use name characters and '*'");
        }
        if (stages == null) {
            stages = Set.of();
        } else {
            for (Stage s : stages) {
                if (s == null) {
                    throw new ValidationException("Grant of " + action + " on " + MessageText.quote(modelPattern)
                            + " names a null stage; leave the stages empty for any stage");
                }
            }
            stages = Set.copyOf(stages);
        }
    }

    public static Grant of(Action action) {
        return new Grant(action, "*", Set.of());
    }

    public static Grant of(Action action, String modelPattern, Stage... stages) {
        return new Grant(action, modelPattern, stages == null ? null : new HashSet<>(Arrays.asList(stages)));
    }

    /** True when this grant allows {@code action} on {@code model} (and into {@code stage}, when given). */
    public boolean allows(Action action, ModelName model, Stage stage) {
        if (this.action != action) {
            return false;
        }
        if (model != null && !globMatches(modelPattern, model.value())) {
            return false;
        }
        return stages.isEmpty() || stage == null || stages.contains(stage);
    }

    private static boolean globMatches(String glob, String value) {
        if (glob.equals("*")) {
            return true;
        }
        String[] literalParts = glob.split("\\*", -1);
        StringBuilder regex = new StringBuilder();
        for (int i = 0; i < literalParts.length; i++) {
            if (i > 0) {
                regex.append(".*");
            }
            regex.append(Pattern.quote(literalParts[i]));
        }
        return Pattern.matches(regex.toString(), value);
    }
}
