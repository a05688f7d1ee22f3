package dev.sparkgateway.architecture;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The package map of docs/architecture.md, enforced: dependencies between the gateway's top-level
 * packages point one way, and the lower layers know nothing of HTTP.
 */
class ArchitectureTest {

    private static final String ROOT = "dev.sparkgateway";

    static JavaClasses gateway;

    @BeforeAll
    static void importMainClasses() {
        gateway = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages(ROOT);
    }

    @Test
    void topLevelPackagesHaveNoCycles() {
        slices().matching(ROOT + ".(*)..").should().beFreeOfCycles().check(gateway);
    }

    @Test
    void errorsDependOnNoOtherGatewayPackage() {
        noClasses().that().resideInAPackage(ROOT + ".error..")
                .should().dependOnClassesThat(resideInAPackage(ROOT + "..").and(not(resideInAPackage(ROOT + ".error.."))))
                .check(gateway);
    }

    /** Spark transport, sessions, plans, results, statements and the catalog are usable without the REST layer. */
    @Test
    void lowerLayersKnowNothingOfTheHttpLayer() {
        noClasses().that().resideInAnyPackage(ROOT + ".connect..", ROOT + ".session..", ROOT + ".plan..",
                        ROOT + ".result..", ROOT + ".statement..", ROOT + ".query..", ROOT + ".error..", ROOT + ".types..",
                        ROOT + ".catalog..")
                .should().dependOnClassesThat().resideInAnyPackage(ROOT + ".api..", ROOT + ".auth..", ROOT + ".quota..")
                .check(gateway);
    }

    @Test
    void transportStartsNoServers() {
        noClasses().that().resideInAPackage(ROOT + ".connect..")
                .should().dependOnClassesThat().resideInAPackage(ROOT + ".embedded..")
                .check(gateway);
    }
}
