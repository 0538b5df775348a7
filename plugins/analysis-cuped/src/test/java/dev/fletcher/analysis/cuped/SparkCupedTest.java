package dev.fletcher.analysis.cuped;

import dev.fletcher.spi.warehouse.Warehouse;
import dev.fletcher.warehouse.spark.SparkConnectFixture;

import java.nio.file.Path;

/** On the Spark Connect server the Spark plugin's tests share (started once per test JVM). */
class SparkCupedTest extends AbstractCupedWarehouseTest {
    @Override
    protected Warehouse createWarehouse(Path dataDir) {
        return SparkConnectFixture.warehouse("default", dataDir);
    }
}
