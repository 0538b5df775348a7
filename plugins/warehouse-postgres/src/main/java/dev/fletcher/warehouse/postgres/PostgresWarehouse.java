package dev.fletcher.warehouse.postgres;

import dev.fletcher.spi.PluginException;
import dev.fletcher.spi.warehouse.Dialect;
import dev.fletcher.spi.warehouse.Warehouse;
import dev.fletcher.spi.warehouse.WarehouseSession;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

/** A PostgreSQL database reached through a small pool; each session holds one connection. */
final class PostgresWarehouse implements Warehouse {
    private static final PostgresDialect DIALECT = new PostgresDialect();

    private final String instanceName;
    private final ConnectionPool pool;
    private final int fetchSize;
    private final int batchSize;
    private final Set<PostgresSession> sessions = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    PostgresWarehouse(String instanceName, ConnectionPool pool, int fetchSize, int batchSize) {
        this.instanceName = instanceName;
        this.pool = pool;
        this.fetchSize = fetchSize;
        this.batchSize = batchSize;
    }

    @Override
    public String instanceName() {
        return instanceName;
    }

    @Override
    public Dialect dialect() {
        return DIALECT;
    }

    int fetchSize() {
        return fetchSize;
    }

    int batchSize() {
        return batchSize;
    }

    @Override
    public WarehouseSession openSession() {
        if (closed) {
            throw error("the warehouse is closed");
        }
        try {
            PostgresSession session = new PostgresSession(this, pool.acquire());
            sessions.add(session);
            return session;
        } catch (SQLException e) {
            throw error(e);
        }
    }

    void closed(PostgresSession session, Connection connection, boolean healthy) {
        sessions.remove(session);
        pool.release(connection, healthy);
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (PostgresSession session : List.copyOf(sessions)) {
            session.close();
        }
        pool.close();
    }

    PluginException error(String message) {
        return new PluginException(prefix() + message);
    }

    /** PostgreSQL's own message (with its detail and hint), without the driver's decoration. */
    PluginException error(Exception e) {
        if (e instanceof PluginException plugin) {
            return plugin;
        }
        Throwable cause = e;
        while (!(cause instanceof SQLException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        String message = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage().strip();
        if (cause instanceof PSQLException psql && psql.getServerErrorMessage() != null) {
            ServerErrorMessage server = psql.getServerErrorMessage();
            message = server.getMessage();
            if (server.getDetail() != null) {
                message += " (" + server.getDetail() + ")";
            }
            if (server.getHint() != null) {
                message += "; hint: " + server.getHint();
            }
        }
        return new PluginException(prefix() + message, e);
    }

    private String prefix() {
        return "warehouse '" + instanceName + "' (postgres): ";
    }
}
