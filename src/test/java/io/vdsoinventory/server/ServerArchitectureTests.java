package io.vdsoinventory.server;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The server's packages by capability: no two import each other, even through others, and the fleet's shared
 * vocabulary and the API support use no feature package, so that every feature may use them.
 */
class ServerArchitectureTests {

    private final JavaClasses server = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("io.vdsoinventory.server");

    @Test
    void serverPackagesAreFreeOfCycles() {
        slices().matching("io.vdsoinventory.server.(*)..").should().beFreeOfCycles().check(server);
    }

    @Test
    void theSharedVocabularyAndTheApiSupportDependOnNoFeature() {
        noClasses().that().resideInAnyPackage("io.vdsoinventory.server.fleet..", "io.vdsoinventory.server.api..")
                .should().dependOnClassesThat().resideInAnyPackage("io.vdsoinventory.server.detection..",
                        "io.vdsoinventory.server.findings..", "io.vdsoinventory.server.ingest..",
                        "io.vdsoinventory.server.inventory..", "io.vdsoinventory.server.metrics..",
                        "io.vdsoinventory.server.security..", "io.vdsoinventory.server.trust..",
                        "io.vdsoinventory.server.webhooks..")
                .check(server);
    }
}
