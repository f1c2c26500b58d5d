package dev.modelregistry;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Each rule of {@link ArchitectureTest} fails where it should: on {@code dev.modelregistry.archfixture},
 * a miniature registry that breaks every rule once.
 */
@DisplayName("the architecture rules")
class ArchitectureRulesTest {
    private static final String FIXTURE = "dev.modelregistry.archfixture";
    private static final JavaClasses BROKEN = new ClassFileImporter().importPackages(FIXTURE);

    private static String violations(ArchRule rule) {
        EvaluationResult result = rule.evaluate(BROKEN);
        assertThat(result.hasViolation()).as("violated: %s", rule.getDescription()).isTrue();
        return String.join("\n", result.getFailureReport().getDetails());
    }

    @Test
    @DisplayName("see a package cycle through the root package, which slices matching \"base.(*)..\" or \"base.(**)\" miss")
    void cycleThroughTheRoot() {
        assertThat(violations(ArchitectureRules.noPackageCycles()))
                .contains("Cycle detected: Slice " + FIXTURE + " -> \n")
                .contains("Slice " + FIXTURE + ".internal.engine -> \n");
        assertThat(slices().matching(FIXTURE + ".(*)..").should().beFreeOfCycles().evaluate(BROKEN).hasViolation()).isFalse();
        assertThat(slices().matching(FIXTURE + ".(**)").should().beFreeOfCycles().evaluate(BROKEN).hasViolation()).isFalse();
    }

    @Test
    @DisplayName("see the API package use the engine")
    void apiUsesAnInternal() {
        assertThat(violations(ArchitectureRules.apiUsesNoInternals(FIXTURE)))
                .contains("Method <" + FIXTURE + ".Api.engine()> has return type <" + FIXTURE + ".internal.engine.Engine>")
                .doesNotContain("internal.util");
    }

    @Test
    @DisplayName("see spi use another package than the root")
    void spiUsesServing() {
        assertThat(violations(ArchitectureRules.spiDependsOnTheRootOnly(FIXTURE)))
                .contains("Method <" + FIXTURE + ".spi.Capability.feature()> has return type <" + FIXTURE + ".serving.Feature>");
    }

    @Test
    @DisplayName("see internal.util use the root package")
    void utilUsesTheRoot() {
        assertThat(violations(ArchitectureRules.utilIsALeaf(FIXTURE)))
                .contains("Method <" + FIXTURE + ".internal.util.Quote.of(" + FIXTURE + ".Api)> has parameter of type <" + FIXTURE + ".Api>");
    }

    @Test
    @DisplayName("see the core name a backend")
    void coreNamesABackend() {
        assertThat(violations(ArchitectureRules.coreNamesNoBackendNorTool(FIXTURE)))
                .contains("Method <" + FIXTURE + ".Api.backend()> calls constructor <" + FIXTURE + ".sqlite.SqliteBackend.<init>()>");
    }

    @Test
    @DisplayName("see internal types in a public return type and in the type argument of a public field, internal.util included")
    void apiExposesInternals() {
        assertThat(violations(ArchitectureRules.apiSignaturesExposeNoInternals(FIXTURE)))
                .contains("Method <" + FIXTURE + ".Api.engine()> has in its signature " + FIXTURE + ".internal.engine.Engine")
                .contains("Field <" + FIXTURE + ".serving.Feature.quotes> has type " + FIXTURE + ".internal.util.Quote");
    }
}
