package dev.fletcher.warehouse.snowflake;

import dev.fletcher.conformance.engine.EngineSqlGoldenTest;
import dev.fletcher.spi.warehouse.Dialect;

class SnowflakeEngineSqlTest extends EngineSqlGoldenTest {
    @Override
    protected Dialect dialect() {
        return new SnowflakeDialect();
    }
}
