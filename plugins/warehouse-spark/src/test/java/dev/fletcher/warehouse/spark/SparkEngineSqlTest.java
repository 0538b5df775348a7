package dev.fletcher.warehouse.spark;

import dev.fletcher.conformance.engine.EngineSqlGoldenTest;
import dev.fletcher.spi.warehouse.Dialect;

class SparkEngineSqlTest extends EngineSqlGoldenTest {
    @Override
    protected Dialect dialect() {
        return new SparkDialect();
    }
}
