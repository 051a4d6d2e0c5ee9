package org.govind.core;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The direction of dependencies, checked on the compiled main classes of all four modules:
 * base (core, util, schema) ← infrastructure (spark, pii, rules, store, airflow) ← jobs (ingest, gold,
 * rating, publish, generate, reports) ← cli. Within the jobs, a package may use one upstream of
 * it (publish reads rating), never the reverse, and no two packages import each other.
 * docs/architecture.md draws the same picture.
 */
class ArchitectureTest {
    private static JavaClasses classes;

    @BeforeAll
    static void load() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("org.govind");
        // all four modules are on the class path: a rule over an empty import would pass for nothing
        for (String c : new String[] {"org.govind.cli.Main", "org.govind.reports.Texts", "org.govind.schema.Schemas", "org.govind.core.ExitCode",
                "org.govind.airflow.AirflowClient"})
            org.junit.jupiter.api.Assertions.assertTrue(classes.contain(c), c + " not imported");
    }

    @Test
    void layersPointOneWay() {
        layeredArchitecture().consideringOnlyDependenciesInAnyPackage("org.govind..")
                .layer("base").definedBy("org.govind.core..", "org.govind.util..", "org.govind.schema..")
                .layer("infrastructure").definedBy("org.govind.spark..", "org.govind.pii..", "org.govind.rules..", "org.govind.store..",
                        "org.govind.airflow..")
                .layer("jobs").definedBy("org.govind.ingest..", "org.govind.gold..", "org.govind.rating..", "org.govind.publish..",
                        "org.govind.generate..", "org.govind.reports..", "org.govind.analyst..")
                .layer("cli").definedBy("org.govind.cli..")
                .whereLayer("cli").mayNotBeAccessedByAnyLayer()
                .whereLayer("jobs").mayOnlyBeAccessedByLayers("cli")
                .whereLayer("infrastructure").mayOnlyBeAccessedByLayers("jobs", "cli")
                .check(classes);
    }

    @Test
    void noPackageCycles() {
        slices().matching("org.govind.(*)..").should().beFreeOfCycles().check(classes);
    }

    @Test
    void jobsUseOnlyWhatIsUpstreamOfThem() {
        // landing → bronze/silver (ingest) → gold (compute) → ratings and lists (rating) → publication (publish)
        noClasses().that().resideInAPackage("org.govind.ingest..").should().dependOnClassesThat()
                .resideInAnyPackage("org.govind.gold..", "org.govind.rating..", "org.govind.publish..", "org.govind.generate..").check(classes);
        noClasses().that().resideInAPackage("org.govind.gold..").should().dependOnClassesThat()
                .resideInAnyPackage("org.govind.ingest..", "org.govind.rating..", "org.govind.publish..").check(classes);
        noClasses().that().resideInAPackage("org.govind.rating..").should().dependOnClassesThat()
                .resideInAnyPackage("org.govind.ingest..", "org.govind.publish..").check(classes);
        noClasses().that().resideInAPackage("org.govind.generate..").should().dependOnClassesThat()
                .resideInAnyPackage("org.govind.ingest..", "org.govind.gold..", "org.govind.rating..", "org.govind.publish..").check(classes);
    }

    @Test
    void rendererHasNoSparkAndBaseHasNoWarehouse() {
        noClasses().that().resideInAPackage("org.govind.reports..").should().dependOnClassesThat()
                .resideInAnyPackage("org.apache.spark..", "io.delta..").check(classes);
        noClasses().that().resideInAnyPackage("org.govind.core..", "org.govind.util..", "org.govind.schema..").should().dependOnClassesThat()
                .resideInAnyPackage("io.delta..").check(classes);
    }
}
