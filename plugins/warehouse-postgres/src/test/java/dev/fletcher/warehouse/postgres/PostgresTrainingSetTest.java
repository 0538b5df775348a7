package dev.fletcher.warehouse.postgres;

import dev.fletcher.conformance.engine.TrainingSetConformanceTest;
import dev.fletcher.spi.warehouse.Warehouse;
import java.nio.file.Path;

/**
 * The point-in-time engine on the test environment's PostgreSQL, database {@code fletcher_warehouse_test}; tables
 * carry a per-run suffix and are dropped afterwards.
 */
class PostgresTrainingSetTest extends TrainingSetConformanceTest {
    @Override
    protected Warehouse createWarehouse(Path dataDir) {
        return PostgresConformanceTest.testWarehouse(dataDir);
    }
}
