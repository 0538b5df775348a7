package dev.fletcher.server;

import static org.assertj.core.api.Assertions.assertThat;
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
import dev.fletcher.spi.PluginFactory;
import dev.fletcher.spi.analysis.AnalysisFactory;
import dev.fletcher.spi.online.OnlineStoreFactory;
import dev.fletcher.spi.stream.StreamSourceFactory;
import dev.fletcher.spi.warehouse.Statement;
import dev.fletcher.spi.warehouse.WarehouseFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.Test;

/** The module boundaries, checked on the compiled classes of the server, catalog, SPI and the plugins. */
@AnalyzeClasses(packages = "dev.fletcher", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {
    /** Where plugins live: one package per plugin kind, one subpackage per plugin. */
    private static final String[] PLUGINS = {"dev.fletcher.warehouse..", "dev.fletcher.analysis..", "dev.fletcher.online..",
        "dev.fletcher.stream.."};

    @ArchTest
    static final ArchRule warehousePluginsSeeOnlyContracts = classes()
            .that().resideInAPackage("dev.fletcher.warehouse..")
            .should().onlyDependOnClassesThat(describe("outside Fletcher, or in the SPI, the catalog model or a"
                    + " warehouse plugin", target -> !target.getPackageName().startsWith("dev.fletcher.")
                    || inAny(target.getPackageName(), "dev.fletcher.spi", "dev.fletcher.catalog.model",
                            "dev.fletcher.catalog.syntax", "dev.fletcher.warehouse")))
            .because("a warehouse plugin sees contracts only (a dialect, sessions, Arrow), so a renderer change is"
                    + " never a plugin change")
            .allowEmptyShould(false);

    @ArchTest
    static final ArchRule noWarehousePluginDependsOnTheEngine = noClasses()
            .that().resideInAPackage("dev.fletcher.warehouse..")
            .should().dependOnClassesThat().resideInAPackage("dev.fletcher.engine..")
            .because("the engine plans and renders for a warehouse; the warehouse only runs what it is given")
            .allowEmptyShould(false);

    @ArchTest
    static final ArchRule analysisPluginsSeeContractsAndTheEngine = classes()
            .that().resideInAPackage("dev.fletcher.analysis..")
            .should().onlyDependOnClassesThat(describe("outside Fletcher, or in the SPI, the catalog model, the"
                    + " engine or an analysis plugin", target -> !target.getPackageName().startsWith("dev.fletcher.")
                    || inAny(target.getPackageName(), "dev.fletcher.spi", "dev.fletcher.catalog.model",
                            "dev.fletcher.catalog.syntax", "dev.fletcher.engine", "dev.fletcher.analysis")))
            .because("an analysis renders its sums through the engine and runs them on whatever warehouse it is given")
            .allowEmptyShould(false);

    @ArchTest
    static final ArchRule analysisPluginsDoNotImportWarehousePlugins = noClasses()
            .that().resideInAPackage("dev.fletcher.analysis..")
            .should().dependOnClassesThat().resideInAPackage("dev.fletcher.warehouse..")
            .because("an analysis runs on any warehouse, through the SPI")
            .allowEmptyShould(false);

    @ArchTest
    static final ArchRule analysisPluginsDoUseTheEngine = classes()
            .that().haveSimpleName("CupedAnalysis")
            .should().dependOnClassesThat().resideInAPackage("dev.fletcher.engine.sql..")
            .because("the rules above only mean something while the analysis does render through the engine")
            .allowEmptyShould(false);

    @ArchTest
    static final ArchRule onlineAndStreamPluginsSeeOnlyContracts = classes()
            .that().resideInAnyPackage("dev.fletcher.online..", "dev.fletcher.stream..")
            .should().onlyDependOnClassesThat(describe("outside Fletcher, or in the SPI, the catalog model or the"
                    + " plugin's own kind", target -> !target.getPackageName().startsWith("dev.fletcher.")
                    || inAny(target.getPackageName(), "dev.fletcher.spi", "dev.fletcher.catalog.model",
                            "dev.fletcher.online", "dev.fletcher.stream")))
            .because("a plugin is built against the SPI alone, so it can change and ship without the server")
            .allowEmptyShould(false);

    @ArchTest
    static final ArchRule theSpiHoldsContractsOnly = noClasses()
            .that().resideInAPackage("dev.fletcher.spi..")
            .should().dependOnClassesThat().resideInAnyPackage("dev.fletcher.engine..", "dev.fletcher.catalog.lang..",
                    "dev.fletcher.catalog.persistence..", "dev.fletcher.server..", "org.yaml..", "com.fasterxml..")
            .because("every plugin takes the SPI: it holds contracts and the catalog model, not an engine or a parser")
            .allowEmptyShould(false);

    @ArchTest
    static final ArchRule theEngineSeesOnlyTheModelAndTheSpi = noClasses()
            .that().resideInAPackage("dev.fletcher.engine..")
            .should().dependOnClassesThat().resideInAnyPackage("dev.fletcher.catalog.lang..",
                    "dev.fletcher.catalog.persistence..", "dev.fletcher.server..", "dev.fletcher.warehouse..",
                    "dev.fletcher.online..", "dev.fletcher.stream..", "dev.fletcher.analysis..")
            .because("the engine depends on the catalog model and the SPI contracts, and everything else on it")
            .allowEmptyShould(false);

    @ArchTest
    static final ArchRule noCyclesBetweenServerPackages = slices()
            .matching("dev.fletcher.server.(*)..")
            .should().beFreeOfCycles()
            .because("each of the server's rooms (catalog, online, metrics, flight...) leans on the ones below it")
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
            .that().resideOutsideOfPackages("dev.fletcher.warehouse..", "dev.fletcher.catalog.persistence..",
                    "dev.fletcher.cli..")
            .and().resideInAPackage("dev.fletcher..")
            .should().dependOnClassesThat().resideInAnyPackage("java.sql..", "javax.sql..")
            .because("SQL reaches a database only through a warehouse plugin (or the catalog's own store); the"
                    + " command line's embedded DuckDB only turns a downloaded training set into a Parquet file")
            .allowEmptyShould(false);

    @ArchTest
    static final ArchRule sqlIsWrittenOnlyByTheRenderingLayerAndWarehousePlugins = noClasses()
            .that().resideInAPackage("dev.fletcher..")
            .and().resideOutsideOfPackages("dev.fletcher.engine.sql..", "dev.fletcher.spi.warehouse..",
                    "dev.fletcher.warehouse..")
            .should().callConstructor(Statement.class, String.class, List.class)
            .orShould().callMethod(Statement.class, "of", String.class, Object[].class)
            .because("SQL text is rendered from the catalog's definitions in one place, so that request values can"
                    + " only ever travel as bind parameters and every warehouse gets the same queries")
            .allowEmptyShould(false);

    @ArchTest
    static final ArchRule theRenderingLayerDoesWriteSql = classes()
            .that().haveFullyQualifiedName("dev.fletcher.engine.sql.TrainingSetSql")
            .should().callConstructor(Statement.class, String.class, List.class)
            .orShould().callMethod(Statement.class, "of", String.class, Object[].class)
            .because("the rule above only means something while the rendering layer is what writes statements")
            .allowEmptyShould(false);

    @ArchTest
    static final ArchRule onlyArrowMemoryCreatesARootAllocator = noClasses()
            .that().resideInAnyPackage("dev.fletcher.server..", "dev.fletcher.catalog..", "dev.fletcher.spi..",
                    "dev.fletcher.engine..",
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
            .and().doNotHaveFullyQualifiedName("dev.fletcher.engine.plan.CalciteUserSql")
            .and().resideInAPackage("dev.fletcher..")
            .should().dependOnClassesThat().resideInAPackage("org.apache.calcite..")
            .because("Calcite is here for its SQL parser, which reads Flight SQL statements into metrics queries and"
                    + " checks that user SQL is one query; the engine plans and renders its SQL itself")
            .allowEmptyShould(false);

    @ArchTest
    static final ArchRule userSqlIsParsedWithCalcite = classes()
            .that().haveSimpleName("CalciteUserSql")
            .should().dependOnClassesThat().resideInAPackage("org.apache.calcite.sql.parser..")
            .because("the exception above only means something while the user SQL check does parse with it")
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

    /** The plugins Fletcher ships; any other plugin on the class path joins them. */
    private static final Set<String> PLUGIN_NAMES = Set.of("duckdb", "postgres", "snowflake", "bigquery",
            "redshift", "redis", "embedded", "kafka", "cuped");

    /**
     * Where a plugin's name is a word of the API rather than a plugin: the analysis request's and result's
     * {@code cuped} field (CONTRACT §6) names the method, whichever plugin computes it.
     */
    private static final Map<String, Set<String>> NAMED_FOR_ANOTHER_REASON = Map.of(
            "dev/fletcher/server/experiment/ExperimentResource.java", Set.of("cuped"));

    private static final Pattern STRING_LITERAL = Pattern.compile("\"((?:[^\"\\\\\n]|\\\\.)*)\"");

    @Test
    void theServerNamesNoPluginEvenAsAString() throws IOException {
        Set<String> names = new TreeSet<>(PLUGIN_NAMES);
        for (Class<? extends PluginFactory<?>> kind : List.of(WarehouseFactory.class, OnlineStoreFactory.class,
                StreamSourceFactory.class, AnalysisFactory.class)) {
            for (PluginFactory<?> plugin : ServiceLoader.load(kind)) {
                // the server's own tests register stand-ins, which are no plugins of a build
                if (!plugin.getClass().getPackageName().startsWith("dev.fletcher.server")) {
                    names.add(plugin.name().toLowerCase(Locale.ROOT));
                }
            }
        }
        Path sources = Path.of("src/main/java");
        List<String> found = new ArrayList<>();
        List<Path> files;
        try (Stream<Path> walk = Files.walk(sources)) {
            files = walk.filter(f -> f.toString().endsWith(".java")).sorted().toList();
        }
        for (Path file : files) {
            String relative = sources.relativize(file).toString().replace('\\', '/');
            Set<String> allowed = NAMED_FOR_ANOTHER_REASON.getOrDefault(relative, Set.of());
            List<String> lines = Files.readAllLines(file);
            for (int i = 0; i < lines.size(); i++) {
                Matcher literal = STRING_LITERAL.matcher(lines.get(i));
                while (literal.find()) {
                    String text = literal.group(1).toLowerCase(Locale.ROOT);
                    if (names.contains(text) && !allowed.contains(text)) {
                        found.add(relative + ":" + (i + 1) + " \"" + literal.group(1) + "\"");
                    }
                }
            }
        }
        assertThat(files).as("the server's sources are where this test looks").hasSizeGreaterThan(50);
        assertThat(names).as("the plugins of the build").contains("duckdb", "postgres", "redis", "embedded",
                "kafka", "cuped");
        assertThat(found).as("plugins are chosen by configuration and declare their own defaults (isDefault)")
                .isEmpty();
    }

    private static boolean inAny(String packageName, String... prefixes) {
        for (String prefix : prefixes) {
            if (packageName.equals(prefix) || packageName.startsWith(prefix + ".")) {
                return true;
            }
        }
        return false;
    }
}
