package dev.modelregistry;


/**
 * A promotion that waits on pending gates (manual approvals) became an open request; its id is this
 * entry's sequence number. The report shows which gates passed and which are pending.
 */
public record PromotionRequested(SemVer version, Stage from, Stage to, GateReport report) implements RegistryEvent {
}
