package dev.fletcher.warehouse.snowflake;

import dev.fletcher.warehouse.jdbc.JdbcSession;
import dev.fletcher.warehouse.jdbc.JdbcWarehouse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

/**
 * A Snowflake account reached through the Snowflake JDBC driver, results in its Arrow format; each session logs in
 * on a connection of its own (Snowflake's sessions are cheap to keep and its logins slow, so a deployment with many
 * short requests sets {@code jdbc.CLIENT_SESSION_KEEP_ALIVE} as it needs).
 */
final class SnowflakeWarehouse extends JdbcWarehouse {
    private final SnowflakeConfig config;

    SnowflakeWarehouse(SnowflakeConfig config) {
        super(config.instanceName(), new SnowflakeDialect(config.stagingSchema()), config.batchSize(),
                config.fetchSize());
        this.config = config;
    }

    SnowflakeConfig config() {
        return config;
    }

    @Override
    protected Connection connect() throws SQLException {
        return DriverManager.getConnection(config.url(), config.properties());
    }

    @Override
    protected JdbcSession newSession(Connection connection) throws SQLException {
        return new SnowflakeSession(this, connection);
    }

    @Override
    protected void shutdown() {
        // Each session closed its own connection.
    }
}
