package dev.fletcher.warehouse.redshift;

import dev.fletcher.warehouse.jdbc.JdbcSession;
import dev.fletcher.warehouse.jdbc.JdbcWarehouse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

/** An Amazon Redshift cluster or workgroup reached through the Redshift JDBC driver; one connection per session. */
final class RedshiftWarehouse extends JdbcWarehouse {
    private final RedshiftConfig config;

    RedshiftWarehouse(RedshiftConfig config) {
        super(config.instanceName(), new RedshiftDialect(), config.batchSize(), config.fetchSize());
        this.config = config;
    }

    RedshiftConfig config() {
        return config;
    }

    @Override
    protected Connection connect() throws SQLException {
        Connection connection = DriverManager.getConnection(config.url(), config.properties());
        try (java.sql.Statement statement = connection.createStatement()) {
            for (String sql : RedshiftConfig.SESSION) {
                statement.execute(sql);
            }
        } catch (SQLException e) {
            connection.close();
            throw e;
        }
        return connection;
    }

    @Override
    protected JdbcSession newSession(Connection connection) {
        return new RedshiftSession(this, connection);
    }

    @Override
    protected void shutdown() {
        // Each session closed its own connection.
    }
}
