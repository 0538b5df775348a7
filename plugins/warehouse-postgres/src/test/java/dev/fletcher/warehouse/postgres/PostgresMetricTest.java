package dev.fletcher.warehouse.postgres;

import dev.fletcher.conformance.engine.MetricConformanceTest;
import dev.fletcher.spi.PluginConfig;
import dev.fletcher.spi.warehouse.Warehouse;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.Map;

/** Metrics queries on the test environment's PostgreSQL; tables carry a per-run suffix and are dropped afterwards. */
class PostgresMetricTest extends MetricConformanceTest {
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
