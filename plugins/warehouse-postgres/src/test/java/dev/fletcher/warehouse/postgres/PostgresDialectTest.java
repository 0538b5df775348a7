package dev.fletcher.warehouse.postgres;

import dev.fletcher.conformance.warehouse.DialectConformanceTest;
import dev.fletcher.spi.warehouse.Dialect;

class PostgresDialectTest extends DialectConformanceTest {
    @Override
    protected Dialect dialect() {
        return new PostgresDialect();
    }
}
