package dev.fletcher.warehouse.trino;

import dev.fletcher.conformance.engine.EngineSqlGoldenTest;
import dev.fletcher.spi.warehouse.Dialect;

/**
 * The engine's SQL for a Trino of 481 or later, which has {@code LEFT JOIN NEAREST}: point-in-time lookups become
 * as-of joins. The test server is older, so only the golden files pin this spelling.
 */
class TrinoNearestEngineSqlTest extends EngineSqlGoldenTest {
    @Override
    protected Dialect dialect() {
        return new TrinoDialect(true);
    }

    @Override
    protected String goldenName() {
        return "trino-nearest";
    }
}
