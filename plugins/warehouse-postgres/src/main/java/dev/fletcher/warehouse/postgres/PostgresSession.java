package dev.fletcher.warehouse.postgres;

import dev.fletcher.spi.PluginException;
import dev.fletcher.spi.warehouse.Dialect;
import dev.fletcher.spi.warehouse.Statement;
import dev.fletcher.spi.warehouse.WarehouseSession;
import java.io.IOException;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.arrow.adapter.jdbc.ArrowVectorIterator;
import org.apache.arrow.adapter.jdbc.JdbcToArrowConfig;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.types.pojo.Schema;
import org.postgresql.PGConnection;

/**
 * One pooled connection, autocommit off: each call is its own transaction, committed when it ends, except that a
 * query's transaction lasts until its reader closes, because PostgreSQL streams through a cursor only inside one.
 * Registered tables are temporary tables, dropped when the session closes.
 */
final class PostgresSession implements WarehouseSession {
    private final PostgresWarehouse warehouse;
    private final Connection connection;
    private final Dialect dialect;
    private final Set<String> registered = new LinkedHashSet<>();
    private final Set<ArrowResults.Reader> readers = Collections.newSetFromMap(new IdentityHashMap<>());
    private boolean closed;
    private boolean broken;

    PostgresSession(PostgresWarehouse warehouse, Connection connection) {
        this.warehouse = warehouse;
        this.connection = connection;
        this.dialect = warehouse.dialect();
    }

    @Override
    public void registerTable(String name, ArrowReader rows) {
        try (ArrowReader owned = rows) {
            checkOpen();
            String table = quote(plainName(name));
            load(owned, table, "DROP TABLE IF EXISTS pg_temp." + table, "CREATE TEMP TABLE " + table);
            registered.add(name);
        } catch (IOException e) {
            throw warehouse.error(e);
        }
    }

    @Override
    public void createTable(String name, ArrowReader rows, boolean replace) {
        try (ArrowReader owned = rows) {
            checkOpen();
            String table = quote(name);
            load(owned, table, replace ? "DROP TABLE IF EXISTS " + table : null, "CREATE TABLE " + table);
        } catch (IOException e) {
            throw warehouse.error(e);
        }
    }

    /** Creates the table and copies the rows in one transaction, so a failure leaves no half-loaded table. */
    private void load(ArrowReader rows, String table, String drop, String create) throws IOException {
        String columns;
        String names;
        try {
            var fields = rows.getVectorSchemaRoot().getSchema().getFields();
            columns = CopyUpload.columns(fields, dialect::quoteIdentifier);
            names = String.join(", ", fields.stream().map(f -> dialect.quoteIdentifier(f.getName())).toList());
        } catch (IllegalArgumentException e) {
            throw warehouse.error(e.getMessage());
        }
        try {
            if (drop != null) {
                run(drop);
            }
            run(create + " (" + columns + ")");
            CopyUpload.copy(connection.unwrap(PGConnection.class).getCopyAPI(), table, names, rows);
            // Temporary tables are never analyzed automatically; without statistics joins plan badly.
            run("ANALYZE " + table);
            commitIfIdle();
        } catch (SQLException | RuntimeException e) {
            throw failed(e);
        }
    }

