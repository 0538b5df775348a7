package dev.fletcher.server.experiment;

import dev.fletcher.catalog.model.Catalog;
import dev.fletcher.catalog.model.Kind;
import dev.fletcher.server.arrow.ArrowMemory;
import dev.fletcher.server.catalog.CatalogService;
import dev.fletcher.server.catalog.UnknownObjectException;
import dev.fletcher.server.config.FletcherConfig;
import dev.fletcher.server.warehouse.Warehouses;
import dev.fletcher.spi.PluginConfig;
import dev.fletcher.spi.analysis.AnalysisFactories;
import dev.fletcher.spi.analysis.AnalysisOptions;
import dev.fletcher.spi.analysis.AnalysisRequest;
import dev.fletcher.spi.analysis.ExperimentAnalysis;
import dev.fletcher.spi.analysis.ExperimentResult;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.TreeMap;
import org.apache.arrow.memory.BufferAllocator;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** The configured analysis plugin ({@code fletcher.analysis.plugin}, {@code cuped} unless set), found by name. */
@ApplicationScoped
public class ExperimentAnalyses {
    private final CatalogService catalog;
    private final Warehouses warehouses;
    private final ArrowMemory memory;
    private final ExperimentAnalysis analysis;

    @Inject
    public ExperimentAnalyses(CatalogService catalog, Warehouses warehouses, ArrowMemory memory,
            FletcherConfig config, Config properties,
            @ConfigProperty(name = "fletcher.analysis.plugin", defaultValue = "cuped") String plugin) {
        this.catalog = catalog;
        this.warehouses = warehouses;
        this.memory = memory;
        this.analysis = AnalysisFactories.find(plugin).create(new PluginConfig("analysis", pluginProperties(properties),
                config.dataDir()));
    }

    /** Every {@code fletcher.analysis.<property>} but the plugin's name, with the prefix removed. */
    static Map<String, String> pluginProperties(Config properties) {
        String prefix = "fletcher.analysis.";
        Map<String, String> found = new TreeMap<>();
        for (String name : properties.getPropertyNames()) {
            if (name.startsWith(prefix) && !name.equals(prefix + "plugin")) {
                properties.getOptionalValue(name, String.class)
                        .ifPresent(value -> found.put(name.substring(prefix.length()), value));
            }
        }
        return found;
    }

    public ExperimentAnalysis plugin() {
        return analysis;
    }

    public ExperimentResult analyze(String experiment, AnalysisOptions options) {
        Catalog current = new Catalog(catalog.snapshot());
        if (current.experiment(experiment).isEmpty()) {
            throw new UnknownObjectException("there is no experiment named '" + experiment + "' in the catalog; apply"
                    + " one (kind: " + Kind.EXPERIMENT.id() + ") first");
        }
        try (BufferAllocator allocator = memory.child("experiment-" + experiment)) {
            return analysis.analyze(new AnalysisRequest(current, experiment, options, warehouses::get, allocator));
        }
    }

    @PreDestroy
    void close() {
        analysis.close();
    }
}
