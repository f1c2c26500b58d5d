package dev.modelregistry.event;

import dev.modelregistry.SemVer;
import dev.modelregistry.Stage;
import dev.modelregistry.gate.GateReport;

/**
 * A promotion that waits on pending gates (manual approvals) became an open request; its id is this
 * entry's sequence number. The report shows which gates passed and which are pending.
 */
public record PromotionRequested(SemVer version, Stage from, Stage to, GateReport report) implements RegistryEvent {
}
