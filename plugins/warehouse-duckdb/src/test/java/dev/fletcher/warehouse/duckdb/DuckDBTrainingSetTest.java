package dev.fletcher.warehouse.duckdb;

import dev.fletcher.conformance.engine.TrainingSetConformanceTest;
import dev.fletcher.spi.PluginConfig;
import dev.fletcher.spi.warehouse.Warehouse;
import java.nio.file.Path;
import java.util.Map;

/** The point-in-time engine on DuckDB, in a database file under the test's temporary directory. */
class DuckDBTrainingSetTest extends TrainingSetConformanceTest {
    @Override
    protected Warehouse createWarehouse(Path dataDir) {
        return new DuckDBWarehouseFactory().create(new PluginConfig("conformance", Map.of(), dataDir));
    }
}
