package dev.modelregistry;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.domain.JavaType;
import com.tngtech.archunit.core.domain.properties.HasModifiers;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import java.util.ArrayList;
import java.util.List;

/**
 * The package rules of registry-core (docs/architecture.md, "Rules the build enforces"), written
 * for a base package so that {@link ArchitectureRulesTest} can show each of them failing on a
 * miniature registry that breaks them all.
 */
final class ArchitectureRules {
    private ArchitectureRules() {
    }

    /**
     * Every package is a slice, the base package itself included: {@code "(**)"} captures a class's
     * whole package name. The usual {@code "base.(*).."} and {@code "base.(**)"} put no class of the
     * base package into any slice, so a cycle through the API package would pass unseen.
     */
    static ArchRule noPackageCycles() {
        return slices().matching("(**)").should().beFreeOfCycles()
                .as("every package, the root package included, should be free of cycles");
    }

    /** Everything outside {@code internal} is API (root, spi, serving, memory, fs): it reaches the engine only through ServiceLoader. */
    static ArchRule apiUsesNoInternals(String base) {
        return noClasses().that().resideOutsideOfPackage(base + ".internal..")
                .should().dependOnClassesThat(internalsButUtil(base))
                .because("the API finds the engine through java.util.ServiceLoader and may use only the leaf " + base + ".internal.util");
    }

    static ArchRule spiDependsOnTheRootOnly(String base) {
        return classes().that().resideInAPackage(base + ".spi")
                .should().onlyDependOnClassesThat().resideInAnyPackage(base, base + ".spi", "java..", "com.fasterxml.jackson..")
                .because("a backend capability is expressed in the API's value types only");
    }

    static ArchRule utilIsALeaf(String base) {
        return noClasses().that().resideInAPackage(base + ".internal.util")
                .should().dependOnClassesThat(resideInAPackage(base + "..").and(not(resideInAPackage(base + ".internal.util"))))
                .because("every package may use internal.util, so it may use none of them");
    }

    static ArchRule coreNamesNoBackendNorTool(String base) {
        return noClasses().should().dependOnClassesThat()
                .resideInAnyPackage(base + ".sqlite..", base + ".s3..", "..postgres..", base + ".testkit..", base + ".cli..")
                .because("backends, the testkit and the command line build on registry-core, never the reverse");
    }

    static ArchRule apiSignaturesExposeNoInternals(String base) {
        return classes().that().resideOutsideOfPackage(base + ".internal..")
                .should(exposeNoTypeThat(resideInAPackage(base + ".internal..")))
                .because("a user can name only what the API exports");
    }

    /** A public type's supertypes and public or protected members (fields, constructors, methods, with type arguments, bounds and throws clauses) name no {@code hidden} type. */
    private static ArchCondition<JavaClass> exposeNoTypeThat(DescribedPredicate<? super JavaClass> hidden) {
        return new ArchCondition<>("expose no type that " + hidden.getDescription() + " in a public signature") {
            @Override
            public void check(JavaClass type, ConditionEvents events) {
                if (!isReachable(type)) {
                    return;
                }
                List<JavaType> supertypes = new ArrayList<>(type.getInterfaces());
                type.getSuperclass().ifPresent(supertypes::add);
                report(type, type.getDescription() + " extends or implements", supertypes, hidden, events);
                type.getFields().stream().filter(ArchitectureRules::isVisible)
                        .forEach(f -> report(type, f.getDescription() + " has type", List.of(f.getType()), hidden, events));
                for (JavaCodeUnit unit : type.getCodeUnits()) {
                    if (!isVisible(unit)) {
                        continue;
                    }
                    List<JavaType> signature = new ArrayList<>(unit.getParameterTypes());
                    signature.add(unit.getReturnType());
                    signature.addAll(unit.getThrowsClause().getTypes());
                    unit.getTypeParameters().forEach(p -> signature.addAll(p.getBounds()));
                    report(type, unit.getDescription() + " has in its signature", signature, hidden, events);
                }
            }
        };
    }

    private static void report(JavaClass owner, String what, List<? extends JavaType> types, DescribedPredicate<? super JavaClass> hidden,
                               ConditionEvents events) {
        types.stream().flatMap(t -> t.getAllInvolvedRawTypes().stream()).filter(hidden).distinct()
                .forEach(t -> events.add(SimpleConditionEvent.violated(owner, what + " " + t.getName())));
    }

    /** Public, and nested only in public types. */
    private static boolean isReachable(JavaClass type) {
        return type.getModifiers().contains(JavaModifier.PUBLIC)
                && type.getEnclosingClass().map(ArchitectureRules::isReachable).orElse(true);
    }

    private static boolean isVisible(HasModifiers member) {
        return !member.getModifiers().contains(JavaModifier.SYNTHETIC)
                && (member.getModifiers().contains(JavaModifier.PUBLIC) || member.getModifiers().contains(JavaModifier.PROTECTED));
    }

    private static DescribedPredicate<JavaClass> internalsButUtil(String base) {
        return resideInAPackage(base + ".internal..").and(not(resideInAPackage(base + ".internal.util")))
                .as("reside in " + base + ".internal.. but not in " + base + ".internal.util");
    }
}
