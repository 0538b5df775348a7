package dev.fletcher.warehouse.spark;

import dev.fletcher.conformance.engine.MetricConformanceTest;
import dev.fletcher.spi.warehouse.Warehouse;

import java.nio.file.Path;

/** Metric queries (drift included) on the shared Spark Connect server. */
class SparkMetricTest extends MetricConformanceTest {
    @Override
    protected Warehouse createWarehouse(Path dataDir) {
        return SparkConnectFixture.warehouse("conformance", dataDir);
    }
}
