package dev.modelregistry;


/** A promotion refused by a failed gate, with the report: the decision is part of the audit trail. */
public record PromotionRejected(SemVer version, Stage from, Stage to, GateReport report) implements RegistryEvent {
}
