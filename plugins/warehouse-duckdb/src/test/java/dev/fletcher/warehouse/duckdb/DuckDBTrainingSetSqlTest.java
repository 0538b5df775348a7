package dev.fletcher.warehouse.duckdb;

import dev.fletcher.conformance.engine.TrainingSetSqlGoldenTest;
import dev.fletcher.spi.warehouse.Dialect;

class DuckDBTrainingSetSqlTest extends TrainingSetSqlGoldenTest {
    @Override
    protected Dialect dialect() {
        return new DuckDBDialect();
    }
}
