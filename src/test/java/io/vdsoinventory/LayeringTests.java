package io.vdsoinventory;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The libraries under the agent and the service: the ELF parser is plain Java (it parses untrusted bytes and is
 * fuzzed alone), and the wire records carry data and their validation only, no analysis.
 */
class LayeringTests {

    private final JavaClasses classes = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("io.vdsoinventory");

    @Test
    void elfDependsOnJavaOnly() {
        classes().that().resideInAPackage("io.vdsoinventory.elf..")
                .should().onlyDependOnClassesThat().resideInAnyPackage("java..", "io.vdsoinventory.elf..",
                        "org.jspecify.annotations..")
                .check(classes);
    }

    @Test
    void protocolHoldsWireRecordsOnly() {
        classes().that().resideInAPackage("io.vdsoinventory.protocol..")
                .should().onlyDependOnClassesThat().resideInAnyPackage("java..", "io.vdsoinventory.protocol..",
                        "jakarta.validation..", "org.jspecify.annotations..")
                .check(classes);
    }
}
