package dev.fletcher.server.experiment;

import static dev.fletcher.server.problem.Subject.ANALYSIS;

import dev.fletcher.catalog.model.Catalog;
import dev.fletcher.catalog.model.Kind;
import dev.fletcher.server.arrow.ArrowMemory;
import dev.fletcher.server.catalog.CatalogService;
import dev.fletcher.server.plugin.PluginInstances;
import dev.fletcher.server.problem.Reason;
import dev.fletcher.server.problem.RequestException;
import dev.fletcher.server.warehouse.Warehouses;
import dev.fletcher.spi.analysis.AnalysisOptions;
import dev.fletcher.spi.analysis.AnalysisRequest;
import dev.fletcher.spi.analysis.ExperimentAnalysis;
import dev.fletcher.spi.analysis.ExperimentResult;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.arrow.memory.BufferAllocator;

/** Experiments analysed by the analysis plugin that serves ({@code fletcher.analysis.plugin}). */
@ApplicationScoped
public class ExperimentAnalyses {
    private final CatalogService catalog;
    private final Warehouses warehouses;
    private final ArrowMemory memory;
    private final PluginInstances plugins;

    @Inject
    public ExperimentAnalyses(CatalogService catalog, Warehouses warehouses, ArrowMemory memory,
            PluginInstances plugins) {
        this.catalog = catalog;
        this.warehouses = warehouses;
        this.memory = memory;
        this.plugins = plugins;
    }

    public ExperimentAnalysis plugin() {
        return plugins.chosen(PluginInstances.ANALYSES);
    }

    public ExperimentResult analyze(String experiment, AnalysisOptions options) {
        Catalog current = catalog.catalog();
        if (current.experiment(experiment).isEmpty()) {
            throw new RequestException(Reason.NOT_FOUND, ANALYSIS, "there is no experiment named '" + experiment
                    + "' in the catalog; apply one (kind: " + Kind.EXPERIMENT.id() + ") first");
        }
        try (BufferAllocator allocator = memory.child("experiment-" + experiment)) {
            return plugin().analyze(new AnalysisRequest(current, experiment, options, warehouses::get, allocator));
        }
    }
}
