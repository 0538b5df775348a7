package dev.fletcher.warehouse.snowflake;

import dev.fletcher.conformance.warehouse.DialectConformanceTest;
import dev.fletcher.spi.warehouse.Dialect;

class SnowflakeDialectTest extends DialectConformanceTest {
    @Override
    protected Dialect dialect() {
        return new SnowflakeDialect();
    }
}
