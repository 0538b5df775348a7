package dev.fletcher.warehouse.postgres;

import dev.fletcher.conformance.engine.TrainingSetSqlGoldenTest;
import dev.fletcher.spi.warehouse.Dialect;

class PostgresTrainingSetSqlTest extends TrainingSetSqlGoldenTest {
    @Override
    protected Dialect dialect() {
        return new PostgresDialect();
    }
}
