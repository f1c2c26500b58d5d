package dev.modelregistry;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.Location;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The package boundaries of registry-core, checked on its main classes in every build
 * (docs/architecture.md); {@link ArchitectureRulesTest} shows each rule failing on a broken miniature.
 */
@DisplayName("registry-core's packages")
class ArchitectureTest {
    private static final String BASE = "dev.modelregistry";
    /** The folder or jar ModelRegistry comes from: registry-core's main classes, without its tests. */
    private static final JavaClasses MAIN = new ClassFileImporter()
            .importLocations(Set.of(Location.of(ModelRegistry.class.getProtectionDomain().getCodeSource().getLocation())));

    @Test
    @DisplayName("form no cycle, the root package included")
    void noPackageCycles() {
        ArchitectureRules.noPackageCycles().check(MAIN);
    }

    @Test
    @DisplayName("outside internal (the API, spi, serving and the bundled backends) use no internal package but internal.util")
    void apiUsesNoInternals() {
        ArchitectureRules.apiUsesNoInternals(BASE).check(MAIN);
    }

    @Test
    @DisplayName("spi depends on the root package only, besides the JDK and Jackson")
    void spiDependsOnTheRootOnly() {
        ArchitectureRules.spiDependsOnTheRootOnly(BASE).check(MAIN);
    }

    @Test
    @DisplayName("internal.util depends on no other package of the registry")
    void utilIsALeaf() {
        ArchitectureRules.utilIsALeaf(BASE).check(MAIN);
    }

    @Test
    @DisplayName("never name a backend, the testkit or the command line")
    void coreNamesNoBackendNorTool() {
        ArchitectureRules.coreNamesNoBackendNorTool(BASE).check(MAIN);
    }

    @Test
    @DisplayName("outside internal expose no internal type in a public or protected signature")
    void apiSignaturesExposeNoInternals() {
        ArchitectureRules.apiSignaturesExposeNoInternals(BASE).check(MAIN);
    }
}
