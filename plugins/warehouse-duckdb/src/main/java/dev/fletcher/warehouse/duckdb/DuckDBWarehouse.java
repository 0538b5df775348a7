package dev.fletcher.warehouse.duckdb;

import dev.fletcher.spi.PluginException;
import dev.fletcher.spi.warehouse.Dialect;
import dev.fletcher.spi.warehouse.Warehouse;
import dev.fletcher.spi.warehouse.WarehouseSession;
import java.sql.SQLException;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.duckdb.DuckDBConnection;

/** One DuckDB database; every session is a duplicate of the base connection, so all share that database. */
final class DuckDBWarehouse implements Warehouse {
    private static final DuckDBDialect DIALECT = new DuckDBDialect();

    private final String instanceName;
    private final DuckDBConnection base;
    private final int batchSize;
    private final Set<DuckDBSession> sessions = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    DuckDBWarehouse(String instanceName, DuckDBConnection base, int batchSize) {
        this.instanceName = instanceName;
        this.base = base;
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

    @Override
    public WarehouseSession openSession() {
        DuckDBConnection connection;
        synchronized (this) {
            if (closed) {
                throw error("the warehouse is closed");
            }
            try {
                connection = base.duplicate();
            } catch (SQLException e) {
                throw error(e);
            }
        }
        try {
            DuckDBSession session = new DuckDBSession(this, connection, batchSize);
            sessions.add(session);
            return session;
        } catch (SQLException | RuntimeException e) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // The session never started; the first error says why.
            }
            throw error(e);
        }
    }

    void closed(DuckDBSession session) {
        sessions.remove(session);
    }

    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        for (DuckDBSession session : List.copyOf(sessions)) {
            session.close();
        }
        try {
            base.close();
        } catch (SQLException e) {
            throw error(e);
        }
    }

    PluginException error(String message) {
        return new PluginException(prefix() + message);
    }

    /** Keeps the engine's own words; the Java layers around them add nothing a user can act on. */
    PluginException error(Exception e) {
        if (e instanceof PluginException plugin) {
            return plugin;
        }
        Throwable cause = e;
        while (cause.getCause() != null && !(cause instanceof SQLException) && cause.getMessage() == null) {
            cause = cause.getCause();
        }
        String message = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage().strip();
        return new PluginException(prefix() + message, e);
    }

    private String prefix() {
        return "warehouse '" + instanceName + "' (duckdb): ";
    }
}
