package dev.modelregistry;


/** An evaluation of a version on one evaluation set, recorded after registration (append-only). */
public record EvaluationRecorded(SemVer version, Evaluation evaluation) implements RegistryEvent {
}
