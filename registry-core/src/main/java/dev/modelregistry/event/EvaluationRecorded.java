package dev.modelregistry.event;

import dev.modelregistry.Evaluation;
import dev.modelregistry.SemVer;

/** An evaluation of a version on one evaluation set, recorded after registration (append-only). */
public record EvaluationRecorded(SemVer version, Evaluation evaluation) implements RegistryEvent {
}
