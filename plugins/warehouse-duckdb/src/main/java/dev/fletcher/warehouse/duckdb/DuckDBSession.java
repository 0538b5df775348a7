package dev.fletcher.warehouse.duckdb;

import dev.fletcher.spi.PluginException;
import dev.fletcher.spi.warehouse.Dialect;
import dev.fletcher.spi.warehouse.Statement;
import dev.fletcher.spi.warehouse.WarehouseSession;
import java.io.IOException;
import java.math.BigDecimal;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.arrow.c.ArrowArrayStream;
import org.apache.arrow.c.Data;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.types.pojo.Schema;
import org.duckdb.DuckDBConnection;
import org.duckdb.DuckDBResultSet;

/** One duplicate of the warehouse's base connection; registered tables are its temporary tables. */
final class DuckDBSession implements WarehouseSession {
    private static final AtomicLong UPLOADS = new AtomicLong();

    private final DuckDBWarehouse warehouse;
    private final DuckDBConnection connection;
    private final Dialect dialect;
    private final int batchSize;
    private final Set<UtcTimestampReader> readers = Collections.newSetFromMap(new IdentityHashMap<>());
    private boolean closed;

    DuckDBSession(DuckDBWarehouse warehouse, DuckDBConnection connection, int batchSize) throws SQLException {
        this.warehouse = warehouse;
        this.connection = connection;
        this.dialect = warehouse.dialect();
        this.batchSize = batchSize;
        try (java.sql.Statement statement = connection.createStatement()) {
            // Timestamps without a zone are UTC; casts between the two kinds must agree.
            statement.execute("SET TimeZone = 'UTC'");
        }
    }

    @Override
    public void registerTable(String name, ArrowReader rows) {
        try (ArrowReader owned = rows) {
            checkOpen();
            String table = quote(plainName(name));
            load(owned, "CREATE OR REPLACE TEMP TABLE " + table + " AS SELECT * FROM ");
        } catch (IOException e) {
            throw warehouse.error(e);
        }
    }

    @Override
    public void createTable(String name, ArrowReader rows, boolean replace) {
        try (ArrowReader owned = rows) {
            checkOpen();
            String table = quote(name);
            load(owned, (replace ? "CREATE OR REPLACE TABLE " : "CREATE TABLE ") + table + " AS SELECT * FROM ");
        } catch (IOException e) {
            throw warehouse.error(e);
        }
    }

    /** Hands the rows to DuckDB through the C stream interface and copies them into a table with one statement. */
    private void load(ArrowReader rows, String createAsSelectFrom) throws IOException {
        VectorSchemaRoot root = rows.getVectorSchemaRoot();
        if (root.getFieldVectors().isEmpty()) {
            throw warehouse.error("the uploaded rows have no columns");
        }
        BufferAllocator allocator = root.getFieldVectors().get(0).getAllocator();
        String view = "fletcher_upload_" + UPLOADS.incrementAndGet();
        try (ArrowArrayStream stream = ArrowArrayStream.allocateNew(allocator)) {
            // From here the stream owns the reader and closes it when released (DuckDB releases it after the scan).
            Data.exportArrayStream(allocator, rows, stream);
            connection.registerArrowStream(view, stream);
            try {
                run(createAsSelectFrom + quote(view));
            } finally {
                run("DROP VIEW IF EXISTS " + quote(view));
            }
        } catch (SQLException | RuntimeException e) {
            throw warehouse.error(e);
        }
    }

    @Override
    public void dropTable(String name) {
        checkOpen();
        try {
            run("DROP TABLE IF EXISTS " + quote(name));
        } catch (SQLException e) {
            throw warehouse.error(e);
        }
    }

