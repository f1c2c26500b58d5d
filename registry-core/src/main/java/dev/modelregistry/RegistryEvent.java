package dev.modelregistry;

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
        @JsonSubTypes.Type(value = EvaluationRecorded.class, name = "EvaluationRecorded"),
        @JsonSubTypes.Type(value = ModelCardAttached.class, name = "ModelCardAttached"),
        @JsonSubTypes.Type(value = CanonicalEvaluationSetChanged.class, name = "CanonicalEvaluationSetChanged"),
        @JsonSubTypes.Type(value = PromotionRequested.class, name = "PromotionRequested"),
        @JsonSubTypes.Type(value = ApprovalRecorded.class, name = "ApprovalRecorded"),
        @JsonSubTypes.Type(value = RequestClosed.class, name = "RequestClosed"),
        @JsonSubTypes.Type(value = PromotionRejected.class, name = "PromotionRejected"),
        @JsonSubTypes.Type(value = AccessDenied.class, name = "AccessDenied"),
        @JsonSubTypes.Type(value = GatePolicyChanged.class, name = "GatePolicyChanged"),
        @JsonSubTypes.Type(value = AccessPolicyChanged.class, name = "AccessPolicyChanged"),
        @JsonSubTypes.Type(value = VersionSigned.class, name = "VersionSigned"),
        @JsonSubTypes.Type(value = TrustPolicyChanged.class, name = "TrustPolicyChanged"),
})
public sealed interface RegistryEvent permits ModelCreated, VersionRegistered, StageChanged, EvaluationRecorded, ModelCardAttached, CanonicalEvaluationSetChanged, PromotionRequested, ApprovalRecorded, RequestClosed, PromotionRejected, AccessDenied, GatePolicyChanged, AccessPolicyChanged, VersionSigned, TrustPolicyChanged {
}
