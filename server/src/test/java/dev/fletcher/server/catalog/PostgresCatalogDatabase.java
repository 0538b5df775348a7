package dev.fletcher.server.catalog;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;

/** Creates an empty catalog database on the local PostgreSQL before the application starts. */
public class PostgresCatalogDatabase implements QuarkusTestResourceLifecycleManager {
    // Overridable so that two checkouts can run their suites side by side on one server.
    static final String DATABASE = System.getProperty("fletcher.test.pg.catalog-db", "fletcher_catalog_test");
    static final String URL = "jdbc:postgresql://127.0.0.1:5432/" + DATABASE;
    static final String USER = System.getProperty("fletcher.test.pg.user", "postgres");

    @Override
    public Map<String, String> start() {
        try (Connection admin = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/postgres", USER, "");
             Statement statement = admin.createStatement()) {
            statement.execute("drop database if exists " + DATABASE + " with (force)");
            statement.execute("create database " + DATABASE);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot prepare the test catalog database " + DATABASE
                    + " on 127.0.0.1:5432 as " + USER + ": " + e.getMessage(), e);
        }
        return Map.of();
    }

    @Override
    public void stop() {
    }
}
