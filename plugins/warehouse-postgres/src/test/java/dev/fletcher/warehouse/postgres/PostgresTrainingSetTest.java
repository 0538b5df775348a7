package dev.fletcher.warehouse.postgres;

import dev.fletcher.conformance.engine.TrainingSetConformanceTest;
import dev.fletcher.spi.PluginConfig;
import dev.fletcher.spi.warehouse.Warehouse;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.Map;

/**
 * The point-in-time engine on the test environment's PostgreSQL, database {@code fletcher_warehouse_test}; tables
 * carry a per-run suffix and are dropped afterwards.
 */
class PostgresTrainingSetTest extends TrainingSetConformanceTest {
    @Override
    protected Warehouse createWarehouse(Path dataDir) {
        try {
            PostgresConformanceTest.createDatabase();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create the test database: " + e.getMessage(), e);
        }
        return new PostgresWarehouseFactory().create(new PluginConfig("conformance",
                Map.of("url", "jdbc:postgresql://" + PostgresConformanceTest.SERVER + "/" + PostgresConformanceTest.DATABASE,
                        "user", PostgresConformanceTest.USER, "pool-size", "4"),
                dataDir));
    }
}
