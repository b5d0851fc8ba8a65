package io.vdsoinventory.elf;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The ELF reader parses untrusted bytes with nothing but the JDK: no JNA, no Spring, no other project package. */
class ElfArchitectureTests {

    @Test
    void elfDependsOnlyOnJavaAndItself() {
        JavaClasses elf = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.vdsoinventory.elf");

        classes().that().resideInAPackage("io.vdsoinventory.elf")
                .should().onlyDependOnClassesThat().resideInAnyPackage("java..", "io.vdsoinventory.elf")
                .check(elf);
    }
}
