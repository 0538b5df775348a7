package dev.fletcher.warehouse.trino;

import dev.fletcher.conformance.engine.EngineSqlGoldenTest;
import dev.fletcher.spi.warehouse.Dialect;

class TrinoEngineSqlTest extends EngineSqlGoldenTest {
    @Override
    protected Dialect dialect() {
        return new TrinoDialect();
    }
}
