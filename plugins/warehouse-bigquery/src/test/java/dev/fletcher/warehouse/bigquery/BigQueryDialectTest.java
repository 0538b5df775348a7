package dev.fletcher.warehouse.bigquery;

import dev.fletcher.conformance.warehouse.DialectConformanceTest;
import dev.fletcher.spi.warehouse.Dialect;

class BigQueryDialectTest extends DialectConformanceTest {
    @Override
    protected Dialect dialect() {
        return new BigQueryDialect();
    }
}
