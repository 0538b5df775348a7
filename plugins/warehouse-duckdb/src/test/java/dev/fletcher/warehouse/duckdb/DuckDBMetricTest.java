package dev.fletcher.warehouse.duckdb;

import dev.fletcher.conformance.engine.MetricConformanceTest;
import dev.fletcher.spi.PluginConfig;
import dev.fletcher.spi.warehouse.Warehouse;
import java.nio.file.Path;
import java.util.Map;

/** Metrics queries on DuckDB, in a database file under the test's temporary directory. */
class DuckDBMetricTest extends MetricConformanceTest {
    @Override
    protected Warehouse createWarehouse(Path dataDir) {
        return new DuckDBWarehouseFactory().create(new PluginConfig("conformance", Map.of(), dataDir));
    }
}
