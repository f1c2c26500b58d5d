/**
 * The engine behind {@link dev.modelregistry.ModelRegistry}: not API. Public types here are public
 * only so that the engine's own packages can reach each other; nothing outside registry-core may use
 * them, and the API packages never name them. {@code DefaultModelRegistry} is the facade;
 * {@code internal.engine} holds the commit loop ({@code ModelLog}) and the pure planners;
 * {@code internal.read}, {@code internal.lineage}, {@code internal.artifacts} and
 * {@code internal.verify} the read side; {@code internal.gate} the gate runner; {@code internal.util}
 * the leaf helpers every package may use. See {@code docs/architecture.md}.
 */
package dev.modelregistry.internal;