    @Override
    public void dropTable(String name) {
        checkOpen();
        String table = quote(name);
        try {
            run("DROP TABLE IF EXISTS " + table);
            commitIfIdle();
            registered.remove(name);
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public boolean tableExists(String name) {
        checkOpen();
        String table = quote(name);
        try (PreparedStatement statement = connection.prepareStatement(
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

    @Override
    public ArrowReader query(Statement statement, BufferAllocator allocator) {
        checkOpen();
        PreparedStatement prepared = null;
        ResultSet result = null;
        ArrowVectorIterator batches = null;
        try {
            prepared = connection.prepareStatement(statement.sql(), ResultSet.TYPE_FORWARD_ONLY,
                    ResultSet.CONCUR_READ_ONLY);
            prepared.setFetchSize(warehouse.fetchSize());
            bind(prepared, statement.parameters());
            result = prepared.executeQuery();
            ResultSetMetaData metadata = result.getMetaData();
            JdbcToArrowConfig config = ArrowResults.config(allocator, warehouse.batchSize(), metadata);
            Schema schema = ArrowResults.schema(metadata, config);
            batches = ArrowVectorIterator.create(result, config);
            PreparedStatement p = prepared;
            ResultSet r = result;
            ArrowResults.Reader[] self = new ArrowResults.Reader[1];
            ArrowResults.Reader reader = new ArrowResults.Reader(allocator, schema, batches, () -> {
                try (PreparedStatement closeStatement = p; ResultSet closeResult = r) {
                    finished(self[0]);
                }
            }, this::failed);
            self[0] = reader;
            synchronized (readers) {
                readers.add(reader);
            }
            return reader;
        } catch (SQLException | RuntimeException e) {
            ConnectionPool.closeQuietly(batches);
            ConnectionPool.closeQuietly(result);
            ConnectionPool.closeQuietly(prepared);
            throw failed(e);
        }
    }

    private void finished(ArrowResults.Reader reader) {
        synchronized (readers) {
            readers.remove(reader);
        }
        if (!closed) {
            commitIfIdle();
        }
    }

    @Override
    public Schema describe(Statement statement, BufferAllocator allocator) {
        checkOpen();
        try (PreparedStatement prepared = connection.prepareStatement(statement.sql())) {
            bind(prepared, statement.parameters());
            // Parse and describe only: PostgreSQL reports the columns without running the query.
            ResultSetMetaData metadata = prepared.getMetaData();
            if (metadata == null) {
                throw warehouse.error("the statement returns no rows, so it has no schema");
            }
            Schema schema = ArrowResults.schema(metadata, ArrowResults.config(allocator, 1, metadata));
            commitIfIdle();
            return schema;
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public long execute(Statement statement) {
        checkOpen();
        try (PreparedStatement prepared = connection.prepareStatement(statement.sql())) {
            bind(prepared, statement.parameters());
            long count = prepared.execute() ? -1 : prepared.getLargeUpdateCount();
            commitIfIdle();
            return count;
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public void close() {
        List<ArrowResults.Reader> open;
        synchronized (readers) {
            if (closed) {
                return;
            }
            closed = true;
            open = List.copyOf(readers);
        }
        for (ArrowResults.Reader reader : open) {
            try {
                reader.close();
            } catch (IOException | RuntimeException ignored) {
                // The rollback below ends the reader's cursor either way.
            }
        }
        try {
            connection.rollback();
            for (String name : registered) {
                run("DROP TABLE IF EXISTS pg_temp." + dialect.tableName(name));
            }
            connection.commit();
        } catch (SQLException | RuntimeException e) {
            broken = true;
        }
        warehouse.closed(this, connection, !broken);
    }

    private void commitIfIdle() {
        synchronized (readers) {
            if (!readers.isEmpty()) {
                return;
            }
        }
        try {
            connection.commit();
        } catch (SQLException e) {
            // A failed transaction cannot commit; rolling back makes the connection usable again.
            rollbackQuietly();
        }
    }

    /** Rolls back so the session stays usable, then reports PostgreSQL's own words. */
    private PluginException failed(Exception e) {
        rollbackQuietly();
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql && sql.getSQLState() != null && sql.getSQLState().startsWith("08")) {
                broken = true;
            }
        }
        return warehouse.error(e);
    }

    private void rollbackQuietly() {
        try {
            connection.rollback();
        } catch (SQLException e) {
            broken = true;
        }
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

    private String plainName(String name) {
        if (quote(name).contains(".")) {
            throw warehouse.error("registered table '" + name + "' lives in the session: give a name without a"
                    + " schema");
        }
        return name;
    }

    private static void bind(PreparedStatement statement, List<Object> parameters) throws SQLException {
        for (int i = 0; i < parameters.size(); i++) {
            int index = i + 1;
            Object value = parameters.get(i);
            if (value == null) {
                statement.setNull(index, Types.NULL);
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
}
