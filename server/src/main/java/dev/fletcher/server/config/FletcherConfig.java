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

    /**
     * Warehouse plugin instances by name, {@code fletcher.warehouses.<name>.*}; none configured means one instance,
     * {@code default}, on the default warehouse plugin.
     */
    Map<String, PluginInstance> warehouses();

    /** The online store: {@code fletcher.online.plugin} picks the instance, {@code fletcher.online.<name>.*}. */
    PluginChoice online();

    Streams streams();

    /** The analysis plugin, as the online store is chosen; its properties may also sit right under the kind. */
    Analysis analysis();

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

        /** TLS for Flight and Flight SQL: both files set turns it on, and plaintext is no longer answered. */
        Tls tls();
    }

    interface Tls {
        /** The server's certificate chain, PEM. */
        Optional<Path> certificate();

        /** The certificate's private key, PEM (PKCS#8). */
        Optional<Path> key();
    }

    /** One plugin instance, {@code fletcher.<kind>.<name>.*}. */
    interface PluginInstance {
        /** The instance's plugin; unset, a warehouse is the default plugin and any other instance its namesake. */
        Optional<String> plugin();

        /** Every property of the instance ({@code url}, {@code user}, ...), handed to the plugin as is. */
        @WithParentName
        Map<String, String> properties();
    }

    /** A kind of plugin of which one instance serves. */
    interface PluginChoice {
        /** The instance that serves: its name, which is a plugin's name unless the instance names its plugin. */
        Optional<String> plugin();

        /** Instances by name; keys of the kind's own (such as {@code fletcher.online.schedules.*}) show up too. */
        @WithParentName
        Map<String, PluginInstance> instances();
    }

    interface Streams {
        /** Process the {@code stream:} of every online view's source (else those views are materialized in batch). */
        @WithDefault("false")
        boolean enabled();

        /** Stream plugin instances, {@code fletcher.streams.<name>.*}; a source's {@code stream.plugin} names one. */
        @WithParentName
        Map<String, PluginInstance> instances();
    }

    interface Analysis extends PluginChoice {
        /** Every {@code fletcher.analysis.*} key: the single words are the older way to set the plugin's properties. */
        @WithParentName
        Map<String, String> properties();
    }

    interface Example {
        /** Load the example data set and catalog at start. */
        @WithDefault("false")
        boolean enabled();
    }
}
