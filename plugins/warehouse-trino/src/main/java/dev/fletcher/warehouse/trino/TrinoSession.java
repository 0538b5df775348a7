package dev.fletcher.warehouse.trino;

import dev.fletcher.warehouse.jdbc.ArrowResults;
import dev.fletcher.warehouse.jdbc.JdbcSession;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.arrow.vector.ipc.ArrowReader;

/**
 * One JDBC connection in autocommit. Trino has no temporary tables: a registered table is a table of the staging
 * schema with a name of its own ({@code <name>_<random hex>}), read under its registered name through the dialect,
 * and dropped when it is dropped, registered again, or the session closes. An upload that fails drops its table.
 */
final class TrinoSession extends JdbcSession {
    private final TrinoWarehouse warehouse;
    private final Set<String> registered = new LinkedHashSet<>();

    /** The driver gives a zoned timestamp as a java.sql.Timestamp at its instant, nanoseconds kept. */
    private static final ArrowResults RESULTS = new ArrowResults() {
        @Override
        protected Instant instant(ResultSet result, int column, boolean zoned) throws SQLException {
            if (zoned) {
                Timestamp value = result.getTimestamp(column);
                return value == null ? null : value.toInstant();
            }
            return super.instant(result, column, false);
        }
    };

    TrinoSession(TrinoWarehouse warehouse, Connection connection) {
        super(warehouse, connection);
        this.warehouse = warehouse;
    }

    @Override
    protected ArrowResults arrowResults() {
        return RESULTS;
    }

    @Override
    protected void registerRows(String name, ArrowReader rows) throws IOException {
        if (!warehouse.claim(name, this)) {
            throw error("table '" + name + "' is registered by another open session; Trino has no session-private"
                    + " tables, so each registered name is held by one session at a time");
        }
        String physical = name.toLowerCase(Locale.ROOT) + "_"
                + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
        String table = warehouse.stagingTable(physical);
        try {
            load(rows, table, null);
        } catch (RuntimeException | IOException e) {
            if (!registered.contains(name)) {
                warehouse.unregister(name, this);
            }
            throw e;
        }
        String previous = warehouse.registered(name);
        warehouse.register(name, physical);
        registered.add(name);
        if (previous != null) {
            dropQuietly(warehouse.stagingTable(previous));
        }
    }

    @Override
    protected void createTableFrom(String name, ArrowReader rows, boolean replace) throws IOException {
        String table = quote(name);
        load(rows, table, replace ? "DROP TABLE IF EXISTS " + table : null);
    }

    /** Creates the table and inserts the rows batch by batch; a failure drops the table it created. */
    private void load(ArrowReader rows, String table, String drop) throws IOException {
        Upload upload;
        try {
            upload = new Upload(rows.getVectorSchemaRoot().getSchema().getFields(), dialect()::quoteIdentifier,
                    warehouse.uploadRows(), dialect().capabilities().maxBindParameters());
        } catch (IllegalArgumentException e) {
            throw error(e.getMessage());
        }
        try {
            if (drop != null) {
                run(drop);
            }
            run("CREATE TABLE " + table + " (" + upload.columns() + ")");
        } catch (SQLException e) {
            throw failed(e);
        }
        try {
            upload.insert(connection(), table, rows);
        } catch (IOException e) {
            dropQuietly(table);
            throw e;
        } catch (SQLException | RuntimeException e) {
            dropQuietly(table);
            throw failed(e);
        }
    }

    private void dropQuietly(String table) {
        try {
            run("DROP TABLE IF EXISTS " + table);
        } catch (SQLException ignored) {
            // Best effort: the failure that led here is the one to report.
        }
    }

    @Override
    public void dropTable(String name) {
        checkOpen();
        if (parts(name).length == 1 && registered.remove(name)) {
            String physical = warehouse.unregister(name, this);
            try {
                run("DROP TABLE IF EXISTS " + warehouse.stagingTable(physical));
                return;
            } catch (SQLException e) {
                throw failed(e);
            }
        }
        String table = ((TrinoDialect) dialect()).unregisteredTableName(name);
        try {
            run("DROP TABLE IF EXISTS " + table);
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public boolean tableExists(String name) {
        checkOpen();
        String[] parts = parts(name);
        if (parts.length == 1 && registered.contains(name)) {
            return true;
        }
        try {
            String catalog = connection().getCatalog();
            String schema = parts.length == 2 ? parts[0] : connection().getSchema();
            if (catalog == null || schema == null) {
                throw error("the url names no catalog and schema, so table '" + name + "' cannot be looked up");
            }
            try (PreparedStatement statement = connection().prepareStatement("SELECT COUNT(*) FROM "
                    + dialect().quoteIdentifier(catalog) + ".information_schema.tables"
                    + " WHERE table_schema = ? AND table_name = ?")) {
                statement.setString(1, schema.toLowerCase(Locale.ROOT));
                statement.setString(2, parts[parts.length - 1].toLowerCase(Locale.ROOT));
                try (ResultSet result = statement.executeQuery()) {
                    return result.next() && result.getLong(1) > 0;
                }
            }
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    /** Drops the registered tables; the connection is not reused either way. */
    @Override
    protected boolean cleanUp() {
        List<String> names = new ArrayList<>(registered);
        registered.clear();
        for (String name : names) {
            String physical = warehouse.unregister(name, this);
            if (physical != null) {
                dropQuietly(warehouse.stagingTable(physical));
            }
        }
        return false;
    }

}
