package dev.fletcher.warehouse.postgres;

import dev.fletcher.spi.PluginConfig;
import dev.fletcher.spi.PluginException;
import dev.fletcher.spi.warehouse.Warehouse;
import dev.fletcher.spi.warehouse.WarehouseFactory;
import dev.fletcher.warehouse.jdbc.JdbcWarehouse;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * PostgreSQL as a warehouse. Properties: {@code url} ({@code jdbc:postgresql://host:port/db}, required),
 * {@code user}, {@code password}, {@code pool-size} (default 8), {@code pool-wait-ms} (how long a session waits for
 * a free connection, default 30000), {@code fetch-size} (rows per round trip, default 10000), {@code batch-size}
 * (rows per Arrow batch, default 8192), {@code statement-timeout} (default 5m), and {@code jdbc.<name>} for any other
 * driver property (e.g. {@code jdbc.sslmode}). Queries run in read-only transactions.
 */
public final class PostgresWarehouseFactory implements WarehouseFactory {
    @Override
    public String name() {
        return "postgres";
    }

    @Override
    public Set<String> aliases() {
        return Set.of("postgresql");
    }

    @Override
    public Warehouse create(PluginConfig config) {
        String prefix = JdbcWarehouse.messagePrefix(config.instanceName(), name());
        String url = config.get("url").map(String::trim).orElseThrow(() -> new PluginException(prefix
                + "set fletcher.warehouses." + config.instanceName() + ".url to jdbc:postgresql://host:port/database"));
        if (!url.startsWith("jdbc:postgresql:")) {
            throw new PluginException(prefix + "url must start with jdbc:postgresql:, got '" + url + "'");
        }
        int poolSize = positive(config, "pool-size", 8, prefix);
        int waitMillis = positive(config, "pool-wait-ms", 30_000, prefix);
        int fetchSize = positive(config, "fetch-size", 10_000, prefix);
        int batchSize = positive(config, "batch-size", 8192, prefix);
        java.time.Duration timeout = JdbcWarehouse.statementTimeout(config);

        Properties properties = new Properties();
        config.get("user").ifPresent(user -> properties.setProperty("user", user));
        config.get("password").ifPresent(password -> properties.setProperty("password", password));
        properties.setProperty("ApplicationName", "fletcher");
        // Server-side prepared statements cache a plan per query text; a temp table registered again under the
        // same name with other columns then fails with "cached plan must not change result type".
        properties.setProperty("prepareThreshold", "0");
        for (Map.Entry<String, String> property : config.properties().entrySet()) {
            if (property.getKey().startsWith("jdbc.")) {
                properties.setProperty(property.getKey().substring(5), property.getValue());
            }
        }
        ConnectionPool pool = new ConnectionPool(url, properties, poolSize, waitMillis);
        try {
            // Fail at start, with the server's reason, rather than at the first query.
            Connection first = pool.acquire();
            pool.release(first, true);
        } catch (SQLException e) {
            pool.close();
            throw new PluginException(prefix + "cannot connect to " + url + ": " + e.getMessage(), e);
        }
        PostgresWarehouse warehouse = new PostgresWarehouse(config.instanceName(), pool, fetchSize, batchSize);
        warehouse.statementTimeout(timeout);
        return warehouse;
    }

    private static int positive(PluginConfig config, String key, int defaultValue, String prefix) {
        int value = config.getInt(key, defaultValue);
        if (value < 1) {
            throw new PluginException(prefix + key + " must be at least 1, got " + value);
        }
        return value;
    }
}
