package dev.modelregistry;


/** A model card attached to a version; a later one replaces it, and both stay in the log. */
public record ModelCardAttached(SemVer version, ModelCard card) implements RegistryEvent {
}
