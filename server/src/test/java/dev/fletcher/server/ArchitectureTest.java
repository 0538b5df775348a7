package dev.fletcher.server;

import static com.tngtech.archunit.base.DescribedPredicate.alwaysTrue;
import static com.tngtech.archunit.base.DescribedPredicate.describe;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaConstructorCall;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import dev.fletcher.server.arrow.ArrowMemory;
import dev.fletcher.spi.warehouse.Statement;
import java.util.List;
import org.apache.arrow.memory.RootAllocator;

/** The module boundaries, checked on the compiled classes of the server, catalog, SPI and the plugins. */
@AnalyzeClasses(packages = "dev.fletcher", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {
    /** Where plugins live: one package per plugin kind, one subpackage per plugin. */
    private static final String[] PLUGINS = {"dev.fletcher.warehouse..", "dev.fletcher.analysis..", "dev.fletcher.online..",
        "dev.fletcher.stream.."};

    @ArchTest
    static final ArchRule pluginsSeeOnlyTheSpiAndTheCatalog = classes()
            .that().resideInAnyPackage(PLUGINS)
            .should().onlyDependOnClassesThat(describe("outside Fletcher, or in the SPI, the catalog model and plan"
                    + " or the plugin's own kind", target -> !target.getPackageName().startsWith("dev.fletcher.")
                    || target.getPackageName().startsWith("dev.fletcher.spi")
                    || target.getPackageName().startsWith("dev.fletcher.catalog.model")
                    || target.getPackageName().startsWith("dev.fletcher.catalog.plan")
                    || target.getPackageName().startsWith("dev.fletcher.warehouse")
                    || target.getPackageName().startsWith("dev.fletcher.analysis")
                    || target.getPackageName().startsWith("dev.fletcher.online")
                    || target.getPackageName().startsWith("dev.fletcher.stream")))
            .because("a plugin is built against the SPI alone, so it can change and ship without the server")
            .allowEmptyShould(false);

    @ArchTest
    static final ArchRule warehousePluginsDoNotDependOnEachOther = slices()
            .matching("dev.fletcher.warehouse.(*)..")
            .should().notDependOnEachOther()
            .ignoreDependency(alwaysTrue(), resideInAPackage("dev.fletcher.warehouse.jdbc.."))
            .because("each warehouse plugin stands alone and may be left out of a build; the JDBC base they share"
                    + " ships inside each of them")
            .allowEmptyShould(false);

    @ArchTest
    static final ArchRule onlineStorePluginsDoNotDependOnEachOther = slices()
            .matching("dev.fletcher.online.(*)..")
            .should().notDependOnEachOther()
            .because("each online store plugin stands alone and may be left out of a build")
            .allowEmptyShould(false);

    @ArchTest
    static final ArchRule streamPluginsDoNotDependOnEachOther = slices()
            .matching("dev.fletcher.stream.(*)..")
            .should().notDependOnEachOther()
            .because("each stream plugin stands alone and may be left out of a build")
            .allowEmptyShould(false);

    @ArchTest
    static final ArchRule onlineStorePluginsDoNotSeeWarehousePlugins = noClasses()
            .that().resideInAPackage("dev.fletcher.online..")
            .should().dependOnClassesThat().resideInAnyPackage("dev.fletcher.warehouse..", "dev.fletcher.stream..")
            .because("an online store reaches the warehouse and the streams only through the server")
            .allowEmptyShould(false);

    @ArchTest
    static final ArchRule streamPluginsSeeNeitherStoresNorWarehouses = noClasses()
            .that().resideInAPackage("dev.fletcher.stream..")
            .should().dependOnClassesThat().resideInAnyPackage("dev.fletcher.warehouse..", "dev.fletcher.online..")
            .because("a stream plugin hands records to the server, which keeps the state in the online store")
            .allowEmptyShould(false);

    @ArchTest
    static final ArchRule theServerNeverNamesAPluginClass = noClasses()
            .that().resideInAPackage("dev.fletcher.server..")
            .should().dependOnClassesThat().resideInAnyPackage(PLUGINS)
            .because("plugins are found with ServiceLoader and chosen by name in configuration")
            .allowEmptyShould(false);

    @ArchTest
    static final ArchRule jpaOnlyInCatalogPersistence = noClasses()
            .that().resideOutsideOfPackage("dev.fletcher.catalog.persistence..")
            .and().resideInAPackage("dev.fletcher..")
            .should().dependOnClassesThat().resideInAnyPackage("jakarta.persistence..", "org.hibernate..")
            .because("how the catalog is stored is the persistence package's business alone")
            .allowEmptyShould(false);

    @ArchTest
    static final ArchRule jdbcOnlyInWarehousePluginsAndCatalogPersistence = noClasses()
            .that().resideOutsideOfPackages("dev.fletcher.warehouse..", "dev.fletcher.catalog.persistence..")
            .and().resideInAPackage("dev.fletcher..")
            .should().dependOnClassesThat().resideInAnyPackage("java.sql..", "javax.sql..")
            .because("SQL reaches a database only through a warehouse plugin (or the catalog's own store)")
            .allowEmptyShould(false);

    @ArchTest
    static final ArchRule sqlIsWrittenOnlyByTheRenderingLayerAndWarehousePlugins = noClasses()
            .that().resideInAPackage("dev.fletcher..")
            .and().resideOutsideOfPackages("dev.fletcher.spi.sql..", "dev.fletcher.spi.warehouse..",
                    "dev.fletcher.warehouse..")
            .should().callConstructor(Statement.class, String.class, List.class)
            .orShould().callMethod(Statement.class, "of", String.class, Object[].class)
            .because("SQL text is rendered from the catalog's definitions in one place, so that request values can"
                    + " only ever travel as bind parameters and every warehouse gets the same queries")
            .allowEmptyShould(false);

    @ArchTest
    static final ArchRule theRenderingLayerDoesWriteSql = classes()
            .that().haveFullyQualifiedName("dev.fletcher.spi.sql.TrainingSetSql")
            .should().callConstructor(Statement.class, String.class, List.class)
            .orShould().callMethod(Statement.class, "of", String.class, Object[].class)
            .because("the rule above only means something while the rendering layer is what writes statements")
            .allowEmptyShould(false);

    @ArchTest
    static final ArchRule onlyArrowMemoryCreatesARootAllocator = noClasses()
            .that().resideInAnyPackage("dev.fletcher.server..", "dev.fletcher.catalog..", "dev.fletcher.spi..",
                    "dev.fletcher.warehouse..", "dev.fletcher.analysis..", "dev.fletcher.online..", "dev.fletcher.stream..")
            .and().doNotHaveFullyQualifiedName(ArrowMemory.class.getName())
            .should().callConstructorWhere(describe("a RootAllocator constructor",
                    (JavaConstructorCall call) -> call.getTargetOwner().isAssignableTo(RootAllocator.class)))
            .because("one root allocator owns all server memory: children name their owner and leaks show at"
                    + " shutdown")
            .allowEmptyShould(false);

    @ArchTest
    static final ArchRule arrowMemoryDoesCreateIt = classes()
            .that().haveFullyQualifiedName(ArrowMemory.class.getName())
            .should().callConstructorWhere(describe("a RootAllocator constructor",
                    (JavaConstructorCall call) -> call.getTargetOwner().isAssignableTo(RootAllocator.class)))
            .because("the rule above only means something while ArrowMemory is the one that does")
            .allowEmptyShould(false);

    @ArchTest
    static final ArchRule calciteOnlyReadsFlightSqlStatements = noClasses()
            .that().resideOutsideOfPackage("dev.fletcher.server.flightsql..")
            .and().resideInAPackage("dev.fletcher..")
            .should().dependOnClassesThat().resideInAPackage("org.apache.calcite..")
            .because("Calcite is here for its SQL parser, which reads Flight SQL statements into metrics queries; the"
                    + " engine plans and renders its SQL itself")
            .allowEmptyShould(false);

    @ArchTest
    static final ArchRule calciteIsUsedWhereItIsAllowed = classes()
            .that().haveSimpleName("MetricStatement")
            .should().dependOnClassesThat().resideInAPackage("org.apache.calcite.sql.parser..")
            .because("the rule above only means something while the statement reader does parse with it")
            .allowEmptyShould(false);

    @ArchTest
    static final ArchRule noCyclesBetweenModules = slices()
            .matching("dev.fletcher.(*)..")
            .should().beFreeOfCycles()
            .because("catalog, spi, warehouse plugins, server and sdk form a one-way stack")
            .allowEmptyShould(false);
}
