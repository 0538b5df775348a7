package dev.fletcher.warehouse.bigquery;

import dev.fletcher.conformance.engine.EngineSqlGoldenTest;
import dev.fletcher.spi.warehouse.Dialect;

class BigQueryEngineSqlTest extends EngineSqlGoldenTest {
    @Override
    protected Dialect dialect() {
        return new BigQueryDialect();
    }
}
