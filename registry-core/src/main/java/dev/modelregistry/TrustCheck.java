package dev.modelregistry;

import java.util.List;

/**
 * The verdict of a {@link TrustPolicy} on one version for one stage.
 *
 * @param required    how many valid signatures the stage needs (0: none required)
 * @param validKeys   the keys whose signatures verified, each counted once
 * @param missingKeys eligible keys with no valid signature
 * @param problems    every signature that did not count, and why (untrusted key, altered version, bad signature)
 */
public record TrustCheck(ModelName model, SemVer version, Stage stage, int required, List<String> validKeys,
                         List<String> missingKeys, List<String> problems) {
    public TrustCheck {
        validKeys = List.copyOf(validKeys);
        missingKeys = List.copyOf(missingKeys);
        problems = List.copyOf(problems);
    }

    public boolean satisfied() {
        return validKeys.size() >= required;
    }

    /** One paragraph naming what is missing or invalid, for messages and gate reports. */
    public String summary() {
        StringBuilder out = new StringBuilder(model + "@" + version + " for " + stage + ": ");
        if (required == 0) {
            return out.append("no signature required").toString();
        }
        out.append(validKeys.size()).append(" of ").append(required).append(" required valid signature(s)");
        if (!validKeys.isEmpty()) {
            out.append(" (by ").append(String.join(", ", validKeys)).append(')');
        }
        if (!satisfied()) {
            out.append("; no valid signature by ").append(missingKeys);
        }
        for (String p : problems) {
            out.append("; ").append(p);
        }
        return out.toString();
    }
}
