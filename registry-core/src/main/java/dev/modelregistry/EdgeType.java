package dev.modelregistry;

/**
 * How a version relates to one of its inputs. Every edge points from a version to what it used, so
 * "upstream" follows edges and "downstream" follows them backwards.
 */
public enum EdgeType {
    /** Trained on a dataset snapshot. */
    TRAINED_ON("trained on"),
    /** Validated on an evaluation set (a dataset snapshot used for evaluation, not training). */
    EVALUATED_ON("evaluated on"),
    /** Produced by a training run. */
    PRODUCED_BY_RUN("produced by run"),
    /** Trained by code at a commit. */
    BUILT_FROM_CODE("built from code"),
    /** Trained in a container image. */
    RAN_IN_IMAGE("ran in image"),
    /** Trained with an environment file. */
    USES_ENVIRONMENT("uses environment"),
    /** Derived from a parent version (fine-tune, distillation, ensemble member, …). */
    DERIVED_FROM("derived from");

    private final String phrase;

    EdgeType(String phrase) {
        this.phrase = phrase;
    }

    /** Lower-case words for pictures and text, e.g. {@code trained on}. */
    public String phrase() {
        return phrase;
    }
}
