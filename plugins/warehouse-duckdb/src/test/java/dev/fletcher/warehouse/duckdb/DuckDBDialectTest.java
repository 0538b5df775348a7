package dev.fletcher.warehouse.duckdb;

import dev.fletcher.conformance.warehouse.DialectConformanceTest;
import dev.fletcher.spi.warehouse.Dialect;

class DuckDBDialectTest extends DialectConformanceTest {
    @Override
    protected Dialect dialect() {
        return new DuckDBDialect();
    }
}
