package dev.fletcher.warehouse.redshift;

import dev.fletcher.conformance.engine.EngineSqlGoldenTest;
import dev.fletcher.spi.warehouse.Dialect;

class RedshiftEngineSqlTest extends EngineSqlGoldenTest {
    @Override
    protected Dialect dialect() {
        return new RedshiftDialect();
    }
}
