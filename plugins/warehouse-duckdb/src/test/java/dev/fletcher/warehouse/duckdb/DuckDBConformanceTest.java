package dev.fletcher.warehouse.duckdb;

import dev.fletcher.conformance.warehouse.WarehouseConformanceTest;
import dev.fletcher.spi.PluginConfig;
import dev.fletcher.spi.warehouse.Warehouse;
import java.nio.file.Path;
import java.util.Map;

class DuckDBConformanceTest extends WarehouseConformanceTest {
    @Override
    protected Warehouse createWarehouse(Path dataDir) {
        return new DuckDBWarehouseFactory().create(new PluginConfig("conformance", Map.of(), dataDir));
    }

    @Override
    protected String pluginName() {
        return "duckdb";
    }
}
