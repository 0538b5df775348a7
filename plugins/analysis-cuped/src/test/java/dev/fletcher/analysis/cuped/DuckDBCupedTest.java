package dev.fletcher.analysis.cuped;

import dev.fletcher.spi.PluginConfig;
import dev.fletcher.spi.PluginKind;
import dev.fletcher.spi.Plugins;
import dev.fletcher.spi.warehouse.Warehouse;
import dev.fletcher.spi.warehouse.WarehouseFactory;
import java.nio.file.Path;
import java.util.Map;

/** On DuckDB, in a database file under the test's temporary directory. */
class DuckDBCupedTest extends AbstractCupedWarehouseTest {
    @Override
    protected Warehouse createWarehouse(Path dataDir) {
        return Plugins.load(WarehouseFactory.class, PluginKind.WAREHOUSE).find("duckdb")
                .create(new PluginConfig("default", Map.of(), dataDir));
    }
}
