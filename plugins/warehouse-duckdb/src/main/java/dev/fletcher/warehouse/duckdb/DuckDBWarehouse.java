package dev.fletcher.warehouse.duckdb;

import dev.fletcher.warehouse.jdbc.JdbcSession;
import dev.fletcher.warehouse.jdbc.JdbcWarehouse;
import java.sql.Connection;
import java.sql.SQLException;
import org.duckdb.DuckDBConnection;

/** One DuckDB database; every session is a duplicate of the base connection, so all share that database. */
final class DuckDBWarehouse extends JdbcWarehouse {
    private static final DuckDBDialect DIALECT = new DuckDBDialect();

    private final DuckDBConnection base;
    private final boolean locked;

    DuckDBWarehouse(String instanceName, DuckDBConnection base, int batchSize, boolean locked) {
        // DuckDB runs in this process, so there are no round trips to size.
        super(instanceName, DIALECT, batchSize, 0);
        this.base = base;
        this.locked = locked;
    }

    /** Whether DuckDB's configuration is locked: no session may change a setting. */
    boolean locked() {
        return locked;
    }

    /** Under the lock close() takes, so the base connection is never duplicated while it closes. */
    @Override
    protected Connection connect() throws SQLException {
        synchronized (this) {
            checkOpen();
            return base.duplicate();
        }
    }

    @Override
    protected JdbcSession newSession(Connection connection) throws SQLException {
        return new DuckDBSession(this, (DuckDBConnection) connection);
    }

    @Override
    protected void shutdown() throws SQLException {
        base.close();
    }

    /** Stops at the first exception with a message, where DuckDB's driver and its Arrow stream put the engine's words. */
    @Override
    protected Throwable reason(Exception e) {
        Throwable cause = e;
        while (cause.getCause() != null && !(cause instanceof SQLException) && cause.getMessage() == null) {
            cause = cause.getCause();
        }
        return cause;
    }
}
