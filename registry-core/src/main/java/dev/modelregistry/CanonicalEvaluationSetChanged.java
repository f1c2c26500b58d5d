package dev.modelregistry;


/** The model's locked evaluation set, which gates and comparisons use when they name none. */
public record CanonicalEvaluationSetChanged(DatasetRef dataset) implements RegistryEvent {
}
