package dev.fletcher.warehouse.postgres;

import dev.fletcher.spi.PluginException;
import dev.fletcher.warehouse.jdbc.ArrowResults;
import dev.fletcher.warehouse.jdbc.JdbcSession;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.LinkedHashSet;
import java.util.Set;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.postgresql.PGConnection;

/**
 * One pooled connection, autocommit off: each call is its own transaction, committed when it ends, except that a
 * query's transaction lasts until its reader closes, because PostgreSQL streams through a cursor only inside one.
 * Queries and descriptions run in read-only transactions; uploads, table loads and {@code execute} do not.
 * Registered tables are temporary tables, dropped when the session closes.
 */
final class PostgresSession extends JdbcSession {
    /** The driver reports timestamptz as a plain TIMESTAMP; only the type's name tells the two apart. */
    private static final ArrowResults RESULTS = new ArrowResults() {
        @Override
        protected boolean zoned(ResultSetMetaData metadata, int column) throws SQLException {
            return "timestamptz".equalsIgnoreCase(metadata.getColumnTypeName(column));
        }
    };

    private final Set<String> registered = new LinkedHashSet<>();
    private boolean broken;

    PostgresSession(PostgresWarehouse warehouse, Connection connection) {
        super(warehouse, connection);
    }

    @Override
    protected void registerRows(String name, ArrowReader rows) throws IOException {
        String table = quote(name);
        load(rows, table, "DROP TABLE IF EXISTS pg_temp." + table, "CREATE TEMP TABLE " + table);
        registered.add(name);
    }

    @Override
    protected void createTableFrom(String name, ArrowReader rows, boolean replace) throws IOException {
        String table = quote(name);
        load(rows, table, replace ? "DROP TABLE IF EXISTS " + table : null, "CREATE TABLE " + table);
    }

    /** Creates the table and copies the rows in one transaction, so a failure leaves no half-loaded table. */
    private void load(ArrowReader rows, String table, String drop, String create) throws IOException {
        String columns;
        String names;
        try {
            var fields = rows.getVectorSchemaRoot().getSchema().getFields();
            columns = CopyUpload.columns(fields, dialect()::quoteIdentifier);
            names = String.join(", ", fields.stream().map(f -> dialect().quoteIdentifier(f.getName())).toList());
        } catch (IllegalArgumentException e) {
            throw error(e.getMessage());
        }
        try {
            if (drop != null) {
                run(drop);
            }
            run(create + " (" + columns + ")");
            CopyUpload.copy(connection().unwrap(PGConnection.class).getCopyAPI(), table, names, rows);
            // Temporary tables are never analyzed automatically; without statistics joins plan badly.
            run("ANALYZE " + table);
            commitIfIdle();
        } catch (SQLException | RuntimeException e) {
            throw failed(e);
        }
    }

    @Override
    public void dropTable(String name) {
        super.dropTable(name);
        registered.remove(name);
    }

    @Override
    public boolean tableExists(String name) {
        checkOpen();
        String table = quote(name);
        try (PreparedStatement statement = connection().prepareStatement(
                "SELECT c.relkind FROM pg_catalog.pg_class AS c WHERE c.oid = to_regclass(?)")) {
            statement.setString(1, table);
            boolean exists;
            try (ResultSet result = statement.executeQuery()) {
                exists = result.next() && "rvmpf".contains(result.getString(1));
            }
            commitIfIdle();
            return exists;
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    /**
     * Every query runs in a read-only transaction of its own, with the statement timeout set in the server too: what
     * a query reads (a source's or a request's SQL inside it) cannot write, whatever functions it calls.
     */
    @Override
    protected void beforeQuery() throws SQLException {
        if (hasOpenReaders()) {
            return;
        }
        connection().commit();
        run("SET TRANSACTION READ ONLY");
        run("SET LOCAL statement_timeout = " + statementTimeout().toMillis());
    }

    @Override
    protected ArrowResults arrowResults() {
        return RESULTS;
    }

    @Override
    protected void callEnded() {
        commitIfIdle();
    }

    private void commitIfIdle() {
        if (hasOpenReaders()) {
            return;
        }
        try {
            connection().commit();
        } catch (SQLException e) {
            // A failed transaction cannot commit; rolling back makes the connection usable again.
            rollbackQuietly();
        }
    }

    /** Rolls back so the session stays usable, then reports PostgreSQL's own words. */
    @Override
    protected PluginException failed(Exception e) {
        rollbackQuietly();
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql && sql.getSQLState() != null && sql.getSQLState().startsWith("08")) {
                broken = true;
            }
        }
        return super.failed(e);
    }

    private void rollbackQuietly() {
        try {
            connection().rollback();
        } catch (SQLException e) {
            broken = true;
        }
    }

    /** Ends what is open and drops the registered tables, so the pooled connection comes back clean or not at all. */
    @Override
    protected boolean cleanUp() {
        try {
            connection().rollback();
            for (String name : registered) {
                run("DROP TABLE IF EXISTS pg_temp." + dialect().tableName(name));
            }
            connection().commit();
        } catch (SQLException | RuntimeException e) {
            broken = true;
        }
        return !broken;
    }
}
