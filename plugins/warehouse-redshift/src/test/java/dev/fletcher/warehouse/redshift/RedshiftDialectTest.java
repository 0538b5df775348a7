package dev.fletcher.warehouse.redshift;

import dev.fletcher.conformance.warehouse.DialectConformanceTest;
import dev.fletcher.spi.warehouse.Dialect;

class RedshiftDialectTest extends DialectConformanceTest {
    @Override
    protected Dialect dialect() {
        return new RedshiftDialect();
    }
}
