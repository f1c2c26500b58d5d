package dev.modelregistry.testkit;

/**
 * The backend conformance suite: everything a backend must do, written once. A backend's test
 * extends this class and implements {@link #openBackend} in a few lines:
 *
 * <pre>{@code
 * class InMemoryConformanceTest extends RegistryConformanceTests {
 *     protected Backend openBackend(Path dir) {
 *         InMemoryEventStore events = new InMemoryEventStore();
 *         InMemoryArtifactStore artifacts = new InMemoryArtifactStore();
 *         return () -> ModelRegistry.builder().eventStore(events).artifactStore(artifacts);
 *     }
 * }
 * }</pre>
 *
 * The parts are a chain of abstract classes, each holding {@code @Nested} groups that read like a
 * specification: {@link CoreConformanceTests} (versions, lifecycle, rollback, audit, races) and
 * {@link GovernanceConformanceTests} (gates, requests and approvals, access control, model cards,
 * audit queries), {@link LineageConformanceTests} (provenance, lineage queries and pictures,
 * evaluations and comparison), {@link MissingModelConformanceTests} (the rule for a model that does
 * not exist, and resolving references) and {@link EdgeCaseConformanceTests} (empty values, access
 * policies from any list, a canonical evaluation set locked before the first version). Every test
 * goes through the public API only; nothing sleeps.
 */
public abstract class RegistryConformanceTests extends EdgeCaseConformanceTests {
}
