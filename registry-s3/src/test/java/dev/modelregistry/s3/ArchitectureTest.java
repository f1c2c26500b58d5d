package dev.modelregistry.s3;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.Location;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** registry-s3's boundaries, checked on its main classes in every build; see docs/architecture.md. */
@DisplayName("registry-s3's classes")
class ArchitectureTest {
    /** The folder or jar S3Registry comes from: this module's main classes, not registry-core's nor the tests. */
    private static final JavaClasses MAIN = new ClassFileImporter()
            .importLocations(Set.of(Location.of(S3Registry.class.getProtectionDomain().getCodeSource().getLocation())));

    @Test
    @DisplayName("live in dev.modelregistry.s3, a package no other jar of the registry has")
    void ownPackage() {
        classes().should().resideInAPackage("dev.modelregistry.s3..").check(MAIN);
    }

    @Test
    @DisplayName("form no package cycle")
    void noPackageCycles() {
        slices().matching("(**)").should().beFreeOfCycles().check(MAIN);
    }

    @Test
    @DisplayName("use registry-core's API, and of its internals only internal.util")
    void noInternals() {
        noClasses().should().dependOnClassesThat(resideInAPackage("dev.modelregistry.internal..")
                .and(not(resideInAPackage("dev.modelregistry.internal.util")))).check(MAIN);
    }
}
