package dev.modelregistry.event;

import dev.modelregistry.ModelVersion;
import dev.modelregistry.ValidationException;

/** A new immutable version, carried whole: semver, tags, artifact references, metadata. */
public record VersionRegistered(ModelVersion version) implements RegistryEvent {
    public VersionRegistered {
        if (version == null) {
            throw new ValidationException("VersionRegistered needs a version");
        }
    }
}
