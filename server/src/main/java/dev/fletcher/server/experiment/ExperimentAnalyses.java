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
import org.apache.arrow.memory.BufferAllocator;
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
            FletcherConfig config, @ConfigProperty(name = "fletcher.analysis.plugin", defaultValue = "cuped") String plugin) {
        this.catalog = catalog;
        this.warehouses = warehouses;
        this.memory = memory;
        this.analysis = AnalysisFactories.find(plugin).create(new PluginConfig("analysis", Map.of(),
                config.dataDir()));
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
