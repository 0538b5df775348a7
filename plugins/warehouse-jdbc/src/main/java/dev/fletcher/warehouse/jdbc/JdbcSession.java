package dev.fletcher.warehouse.jdbc;

import dev.fletcher.spi.PluginException;
import dev.fletcher.spi.warehouse.Dialect;
import dev.fletcher.spi.warehouse.Statement;
import dev.fletcher.spi.warehouse.StatementTimeoutException;
import dev.fletcher.spi.warehouse.WarehouseSession;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * A session on one JDBC connection. Statements are prepared and bound here, results stream as Arrow, and the
 * readers handed out are tracked so that closing the session closes them. A plugin adds how rows are uploaded and
 * how a table is looked up, and may change how results become Arrow, how a failure is reported, and what happens
 * when a call ends or the session closes.
 */
public abstract class JdbcSession implements WarehouseSession {
    private final JdbcWarehouse warehouse;
    private final Connection connection;
    private final Set<ArrowReader> readers = Collections.newSetFromMap(new IdentityHashMap<>());
    private boolean closed;

    protected JdbcSession(JdbcWarehouse warehouse, Connection connection) {
        this.warehouse = warehouse;
        this.connection = connection;
    }

    protected final Connection connection() {
        return connection;
    }

    protected final Dialect dialect() {
        return warehouse.dialect();
    }

    protected final int batchSize() {
        return warehouse.batchSize();
    }

    /** How long a statement may run before it is cancelled; zero for no limit. */
    protected final java.time.Duration statementTimeout() {
        return warehouse.statementTimeout();
    }

    /**
     * Creates a table visible to this session only, holding the rows; replaces one registered before under that
     * name. The name is checked to be plain; the caller closes the rows.
     */
    protected abstract void registerRows(String name, ArrowReader rows) throws IOException;

    /** Creates a permanent table holding the rows; the caller closes the rows. */
    protected abstract void createTableFrom(String name, ArrowReader rows, boolean replace) throws IOException;

    @Override
    public final void registerTable(String name, ArrowReader rows) {
        try (ArrowReader owned = rows) {
            checkOpen();
            registerRows(plainName(name), owned);
        } catch (IOException e) {
            throw error(e);
        }
    }

    @Override
    public final void createTable(String name, ArrowReader rows, boolean replace) {
        try (ArrowReader owned = rows) {
            checkOpen();
            createTableFrom(name, owned, replace);
        } catch (IOException e) {
            throw error(e);
        }
    }

