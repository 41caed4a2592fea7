package dev.weft.proxy;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.google.protobuf.Any;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The proxy's package rules: packages follow the request's path without cycles (a package and its sub-packages
 * count as one, so {@code upstream.lb} belongs to {@code upstream}), filters see the connection manager only
 * through {@code StreamFilterCallbacks}, route tables know no filter, the data plane uses no other Weft module but
 * {@code api}, the wire contracts it shares with the control plane, and no Jackson.
 */
class ArchitectureTest {

    private static final JavaClasses PROXY = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("dev.weft.proxy");

    @Test
    void packagesHaveNoCycles() {
        slices().matching("dev.weft.proxy.(*)..").should().beFreeOfCycles().check(PROXY);
    }

    @Test
    void filtersDoNotReachIntoTheConnectionManager() {
        noClasses().that().resideInAPackage("dev.weft.proxy.filter..")
                .should().dependOnClassesThat().resideInAPackage("dev.weft.proxy.http..").check(PROXY);
    }

    @Test
    void routeTablesKnowNoFilter() {
        noClasses().that().resideInAPackage("dev.weft.proxy.router..")
                .should().dependOnClassesThat().resideInAPackage("dev.weft.proxy.filter..").check(PROXY);
    }

    /** Jackson's ~500 classes cost a proxy some 7 MB: its JSON is Gson's (protobuf loads it), YAML SnakeYAML's. */
    @Test
    void theProxyUsesNoJackson() {
        noClasses().that().resideInAPackage("dev.weft.proxy..")
                .should().dependOnClassesThat().resideInAPackage("com.fasterxml..").check(PROXY);
    }

    /** Any.is(Class) and Any.unpack(Class) build protobuf's reflection accessors of the type ({@code MessageType}). */
    @Test
    void theProxyUnpacksAnyByTypeUrlAndParser() {
        noClasses().that().resideInAPackage("dev.weft.proxy..")
                .should().callMethod(Any.class, "is", Class.class)
                .orShould().callMethod(Any.class, "unpack", Class.class).check(PROXY);
    }

    @Test
    void theProxyUsesNoOtherWeftModule() {
        noClasses().that().resideInAPackage("dev.weft.proxy..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.weft.model..", "dev.weft.xds..",
                        "dev.weft.controlplane..", "dev.weft.cli..", "dev.weft.examples..", "dev.weft.testing..",
                        "dev.weft.bench..", "dev.weft.e2e..")
                .check(PROXY);
    }
}
