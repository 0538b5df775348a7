package dev.fletcher.server.config;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithParentName;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/** Fletcher's own configuration, every key under {@code fletcher.}. */
@ConfigMapping(prefix = "fletcher")
public interface FletcherConfig {
    /** Where every embedded default keeps its files. */
    @WithDefault("./fletcher-data")
    Path dataDir();

    Catalog catalog();

    Flight flight();

    /** Warehouse plugin instances by name; none configured means {@code default} on {@code duckdb}. */
    Map<String, WarehouseInstanceConfig> warehouses();

    Example example();

    interface Catalog {
        /** JDBC URL of the catalog database; an H2 file in the data dir when absent. */
        Optional<String> db();

        Optional<String> user();

        Optional<String> password();

        /** A YAML bundle file, or a folder of {@code *.yaml}/{@code *.yml} files, applied at start. */
        Optional<Path> load();

        /** The largest bundle {@code POST /api/v1/catalog/apply} accepts. */
        @WithDefault("4M")
        MemorySize maxBundleBytes();
    }

    interface Flight {
        /** Arrow Flight port; 0 picks a free one (tests). */
        @WithDefault("8815")
        int port();

        @WithDefault("0.0.0.0")
        String host();
    }

    interface WarehouseInstanceConfig {
        @WithDefault("duckdb")
        String plugin();

        /** Every property of the instance ({@code url}, {@code user}, ...), handed to the plugin as is. */
        @WithParentName
        Map<String, String> properties();
    }

    interface Example {
        /** Load the example data set and catalog at start. */
        @WithDefault("false")
        boolean enabled();
    }
}
