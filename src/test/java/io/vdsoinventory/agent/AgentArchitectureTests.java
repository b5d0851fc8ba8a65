package io.vdsoinventory.agent;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The agent side (agent commands and host reading) runs on every host without Spring. */
class AgentArchitectureTests {

    private final JavaClasses classes = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.vdsoinventory.agent", "io.vdsoinventory.host");

    @Test
    void agentAndHostNeverDependOnSpring() {
        noClasses().that().resideInAnyPackage("io.vdsoinventory.agent..", "io.vdsoinventory.host..")
                .should().dependOnClassesThat().resideInAnyPackage("org.springframework..")
                .check(classes);
    }

    @Test
    void agentAndHostNeverDependOnTheServer() {
        noClasses().that().resideInAnyPackage("io.vdsoinventory.agent..", "io.vdsoinventory.host..")
                .should().dependOnClassesThat().resideInAnyPackage("io.vdsoinventory.server..")
                .check(classes);
    }

    @Test
    void theDaemonNeverDependsOnTheCommandsAndTheSharedPartsOnNeither() {
        noClasses().that().resideInAPackage("io.vdsoinventory.agent.daemon..")
                .should().dependOnClassesThat().resideInAPackage("io.vdsoinventory.agent.commands..")
                .check(classes);
        noClasses().that().resideInAPackage("io.vdsoinventory.agent")
                .should().dependOnClassesThat().resideInAnyPackage("io.vdsoinventory.agent.commands..",
                        "io.vdsoinventory.agent.daemon..")
                .check(classes);
        slices().matching("io.vdsoinventory.agent.(**)").should().beFreeOfCycles().check(classes);
    }

    @Test
    void jnaStaysInsideHost() {
        noClasses().that().resideOutsideOfPackage("io.vdsoinventory.host..")
                .should().dependOnClassesThat().resideInAnyPackage("com.sun.jna..")
                .check(new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                        .importPackages("io.vdsoinventory"));
    }
}
