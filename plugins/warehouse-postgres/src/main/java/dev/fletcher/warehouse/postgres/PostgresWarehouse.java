package dev.fletcher.warehouse.postgres;

import dev.fletcher.warehouse.jdbc.JdbcSession;
import dev.fletcher.warehouse.jdbc.JdbcWarehouse;
import java.sql.Connection;
import java.sql.SQLException;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

/** A PostgreSQL database reached through a small pool; each session holds one connection. */
final class PostgresWarehouse extends JdbcWarehouse {
    private static final PostgresDialect DIALECT = new PostgresDialect();

    private final ConnectionPool pool;

    PostgresWarehouse(String instanceName, ConnectionPool pool, int fetchSize, int batchSize) {
        super(instanceName, DIALECT, batchSize, fetchSize);
        this.pool = pool;
    }

    @Override
    protected Connection connect() throws SQLException {
        return pool.acquire();
    }

    @Override
    protected JdbcSession newSession(Connection connection) {
        return new PostgresSession(this, connection);
    }

    @Override
    protected void release(Connection connection, boolean reusable) {
        pool.release(connection, reusable);
    }

    @Override
    protected void shutdown() {
        pool.close();
    }

    /** PostgreSQL's own message (with its detail and hint), without the driver's decoration. */
    @Override
    protected String message(Exception e) {
        if (reason(e) instanceof PSQLException psql && psql.getServerErrorMessage() != null) {
            ServerErrorMessage server = psql.getServerErrorMessage();
            String message = server.getMessage();
            if (server.getDetail() != null) {
                message += " (" + server.getDetail() + ")";
            }
            if (server.getHint() != null) {
                message += "; hint: " + server.getHint();
            }
            return message;
        }
        return super.message(e);
    }
}
