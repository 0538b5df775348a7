package dev.fletcher.warehouse.trino;

import dev.fletcher.conformance.warehouse.DialectConformanceTest;
import dev.fletcher.spi.warehouse.Dialect;

class TrinoDialectTest extends DialectConformanceTest {
    @Override
    protected Dialect dialect() {
        return new TrinoDialect();
    }
}