    @Override
    public void dropTable(String name) {
        checkOpen();
        String table = quote(name);
        try {
            run("DROP TABLE IF EXISTS " + table);
            callEnded();
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public final ArrowReader query(Statement statement, BufferAllocator allocator) {
        checkOpen();
        PreparedStatement prepared = null;
        ResultSet result = null;
        JdbcWarehouse.Deadline deadline = null;
        try {
            beforeQuery();
            prepared = prepare(statement, true);
            deadline = warehouse.new Deadline(prepared);
            boolean late;
            try {
                result = prepared.executeQuery();
            } finally {
                late = deadline.stop();
            }
            if (late) {
                throw deadline.timedOut(null);
            }
            PreparedStatement p = prepared;
            ResultSet r = result;
            ArrowReader[] self = new ArrowReader[1];
            ArrowReader reader = arrow(result, allocator, () -> {
                try (PreparedStatement closeStatement = p; ResultSet closeResult = r) {
                    finished(self[0]);
                }
            });
            self[0] = reader;
            synchronized (readers) {
                readers.add(reader);
            }
            return reader;
        } catch (SQLException | RuntimeException e) {
            Closing.quietly(result);
            Closing.quietly(prepared);
            if (deadline != null && deadline.stop()) {
                throw failed(e instanceof StatementTimeoutException ? e : deadline.timedOut(e));
            }
            throw failed(e instanceof SQLException sql ? diagnose(sql, statement) : e);
        }
    }

    /**
     * Called before a query (and a description of one) starts, outside any open reader's transaction; a warehouse
     * that can run queries read-only says so here.
     */
    protected void beforeQuery() throws SQLException {
    }

    /**
     * The result as Arrow, by default through {@link #arrowResults()}. The reader must call {@code release} once
     * when it closes, and report failures through {@link #failed}.
     */
    protected ArrowReader arrow(ResultSet result, BufferAllocator allocator, AutoCloseable release)
            throws SQLException {
        return arrowResults().reader(result, allocator, batchSize(), release, this::failed);
    }

    /** How this driver's results become Arrow. */
    protected ArrowResults arrowResults() {
        return ArrowResults.STANDARD;
    }

    private void finished(ArrowReader reader) {
        synchronized (readers) {
            readers.remove(reader);
        }
        if (!closed) {
            callEnded();
        }
    }

    protected final boolean hasOpenReaders() {
        synchronized (readers) {
            return !readers.isEmpty();
        }
    }

    /** By default the driver describes the prepared statement, without running it. */
    @Override
    public Schema describe(Statement statement, BufferAllocator allocator) {
        checkOpen();
        try {
            beforeQuery();
        } catch (SQLException e) {
            throw failed(e);
        }
        try (PreparedStatement prepared = prepare(statement, false)) {
            ResultSetMetaData metadata = prepared.getMetaData();
            if (metadata == null) {
                throw error("the statement returns no rows, so it has no schema");
            }
            Schema schema = arrowResults().schema(metadata, allocator);
            callEnded();
            return schema;
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public final long execute(Statement statement) {
        checkOpen();
        JdbcWarehouse.Deadline deadline = null;
        try (PreparedStatement prepared = prepare(statement, false)) {
            deadline = warehouse.new Deadline(prepared);
            long count;
            try {
                count = prepared.execute() ? -1 : prepared.getLargeUpdateCount();
            } finally {
                deadline.stop();
            }
            callEnded();
            return count;
        } catch (SQLException e) {
            if (deadline != null && deadline.stop()) {
                throw failed(deadline.timedOut(e));
            }
            throw failed(diagnose(e, statement));
        }
    }

    /** A prepared and bound statement; one whose result will stream reads forward only, a fetch size at a time. */
    private PreparedStatement prepare(Statement statement, boolean streaming) throws SQLException {
        PreparedStatement prepared = streaming
                ? connection.prepareStatement(statement.sql(), ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY)
                : connection.prepareStatement(statement.sql());
        try {
            if (streaming && warehouse.fetchSize() > 0) {
                prepared.setFetchSize(warehouse.fetchSize());
            }
            Parameters.bind(prepared, statement.parameters());
            return prepared;
        } catch (SQLException | RuntimeException e) {
            Closing.quietly(prepared);
            throw e;
        }
    }

    /** A better account of a failed statement where the driver's first one says little; by default the failure. */
    protected Exception diagnose(SQLException failure, Statement statement) {
        return failure;
    }

    /** Called when a call ends well and when a reader closes while the session is open. */
    protected void callEnded() {}

    /** A failure as the session reports it; a plugin may first put the connection right. */
    protected PluginException failed(Exception e) {
        return warehouse.error(e);
    }

    @Override
    public final void close() {
        List<ArrowReader> open;
        synchronized (readers) {
            if (closed) {
                return;
            }
            closed = true;
            open = List.copyOf(readers);
        }
        for (ArrowReader reader : open) {
            try {
                reader.close();
            } catch (IOException | RuntimeException ignored) {
                // Best effort: what follows ends the reader's statement either way.
            }
        }
        warehouse.closed(this, connection, cleanUp());
    }

    /** Ends the session's work on the connection; answers whether the connection can serve another session. */
    protected boolean cleanUp() {
        return true;
    }

    /**
     * Creates {@code table} with a column per field of the rows ({@code type} names each column's type), after
     * running {@code before} when it is not null (e.g. dropping an older table), and inserts the rows in batches of
     * bound rows ({@link BatchInsert}). {@code create} is the statement's start up to the name, e.g.
     * {@code "CREATE TEMP TABLE "}.
     */
    protected final void createAndInsert(ArrowReader rows, String table, String before, String create,
            Function<Field, String> type, int batchRows) throws IOException {
        String columns;
        try {
            columns = BatchInsert.columns(rows.getVectorSchemaRoot().getSchema().getFields(), dialect()::quoteIdentifier,
                    type);
        } catch (IllegalArgumentException e) {
            throw error(e.getMessage());
        }
        try {
            if (before != null) {
                run(before);
            }
            run(create + table + " (" + columns + ")");
            BatchInsert.insert(connection(), table, rows, dialect()::quoteIdentifier, batchRows);
        } catch (SQLException | RuntimeException e) {
            throw failed(e);
        }
    }

    protected final void run(String sql) throws SQLException {
        try (java.sql.Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    protected final void checkOpen() {
        if (closed) {
            throw error("the session is closed");
        }
    }

    /** The table name checked and quoted by the dialect. */
    protected final String quote(String name) {
        try {
            return dialect().tableName(name);
        } catch (IllegalArgumentException e) {
            throw error(e.getMessage());
        }
    }

    /** The parts of a checked table name: the table alone, or schema and table. */
    protected final String[] parts(String name) {
        try {
            return Dialect.checkTableName(name);
        } catch (IllegalArgumentException e) {
            throw error(e.getMessage());
        }
    }

    private String plainName(String name) {
        if (parts(name).length != 1) {
            throw error("registered table '" + name + "' lives in the session: give a name without a schema");
        }
        return name;
    }

    protected final PluginException error(String message) {
        return warehouse.error(message);
    }

    protected final PluginException error(Exception e) {
        return warehouse.error(e);
    }
}
