package dev.fletcher.warehouse.trino;

import dev.fletcher.conformance.engine.MetricConformanceTest;
import dev.fletcher.spi.warehouse.Dialect;
import dev.fletcher.spi.warehouse.Warehouse;
import java.nio.file.Path;

/**
 * The suite on the shared Trino test server; tables carry a per-run suffix and are dropped afterwards. A server with
 * {@code LEFT JOIN NEAREST} is held to the {@code trino-nearest} golden files.
 */
class TrinoMetricTest extends MetricConformanceTest {
    @Override
    protected Warehouse createWarehouse(Path dataDir) {
        return TrinoTestServer.shared().warehouse("conformance", dataDir);
    }

    @Override
    protected String goldenName(Dialect dialect) {
        return ((TrinoDialect) dialect).nearestJoin() ? "trino-nearest" : "trino";
    }
}
