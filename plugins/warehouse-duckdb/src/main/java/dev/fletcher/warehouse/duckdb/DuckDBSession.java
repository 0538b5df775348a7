package dev.fletcher.warehouse.duckdb;

import dev.fletcher.spi.warehouse.Statement;
import dev.fletcher.warehouse.jdbc.JdbcSession;
import dev.fletcher.warehouse.jdbc.Parameters;
import java.io.IOException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.arrow.c.ArrowArrayStream;
import org.apache.arrow.c.Data;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.types.pojo.Schema;
import org.duckdb.DuckDBConnection;
import org.duckdb.DuckDBResultSet;

/**
 * One duplicate of the warehouse's base connection; registered tables are its temporary tables. Rows move in and
 * out through DuckDB's own Arrow streams rather than row by row.
 */
final class DuckDBSession extends JdbcSession {
    private static final AtomicLong UPLOADS = new AtomicLong();

    private final boolean locked;

    DuckDBSession(DuckDBWarehouse warehouse, DuckDBConnection connection) throws SQLException {
        super(warehouse, connection);
        this.locked = warehouse.locked();
        // Timestamps without a zone are UTC; casts between the two kinds must agree (set globally when locked).
        if (!locked) {
            run("SET TimeZone = 'UTC'");
        }
    }

    @Override
    protected void registerRows(String name, ArrowReader rows) throws IOException {
        load(rows, "CREATE OR REPLACE TEMP TABLE " + quote(name) + " AS SELECT * FROM ");
    }

    @Override
    protected void createTableFrom(String name, ArrowReader rows, boolean replace) throws IOException {
        load(rows, (replace ? "CREATE OR REPLACE TABLE " : "CREATE TABLE ") + quote(name) + " AS SELECT * FROM ");
    }

    /** Hands the rows to DuckDB through the C stream interface and copies them into a table with one statement. */
    private void load(ArrowReader rows, String createAsSelectFrom) throws IOException {
        VectorSchemaRoot root = rows.getVectorSchemaRoot();
        if (root.getFieldVectors().isEmpty()) {
            throw error("the uploaded rows have no columns");
        }
        BufferAllocator allocator = root.getFieldVectors().get(0).getAllocator();
        String view = "fletcher_upload_" + UPLOADS.incrementAndGet();
        try (ArrowArrayStream stream = ArrowArrayStream.allocateNew(allocator)) {
            // From here the stream owns the reader and closes it when released (DuckDB releases it after the scan).
            Data.exportArrayStream(allocator, rows, stream);
            connection().unwrap(DuckDBConnection.class).registerArrowStream(view, stream);
            try {
                run(createAsSelectFrom + quote(view));
            } finally {
                run("DROP VIEW IF EXISTS " + quote(view));
            }
        } catch (SQLException | RuntimeException e) {
            throw error(e);
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
        try (PreparedStatement statement = connection().prepareStatement(sql)) {
            statement.setString(1, parts[parts.length - 1]);
            if (parts.length == 2) {
                statement.setString(2, parts[0]);
                statement.setString(3, parts[0]);
            }
            try (ResultSet result = statement.executeQuery()) {
                return result.next() && result.getLong(1) > 0;
            }
        } catch (SQLException e) {
            throw error(e);
        }
    }

    /** DuckDB exports its result as Arrow itself, so no row passes through JDBC one value at a time. */
    @Override
    protected ArrowReader arrow(ResultSet result, BufferAllocator allocator, AutoCloseable release)
            throws SQLException {
        DuckDBResultSet duckdb = result.unwrap(DuckDBResultSet.class);
        ArrowReader arrow = (ArrowReader) duckdb.arrowExportStream(allocator, batchSize());
        return new UtcTimestampReader(allocator, arrow, release, this::failed);
    }

    /**
     * A streamed query that fails while DuckDB starts it reports only "Invalid result set"; running it once more
     * without streaming recovers DuckDB's own message. Only failed queries pay for this.
     */
    @Override
    protected Exception diagnose(SQLException failure, Statement statement) {
        // with the configuration locked the session cannot switch streaming off, and DuckDB's words stay hidden
        if (locked || failure.getMessage() == null || !failure.getMessage().contains("Invalid result set")) {
            return failure;
        }
        try {
            run("SET SESSION jdbc_stream_results = false");
            try (PreparedStatement again = connection().prepareStatement(statement.sql())) {
                Parameters.bind(again, statement.parameters());
                again.execute();
            } finally {
                run("SET SESSION jdbc_stream_results = true");
            }
        } catch (SQLException reason) {
            return reason;
        }
        return failure;
    }

    /** The schema the Arrow export would produce, so it matches {@link #query} exactly. */
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
            throw error(e);
        }
    }
}
