package dev.fletcher.warehouse.trino;

import dev.fletcher.conformance.warehouse.WarehouseConformanceTest;
import dev.fletcher.spi.warehouse.Warehouse;
import java.nio.file.Path;

/** The warehouse suite on the shared Trino test server, schema memory.fletcher. */
class TrinoConformanceTest extends WarehouseConformanceTest {
    @Override
    protected Warehouse createWarehouse(Path dataDir) {
        return TrinoTestServer.shared().warehouse("conformance", dataDir);
    }

    @Override
    protected String pluginName() {
        return "trino";
    }
}
