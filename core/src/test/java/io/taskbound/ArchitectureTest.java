package io.taskbound;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The engine is plain Spring Framework: Spring Boot stays in the auto-configuration module. */
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
    void thePublicApiDoesNotDependOnTheEnginesInternals() {
        noClasses()
                .that()
                .resideInAPackage("io.taskbound")
                .and()
                .arePublic()
                .and()
                .areNotAssignableTo(TaskboundEngine.class)
                .and()
                .areNotAssignableTo(TaskboundSettings.class)
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "io.taskbound.run..",
                        "io.taskbound.cluster..",
                        "io.taskbound.loop..",
                        "io.taskbound.schedule..")
                .check(core);
    }
}
