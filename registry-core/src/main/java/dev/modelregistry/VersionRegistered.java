package dev.modelregistry;


/** A new immutable version, carried whole: semver, tags, artifact references, metadata. */
public record VersionRegistered(ModelVersion version) implements RegistryEvent {
    public VersionRegistered {
        if (version == null) {
            throw new ValidationException("VersionRegistered needs a version");
        }
    }
}
