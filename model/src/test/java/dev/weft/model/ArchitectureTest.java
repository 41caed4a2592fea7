package dev.weft.model;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The config model is the bottom of the build: it uses nothing of Weft outside itself. */
class ArchitectureTest {

    @Test
    void theModelUsesNothingElseOfWeft() {
        noClasses().that().resideInAPackage("dev.weft.model..")
                .should().dependOnClassesThat(resideInAPackage("dev.weft..").and(resideInAPackage("dev.weft.model..").negate()))
                .check(new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                        .importPackages("dev.weft.model"));
    }
}
