/**
 * The lineage graph across all models: from a version back to the runs, code, images, environments,
 * dataset snapshots and parent versions it came from (upstream), and from any of those forward to every
 * version that used it, directly or through derived models (downstream impact).
 *
 * <p>Everything here is pure: a {@link dev.modelregistry.lineage.LineageGraph} is an immutable snapshot
 * built from {@link dev.modelregistry.ModelVersion}s and their current stages, with no access to a
 * registry or a backend, so the same code answers over any store. Pictures (Graphviz DOT, Mermaid) and
 * OpenLineage run events are rendered from the same data.
 */
package dev.modelregistry.lineage;
