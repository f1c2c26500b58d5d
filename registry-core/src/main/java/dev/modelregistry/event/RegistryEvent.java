package dev.modelregistry.event;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * What happened, as recorded in a model's log. Each event is the change itself: the current state
 * of a model is a fold of its events, so nothing changes without leaving one.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = ModelCreated.class, name = "ModelCreated"),
        @JsonSubTypes.Type(value = VersionRegistered.class, name = "VersionRegistered"),
        @JsonSubTypes.Type(value = StageChanged.class, name = "StageChanged"),
})
public sealed interface RegistryEvent permits ModelCreated, VersionRegistered, StageChanged {
}
