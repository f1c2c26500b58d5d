package dev.modelregistry.event;

import dev.modelregistry.SemVer;
import dev.modelregistry.Stage;
import dev.modelregistry.gate.GateReport;

/** A promotion refused by a failed gate, with the report: the decision is part of the audit trail. */
public record PromotionRejected(SemVer version, Stage from, Stage to, GateReport report) implements RegistryEvent {
}
