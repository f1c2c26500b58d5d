package dev.modelregistry;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A model card: the structured documentation of a version (after Mitchell et al., "Model Cards for
 * Model Reporting"). The standard sections have fields; anything else goes in {@code sections}.
 * Empty strings mean "not written". Section names used by policies are the lower-case, dash-joined
 * forms: {@code intended-use}, {@code limitations}, {@code ethical-considerations},
 * {@code training-data}, {@code evaluation}, {@code owners}, and the keys of {@code sections}.
 */
public record ModelCard(String intendedUse, String limitations, String ethicalConsiderations, String trainingData,
                        String evaluation, List<String> owners, Map<String, String> sections) {
    static final int MAX_SECTION_CHARS = 32 * 1024;

    public ModelCard {
        intendedUse = Names.checkText("intended use", intendedUse, MAX_SECTION_CHARS);
        limitations = Names.checkText("limitations", limitations, MAX_SECTION_CHARS);
        ethicalConsiderations = Names.checkText("ethical considerations", ethicalConsiderations, MAX_SECTION_CHARS);
        trainingData = Names.checkText("training data", trainingData, MAX_SECTION_CHARS);
        evaluation = Names.checkText("evaluation", evaluation, MAX_SECTION_CHARS);
        owners = owners == null ? List.of() : List.copyOf(owners);
        for (String o : owners) {
            Names.checkText("owner", o, Principal.MAX_NAME_LENGTH);
        }
        Map<String, String> s = new LinkedHashMap<>();
        if (sections != null) {
            sections.forEach((k, v) -> s.put(Names.check("model card section", k), Names.checkText("section " + k, v, MAX_SECTION_CHARS)));
        }
        sections = Collections.unmodifiableMap(s);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The written sections (non-blank), by their policy names, in card order. */
    public Map<String, String> writtenSections() {
        Map<String, String> out = new LinkedHashMap<>();
        put(out, "intended-use", intendedUse);
        put(out, "limitations", limitations);
        put(out, "ethical-considerations", ethicalConsiderations);
        put(out, "training-data", trainingData);
        put(out, "evaluation", evaluation);
        put(out, "owners", String.join(", ", owners));
        sections.forEach((k, v) -> put(out, k.toLowerCase(Locale.ROOT), v));
        return out;
    }

    /** True when the section (by policy name, case-insensitive) has text. */
    public boolean hasSection(String name) {
        return writtenSections().containsKey(name.toLowerCase(Locale.ROOT));
    }

    private static void put(Map<String, String> out, String name, String text) {
        if (text != null && !text.isBlank()) {
            out.put(name, text);
        }
    }

    /** The card as Markdown, with a heading for the version and one per written section. */
    public String toMarkdown(String title) {
        StringBuilder md = new StringBuilder("# Model card: ").append(title).append("\n");
        List<String[]> parts = new ArrayList<>();
        parts.add(new String[] {"Intended use", intendedUse});
        parts.add(new String[] {"Limitations", limitations});
        parts.add(new String[] {"Ethical considerations", ethicalConsiderations});
        parts.add(new String[] {"Training data", trainingData});
        parts.add(new String[] {"Evaluation", evaluation});
        for (String[] p : parts) {
            if (!p[1].isBlank()) {
                md.append("\n## ").append(p[0]).append("\n\n").append(p[1].strip()).append("\n");
            }
        }
        if (!owners.isEmpty()) {
            md.append("\n## Owners\n\n");
            owners.forEach(o -> md.append("- ").append(o).append("\n"));
        }
        sections.forEach((k, v) -> {
            if (!v.isBlank()) {
                md.append("\n## ").append(k).append("\n\n").append(v.strip()).append("\n");
            }
        });
        return md.toString();
    }

    /** Builds a card section by section. */
    public static final class Builder {
        private String intendedUse = "";
        private String limitations = "";
        private String ethicalConsiderations = "";
        private String trainingData = "";
        private String evaluation = "";
        private final List<String> owners = new ArrayList<>();
        private final Map<String, String> sections = new LinkedHashMap<>();

        private Builder() {
        }

        public Builder intendedUse(String text) {
            this.intendedUse = text;
            return this;
        }

        public Builder limitations(String text) {
            this.limitations = text;
            return this;
        }

        public Builder ethicalConsiderations(String text) {
            this.ethicalConsiderations = text;
            return this;
        }

        public Builder trainingData(String text) {
            this.trainingData = text;
            return this;
        }

        public Builder evaluation(String text) {
            this.evaluation = text;
            return this;
        }

        public Builder owner(String owner) {
            owners.add(owner);
            return this;
        }

        public Builder section(String name, String text) {
            sections.put(name, text);
            return this;
        }

        public ModelCard build() {
            return new ModelCard(intendedUse, limitations, ethicalConsiderations, trainingData, evaluation, owners, sections);
        }
    }
}
