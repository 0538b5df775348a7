package dev.fletcher.analysis.cuped;

import dev.fletcher.spi.PluginConfig;
import dev.fletcher.spi.PluginKind;
import dev.fletcher.spi.Plugins;
import dev.fletcher.spi.warehouse.Warehouse;
import dev.fletcher.spi.warehouse.WarehouseFactory;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Map;

/** On the test environment's PostgreSQL (127.0.0.1:5432, user postgres), database {@code fletcher_analysis_test}. */
class PostgresCupedTest extends AbstractCupedWarehouseTest {
    static final String DATABASE = "fletcher_analysis_test";

    @Override
    protected Warehouse createWarehouse(Path dataDir) {
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/postgres", "postgres", "");
                var exists = c.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
            exists.setString(1, DATABASE);
            if (!exists.executeQuery().next()) {
                c.createStatement().execute("CREATE DATABASE " + DATABASE);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create database " + DATABASE + ": " + e.getMessage(), e);
        }
        return Plugins.load(WarehouseFactory.class, PluginKind.WAREHOUSE).find("postgres").create(new PluginConfig(
                "default", Map.of("url", "jdbc:postgresql://127.0.0.1:5432/" + DATABASE, "user", "postgres",
                        "pool-size", "4"), dataDir));
    }
}
