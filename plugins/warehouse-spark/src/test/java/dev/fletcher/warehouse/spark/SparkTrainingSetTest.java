package dev.fletcher.warehouse.spark;

import dev.fletcher.conformance.engine.TrainingSetConformanceTest;
import dev.fletcher.spi.warehouse.Warehouse;

import java.nio.file.Path;

/** The point-in-time engine on the shared Spark Connect server. */
class SparkTrainingSetTest extends TrainingSetConformanceTest {
    @Override
    protected Warehouse createWarehouse(Path dataDir) {
        return SparkConnectFixture.warehouse("conformance", dataDir);
    }
}
