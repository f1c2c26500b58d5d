/**
 * Apples-to-apples comparison of model versions: a {@link dev.modelregistry.compare.MetricCatalog} that
 * knows which way each metric is better, a {@link dev.modelregistry.compare.ComparisonReport} of two
 * versions' evaluations on one exact evaluation set (deltas, verdicts, and the slices where the
 * candidate got worse), and a structural {@link dev.modelregistry.compare.VersionDiff} of everything
 * else that changed between two versions. Pure functions of their inputs; each renders as text,
 * Markdown and JSON.
 */
package dev.modelregistry.compare;
