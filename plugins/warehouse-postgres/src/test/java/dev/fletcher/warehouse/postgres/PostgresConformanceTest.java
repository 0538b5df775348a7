package dev.fletcher.warehouse.postgres;

import dev.fletcher.conformance.warehouse.WarehouseConformanceTest;
import dev.fletcher.spi.PluginConfig;
import dev.fletcher.spi.warehouse.Warehouse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;

/**
 * Runs the suite on the PostgreSQL server of the test environment, in the database {@code fletcher_warehouse_test}
 * (created here when missing). Tests isolate themselves with unique table names and drop what they create.
 */
class PostgresConformanceTest extends WarehouseConformanceTest {
    static final String SERVER = System.getProperty("fletcher.test.pg.server", "127.0.0.1:5432");
    static final String USER = System.getProperty("fletcher.test.pg.user", "postgres");
    static final String DATABASE = "fletcher_warehouse_test";

    /** A warehouse on the test database, which is created first when missing; every PostgreSQL suite uses it. */
    static Warehouse testWarehouse(Path dataDir) {
        try {
            createDatabase();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create the test database: " + e.getMessage(), e);
        }
        return new PostgresWarehouseFactory().create(new PluginConfig("conformance",
                Map.of("url", "jdbc:postgresql://" + SERVER + "/" + DATABASE, "user", USER, "pool-size", "4"),
                dataDir));
    }

    private static void createDatabase() throws SQLException {
        try (Connection admin = DriverManager.getConnection("jdbc:postgresql://" + SERVER + "/postgres", USER, null);
                PreparedStatement exists = admin.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
            exists.setString(1, DATABASE);
            try (ResultSet result = exists.executeQuery()) {
                if (!result.next()) {
                    try (Statement create = admin.createStatement()) {
                        create.execute("CREATE DATABASE " + DATABASE);
                    }
                }
            }
        }
    }

    @Override
    protected Warehouse createWarehouse(Path dataDir) {
        return testWarehouse(dataDir);
    }

    @Override
    protected String pluginName() {
        return "postgres";
    }
}
