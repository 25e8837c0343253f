package io.taskbound;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The shape of {@code core}: the public API is the package {@code io.taskbound} and depends on no
 * engine package; the engine's packages form no cycle; Spring Boot stays in the auto-configuration
 * module.
 */
class ArchitectureTest {

    private final JavaClasses core = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.taskbound");

    @Test
    void coreDoesNotDependOnSpringBoot() {
        noClasses()
                .should()
                .dependOnClassesThat()
                .resideInAPackage("org.springframework.boot..")
                .because("the engine must run without Spring Boot; Boot integration lives in autoconfigure")
                .check(core);
    }

    @Test
    void thePublicApiDependsOnNoEnginePackage() {
        noClasses()
                .that()
                .resideInAPackage("io.taskbound")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("io.taskbound.*..")
                .because("io.taskbound is what users write against; the engine depends on it, never the reverse")
                .check(core);
    }

    @Test
    void theEnginePackagesFormNoCycles() {
        slices().matching("io.taskbound.(*)..")
                .should()
                .beFreeOfCycles()
                .because("each engine package is one concept, built on the ones below it")
                .check(core);
    }
}