    @Override
    public boolean tableExists(String name) {
        checkOpen();
        String[] parts = parts(name);
        String sql = parts.length == 1
                ? "SELECT COUNT(*) FROM information_schema.tables WHERE lower(table_name) = lower(?) AND"
                        + " (table_catalog = 'temp' OR (table_catalog = current_database()"
                        + " AND table_schema = current_schema()))"
                // The first part names a schema, or an attached database (its main schema), as DuckDB resolves it.
                : "SELECT COUNT(*) FROM information_schema.tables WHERE lower(table_name) = lower(?) AND"
                        + " ((lower(table_schema) = lower(?) AND table_catalog IN (current_database(), 'temp'))"
                        + " OR (lower(table_catalog) = lower(?) AND table_schema = 'main'))";
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, parts[parts.length - 1]);
            if (parts.length == 2) {
                statement.setString(2, parts[0]);
                statement.setString(3, parts[0]);
            }
            try (ResultSet result = statement.executeQuery()) {
                return result.next() && result.getLong(1) > 0;
            }
        } catch (SQLException e) {
            throw warehouse.error(e);
        }
    }

    @Override
    public ArrowReader query(Statement statement, BufferAllocator allocator) {
        checkOpen();
        PreparedStatement prepared = null;
        ResultSet result = null;
        try {
            prepared = connection.prepareStatement(statement.sql());
            bind(prepared, statement.parameters());
            result = prepared.executeQuery();
            ArrowReader arrow = (ArrowReader) result.unwrap(DuckDBResultSet.class).arrowExportStream(allocator, batchSize);
            PreparedStatement finalPrepared = prepared;
            ResultSet finalResult = result;
            UtcTimestampReader[] self = new UtcTimestampReader[1];
            UtcTimestampReader reader = new UtcTimestampReader(allocator, arrow, () -> {
                try (PreparedStatement p = finalPrepared; ResultSet r = finalResult) {
                    forget(self[0]);
                }
            }, warehouse::error);
            self[0] = reader;
            synchronized (readers) {
                readers.add(reader);
            }
            return reader;
        } catch (SQLException | RuntimeException e) {
            closeQuietly(result);
            closeQuietly(prepared);
            throw warehouse.error(e instanceof SQLException sql ? diagnose(sql, statement) : e);
        }
    }

    /**
     * A streamed query that fails while DuckDB starts it reports only "Invalid result set"; running it once more
     * without streaming recovers DuckDB's own message. Only failed queries pay for this.
     */
    private Exception diagnose(SQLException failure, Statement statement) {
        if (failure.getMessage() == null || !failure.getMessage().contains("Invalid result set")) {
            return failure;
        }
        try {
            run("SET SESSION jdbc_stream_results = false");
            try (PreparedStatement again = connection.prepareStatement(statement.sql())) {
                bind(again, statement.parameters());
                again.execute();
            } finally {
                run("SET SESSION jdbc_stream_results = true");
            }
        } catch (SQLException reason) {
            return reason;
        }
        return failure;
    }

    private void forget(UtcTimestampReader reader) {
        synchronized (readers) {
            readers.remove(reader);
        }
    }

    @Override
    public Schema describe(Statement statement, BufferAllocator allocator) {
        // LIMIT 0 lets DuckDB plan the query and stop before producing a row.
        String sql = statement.sql().strip();
        while (sql.endsWith(";")) {
            sql = sql.substring(0, sql.length() - 1).strip();
        }
        try (ArrowReader reader = query(new Statement("SELECT * FROM (" + sql + "\n) AS fletcher_describe LIMIT 0",
                statement.parameters()), allocator)) {
            return reader.getVectorSchemaRoot().getSchema();
        } catch (IOException e) {
            throw warehouse.error(e);
        }
    }

    @Override
    public long execute(Statement statement) {
        checkOpen();
        try (PreparedStatement prepared = connection.prepareStatement(statement.sql())) {
            bind(prepared, statement.parameters());
            return prepared.execute() ? -1 : prepared.getLargeUpdateCount();
        } catch (SQLException e) {
            throw warehouse.error(diagnose(e, statement));
        }
    }

    @Override
    public void close() {
        List<UtcTimestampReader> open;
        synchronized (readers) {
            if (closed) {
                return;
            }
            closed = true;
            open = List.copyOf(readers);
        }
        for (UtcTimestampReader reader : open) {
            try {
                reader.close();
            } catch (IOException | RuntimeException ignored) {
                // Closing is best effort; the connection below goes either way.
            }
        }
        closeQuietly(connection);
        warehouse.closed(this);
    }

    private void run(String sql) throws SQLException {
        try (java.sql.Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private void checkOpen() {
        if (closed) {
            throw warehouse.error("the session is closed");
        }
    }

    private String quote(String name) {
        try {
            return dialect.tableName(name);
        } catch (IllegalArgumentException e) {
            throw warehouse.error(e.getMessage());
        }
    }

    private String[] parts(String name) {
        try {
            return Dialect.checkTableName(name);
        } catch (IllegalArgumentException e) {
            throw warehouse.error(e.getMessage());
        }
    }

    private String plainName(String name) {
        if (parts(name).length != 1) {
            throw warehouse.error("registered table '" + name + "' lives in the session: give a name without a"
                    + " schema");
        }
        return name;
    }

    static void bind(PreparedStatement statement, List<Object> parameters) throws SQLException {
        for (int i = 0; i < parameters.size(); i++) {
            int index = i + 1;
            Object value = parameters.get(i);
            if (value == null) {
                statement.setObject(index, null);
            } else if (value instanceof String v) {
                statement.setString(index, v);
            } else if (value instanceof Boolean v) {
                statement.setBoolean(index, v);
            } else if (value instanceof Integer v) {
                statement.setInt(index, v);
            } else if (value instanceof Long v) {
                statement.setLong(index, v);
            } else if (value instanceof Double v) {
                statement.setDouble(index, v);
            } else if (value instanceof BigDecimal v) {
                statement.setBigDecimal(index, v);
            } else if (value instanceof Instant v) {
                statement.setObject(index, LocalDateTime.ofInstant(v, ZoneOffset.UTC));
            } else if (value instanceof LocalDateTime v) {
                statement.setObject(index, v);
            } else if (value instanceof LocalDate v) {
                statement.setObject(index, v);
            } else {
                throw new IllegalArgumentException("cannot bind " + value.getClass().getName());
            }
        }
    }

    private static void closeQuietly(AutoCloseable closeable) {
        if (closeable != null) {
            try {
                closeable.close();
            } catch (Exception ignored) {
                // Already failing or closing; the first error is the one worth reporting.
            }
        }
    }
}
