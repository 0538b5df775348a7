package dev.fletcher.warehouse.bigquery;

import com.google.cloud.bigquery.BigQuery;
import com.google.cloud.bigquery.BigQueryException;
import com.google.cloud.bigquery.ConnectionProperty;
import com.google.cloud.bigquery.FormatOptions;
import com.google.cloud.bigquery.Job;
import com.google.cloud.bigquery.JobInfo;
import com.google.cloud.bigquery.JobStatistics;
import com.google.cloud.bigquery.QueryJobConfiguration;
import com.google.cloud.bigquery.QueryParameterValue;
import com.google.cloud.bigquery.StandardSQLTypeName;
import com.google.cloud.bigquery.StandardTableDefinition;
import com.google.cloud.bigquery.TableDataWriteChannel;
import com.google.cloud.bigquery.TableId;
import com.google.cloud.bigquery.TableInfo;
import com.google.cloud.bigquery.WriteChannelConfiguration;
import dev.fletcher.spi.PluginException;
import dev.fletcher.spi.warehouse.Dialect;
import dev.fletcher.spi.warehouse.Statement;
import dev.fletcher.spi.warehouse.WarehouseSession;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.nio.channels.Channels;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * One BigQuery session, created with its first query. Registered tables are the session's temporary tables: the
 * rows are loaded into the staging dataset (a table that expires by itself should the session die first), copied
 * into the temporary table and the staging table dropped. Statements bind their values as positional query
 * parameters; results stream through the Storage Read API.
 */
final class BigQuerySession implements WarehouseSession {
    private final BigQueryWarehouse warehouse;
    private final BigQuery bigQuery;
    private final BigQueryConfig config;
    private final Set<String> registered = new LinkedHashSet<>();
    private final Set<ArrowReader> readers = Collections.newSetFromMap(new IdentityHashMap<>());
    private String sessionId;
    private boolean closed;

    BigQuerySession(BigQueryWarehouse warehouse) {
        this.warehouse = warehouse;
        this.bigQuery = warehouse.bigQuery();
        this.config = warehouse.config();
    }

    private Dialect dialect() {
        return warehouse.dialect();
    }

