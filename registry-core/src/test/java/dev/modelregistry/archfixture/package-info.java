/**
 * A miniature registry that breaks every rule of {@code ArchitectureRules} once, on purpose, so
 * that {@code ArchitectureRulesTest} can show each rule failing. Test code only: the real rules
 * import main classes alone.
 */
package dev.modelregistry.archfixture;
