package dev.fletcher.spi.analysis;

import dev.fletcher.catalog.model.Catalog;
import dev.fletcher.spi.warehouse.Warehouse;
import java.util.Objects;
import java.util.function.Function;
import org.apache.arrow.memory.BufferAllocator;

/**
 * One analysis of a catalog experiment.
 *
 * @param warehouses the configured warehouse instance of a name (what a source's {@code warehouse:} says)
 * @param allocator  pays for the (few, small) result batches the warehouse returns
 */
public record AnalysisRequest(Catalog catalog, String experiment, AnalysisOptions options,
        Function<String, Warehouse> warehouses, BufferAllocator allocator) {
    public AnalysisRequest {
        Objects.requireNonNull(catalog, "catalog");
        Objects.requireNonNull(experiment, "experiment");
        Objects.requireNonNull(warehouses, "warehouses");
        Objects.requireNonNull(allocator, "allocator");
        options = options == null ? AnalysisOptions.DEFAULT : options;
    }
}
