package dev.fletcher.analysis.cuped;

import dev.fletcher.spi.warehouse.Warehouse;
import dev.fletcher.warehouse.trino.TrinoTestServer;
import java.nio.file.Path;

/** On the shared Trino test server (the warehouse-trino module's fixture), schema memory.fletcher. */
class TrinoCupedTest extends AbstractCupedWarehouseTest {
    @Override
    protected Warehouse createWarehouse(Path dataDir) {
        return TrinoTestServer.shared().warehouse("default", dataDir);
    }
}
