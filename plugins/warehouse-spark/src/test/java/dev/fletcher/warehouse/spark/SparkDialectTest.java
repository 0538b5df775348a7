package dev.fletcher.warehouse.spark;

import dev.fletcher.conformance.warehouse.DialectConformanceTest;
import dev.fletcher.spi.warehouse.Dialect;

class SparkDialectTest extends DialectConformanceTest {
    @Override
    protected Dialect dialect() {
        return new SparkDialect();
    }
}