    /** Runs a statement in the session and waits for it; a failed job surfaces with BigQuery's message. */
    Job run(String sql, List<Object> parameters, boolean dryRun) {
        List<QueryParameterValue> values = new ArrayList<>();
        for (Object parameter : parameters) {
            values.add(parameter(parameter));
        }
        QueryJobConfiguration.Builder query = QueryJobConfiguration.newBuilder(sql)
                .setUseLegacySql(false)
                .setDefaultDataset(config.project() + "." + config.dataset())
                .setPositionalParameters(values)
                .setDryRun(dryRun)
                .setJobTimeoutMs(Duration.ofSeconds(config.timeoutSeconds()).toMillis());
        if (sessionId == null) {
            query.setCreateSession(!dryRun);
        } else {
            query.setConnectionProperties(List.of(ConnectionProperty.of("session_id", sessionId)));
        }
        try {
            Job job = bigQuery.create(JobInfo.of(query.build()));
            if (dryRun) {
                return job;
            }
            job = job.waitFor();
            if (job == null) {
                throw warehouse.error("the query job disappeared before it finished");
            }
            if (job.getStatus().getError() != null) {
                throw warehouse.error(job.getStatus().getError().getMessage());
            }
            if (sessionId == null) {
                JobStatistics statistics = job.getStatistics();
                if (statistics.getSessionInfo() != null) {
                    sessionId = statistics.getSessionInfo().getSessionId();
                }
            }
            return job;
        } catch (BigQueryException e) {
            throw warehouse.error(e.getError() != null && e.getError().getMessage() != null
                    ? e.getError().getMessage() : e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw warehouse.error("interrupted while waiting for BigQuery");
        }
    }

    /** A request value as a query parameter; a null travels as a STRING null, which CAST turns into any type. */
    static QueryParameterValue parameter(Object value) {
        if (value == null) {
            return QueryParameterValue.of(null, StandardSQLTypeName.STRING);
        } else if (value instanceof String v) {
            return QueryParameterValue.string(v);
        } else if (value instanceof Boolean v) {
            return QueryParameterValue.bool(v);
        } else if (value instanceof Integer v) {
            return QueryParameterValue.int64(v);
        } else if (value instanceof Long v) {
            return QueryParameterValue.int64(v);
        } else if (value instanceof Double v) {
            return QueryParameterValue.float64(v);
        } else if (value instanceof BigDecimal v) {
            return QueryParameterValue.bigNumeric(v);
        } else if (value instanceof Instant v) {
            return QueryParameterValue.timestamp(micros(v));
        } else if (value instanceof LocalDateTime v) {
            return QueryParameterValue.timestamp(micros(v.toInstant(ZoneOffset.UTC)));
        } else if (value instanceof LocalDate v) {
            return QueryParameterValue.date(v.toString());
        }
        throw new IllegalArgumentException("cannot bind " + value.getClass().getName());
    }

    private static long micros(Instant instant) {
        return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000L), instant.getNano() / 1_000);
    }

    @Override
    public void registerTable(String name, ArrowReader rows) {
        try (ArrowReader owned = rows) {
            checkOpen();
            if (Dialect.checkTableName(name).length != 1) {
                throw warehouse.error("registered table '" + name + "' lives in the session: give a name without"
                        + " a dataset");
            }
            TableId staging = TableId.of(config.project(), config.stagingDataset(),
                    "_fl_upload_" + UUID.randomUUID().toString().replace("-", ""));
            try {
                load(staging, owned, JobInfo.WriteDisposition.WRITE_EMPTY, true);
                run("CREATE OR REPLACE TEMP TABLE " + dialect().quoteIdentifier(name) + " AS SELECT * FROM "
                        + dialect().quoteIdentifier(staging.getDataset()) + "."
                        + dialect().quoteIdentifier(staging.getTable()), List.of(), false);
                registered.add(name);
            } finally {
                bigQuery.delete(staging);
            }
        } catch (IllegalArgumentException e) {
            throw warehouse.error(e.getMessage());
        } catch (IOException | BigQueryException e) {
            throw warehouse.error(e);
        }
    }

    @Override
    public void createTable(String name, ArrowReader rows, boolean replace) {
        try (ArrowReader owned = rows) {
            checkOpen();
            TableId table = tableId(name);
            if (!replace && bigQuery.getTable(table) != null) {
                throw warehouse.error("table '" + name + "' exists already");
            }
            load(table, owned, replace ? JobInfo.WriteDisposition.WRITE_TRUNCATE
                    : JobInfo.WriteDisposition.WRITE_EMPTY, false);
        } catch (IllegalArgumentException e) {
            throw warehouse.error(e.getMessage());
        } catch (IOException | BigQueryException e) {
            throw warehouse.error(e);
        }
    }

    /** Loads the rows with one load job of newline-delimited JSON, the schema given, never guessed. */
    private void load(TableId table, ArrowReader rows, JobInfo.WriteDisposition disposition, boolean expiring)
            throws IOException {
        var schema = Uploads.schema(rows.getVectorSchemaRoot().getSchema());
        if (expiring) {
            long expires = System.currentTimeMillis() + config.stagingExpirationMinutes() * 60_000L;
            bigQuery.create(TableInfo.newBuilder(table, StandardTableDefinition.of(schema))
                    .setExpirationTime(expires).build());
        }
        WriteChannelConfiguration load = WriteChannelConfiguration.newBuilder(table)
                .setFormatOptions(FormatOptions.json())
                .setSchema(schema)
                .setCreateDisposition(JobInfo.CreateDisposition.CREATE_IF_NEEDED)
                .setWriteDisposition(expiring ? JobInfo.WriteDisposition.WRITE_APPEND : disposition)
                .build();
        TableDataWriteChannel channel = bigQuery.writer(load);
        try (OutputStream out = Channels.newOutputStream(channel)) {
            Uploads.writeJson(rows, out);
        }
        Job job = channel.getJob();
        try {
            job = job == null ? null : job.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw warehouse.error("interrupted while loading rows");
        }
        if (job == null) {
            throw warehouse.error("the load job disappeared before it finished");
        }
        if (job.getStatus().getError() != null) {
            throw warehouse.error("loading rows into " + table.getTable() + " failed: "
                    + job.getStatus().getError().getMessage());
        }
    }

    private TableId tableId(String name) {
        String[] parts = Dialect.checkTableName(name);
        return parts.length == 2 ? TableId.of(config.project(), parts[0], parts[1])
                : TableId.of(config.project(), config.dataset(), parts[0]);
    }

    @Override
    public void dropTable(String name) {
        checkOpen();
        try {
            if (registered.remove(name)) {
                run("DROP TABLE IF EXISTS _SESSION." + dialect().quoteIdentifier(name), List.of(), false);
            } else {
                bigQuery.delete(tableId(name));
            }
        } catch (IllegalArgumentException e) {
            throw warehouse.error(e.getMessage());
        } catch (BigQueryException e) {
            throw warehouse.error(e);
        }
    }

    @Override
    public boolean tableExists(String name) {
        checkOpen();
        if (registered.contains(name)) {
            return true;
        }
        try {
            return bigQuery.getTable(tableId(name)) != null;
        } catch (IllegalArgumentException e) {
            throw warehouse.error(e.getMessage());
        } catch (BigQueryException e) {
            throw warehouse.error(e);
        }
    }

    @Override
    public ArrowReader query(Statement statement, BufferAllocator allocator) {
        checkOpen();
        Job job = run(statement.sql(), statement.parameters(), false);
        TableId result = ((QueryJobConfiguration) job.getConfiguration()).getDestinationTable();
        if (result == null) {
            throw warehouse.error("the statement returns no rows");
        }
        ArrowReader[] self = new ArrowReader[1];
        ArrowReader reader = new StorageReader(warehouse, result, allocator, () -> finished(self[0]));
        self[0] = reader;
        synchronized (readers) {
            readers.add(reader);
        }
        return reader;
    }

    private void finished(ArrowReader reader) {
        synchronized (readers) {
            readers.remove(reader);
        }
    }

    /** A dry run: BigQuery plans the query and names its columns without reading a byte. */
    @Override
    public Schema describe(Statement statement, BufferAllocator allocator) {
        checkOpen();
        Job job = run(statement.sql(), statement.parameters(), true);
        JobStatistics.QueryStatistics statistics = job.getStatistics();
        if (statistics == null || statistics.getSchema() == null) {
            throw warehouse.error("the statement returns no rows, so it has no schema");
        }
        return Uploads.arrowSchema(statistics.getSchema());
    }

    @Override
    public long execute(Statement statement) {
        checkOpen();
        Job job = run(statement.sql(), statement.parameters(), false);
        JobStatistics statistics = job.getStatistics();
        if (statistics instanceof JobStatistics.QueryStatistics query && query.getNumDmlAffectedRows() != null) {
            return query.getNumDmlAffectedRows();
        }
        return -1;
    }

    private void checkOpen() {
        if (closed) {
            throw warehouse.error("the session is closed");
        }
    }

    /** Closes the readers still open and ends the BigQuery session, which drops its temporary tables. */
    @Override
    public void close() {
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
                // Best effort: the session ends either way.
            }
        }
        try {
            if (sessionId != null) {
                QueryJobConfiguration abort = QueryJobConfiguration.newBuilder("CALL BQ.ABORT_SESSION()")
                        .setUseLegacySql(false)
                        .setConnectionProperties(List.of(ConnectionProperty.of("session_id", sessionId))).build();
                bigQuery.query(abort);
            }
        } catch (BigQueryException | InterruptedException | PluginException e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            // The session expires by itself; its temporary tables go with it.
        } finally {
            warehouse.closed(this);
        }
    }
}
