package dev.fletcher.warehouse.postgres;

import dev.fletcher.conformance.engine.MetricConformanceTest;
import dev.fletcher.spi.warehouse.Warehouse;
import java.nio.file.Path;

/** Metrics queries on the test environment's PostgreSQL; tables carry a per-run suffix and are dropped afterwards. */
class PostgresMetricTest extends MetricConformanceTest {
    @Override
    protected Warehouse createWarehouse(Path dataDir) {
        return PostgresConformanceTest.testWarehouse(dataDir);
    }
}
