package dev.fletcher.server.flightsql;

import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import com.google.protobuf.Message;
import dev.fletcher.catalog.model.Catalog;
import dev.fletcher.catalog.model.Grain;
import dev.fletcher.catalog.model.Metric;
import dev.fletcher.engine.plan.MetricPlanner;
import dev.fletcher.engine.plan.MetricQuery;
import dev.fletcher.server.arrow.ClientReadiness;
import dev.fletcher.server.metrics.MetricQueries;
import dev.fletcher.server.metrics.PreparedMetricQuery;
import dev.fletcher.server.problem.FlightProblems;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import org.apache.arrow.flight.CallStatus;
import org.apache.arrow.flight.FlightDescriptor;
import org.apache.arrow.flight.FlightEndpoint;
import org.apache.arrow.flight.FlightInfo;
import org.apache.arrow.flight.FlightRuntimeException;
import org.apache.arrow.flight.Result;
import org.apache.arrow.flight.Ticket;
import org.apache.arrow.flight.sql.FlightSqlProducer;
import org.apache.arrow.flight.sql.NoOpFlightSqlProducer;
import org.apache.arrow.flight.sql.SqlInfoBuilder;
import org.apache.arrow.flight.sql.impl.FlightSql;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VarBinaryVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;
import org.jboss.logging.Logger;

/**
 * Arrow Flight SQL on the Flight port: metrics as tables for BI tools and notebooks. Catalog {@code fletcher}, schema
 * {@code metrics}; table {@code metrics} has every metric and dimension as a column, and each metric is a table of its
 * own with the columns it can be grouped by. Statements ({@link MetricStatement}) run as metrics queries, directly or
 * as prepared statements (which the JDBC driver always uses).
 */
@ApplicationScoped
public class MetricsSqlProducer extends NoOpFlightSqlProducer {
    static final String CATALOG = "fletcher";
    static final String SCHEMA = "metrics";
    private static final Logger LOG = Logger.getLogger(MetricsSqlProducer.class);
    private static final int MAX_PREPARED = 1024;

    private final MetricQueries queries;
    private final BufferAllocator allocator;
    /** Prepared statements by handle: their text, dropped oldest first beyond the bound. */
    private final Map<ByteString, String> prepared = Collections.synchronizedMap(new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<ByteString, String> eldest) {
            return size() > MAX_PREPARED;
        }
    });
    private final SqlInfoBuilder sqlInfo = new SqlInfoBuilder()
            .withFlightSqlServerName("Fletcher")
            .withFlightSqlServerVersion("0.1")
            .withFlightSqlServerArrowVersion("19")
            .withFlightSqlServerReadOnly(true)
            .withFlightSqlServerSql(true)
            .withSqlIdentifierQuoteChar("\"");
    private volatile Map<String, Schema> tables;
    private volatile long tablesVersion = -1;

    /** For the container's client proxy only. */
    protected MetricsSqlProducer() {
        this.queries = null;
        this.allocator = null;
    }

    @Inject
    public MetricsSqlProducer(MetricQueries queries, dev.fletcher.server.arrow.ArrowMemory memory) {
        this.queries = queries;
        this.allocator = memory.child("flight-sql metadata");
    }

    // ---------------------------------------------------------------- statements

    @Override
    public FlightInfo getFlightInfoStatement(FlightSql.CommandStatementQuery command, CallContext context,
            FlightDescriptor descriptor) {
        String sql = command.getQuery();
        Schema schema = schemaOf(sql);
        FlightSql.TicketStatementQuery ticket = FlightSql.TicketStatementQuery.newBuilder()
                .setStatementHandle(ByteString.copyFromUtf8(sql)).build();
        return info(schema, descriptor, ticket);
    }

    @Override
    public void getStreamStatement(FlightSql.TicketStatementQuery ticket, CallContext context,
            ServerStreamListener listener) {
        stream(ticket.getStatementHandle().toStringUtf8(), listener);
    }

    @Override
    public void createPreparedStatement(FlightSql.ActionCreatePreparedStatementRequest request, CallContext context,
            StreamListener<Result> listener) {
        try {
            Schema schema = schemaOf(request.getQuery());
            ByteString handle = ByteString.copyFromUtf8(UUID.randomUUID().toString());
            prepared.put(handle, request.getQuery());
            FlightSql.ActionCreatePreparedStatementResult result = FlightSql.ActionCreatePreparedStatementResult
                    .newBuilder().setPreparedStatementHandle(handle)
                    .setDatasetSchema(ByteString.copyFrom(schema.serializeAsMessage()))
                    .setParameterSchema(ByteString.copyFrom(new Schema(List.of()).serializeAsMessage()))
                    .build();
            listener.onNext(new Result(Any.pack(result).toByteArray()));
            listener.onCompleted();
        } catch (RuntimeException e) {
            listener.onError(FlightProblems.of(e));
        }
    }

    @Override
    public void closePreparedStatement(FlightSql.ActionClosePreparedStatementRequest request, CallContext context,
            StreamListener<Result> listener) {
        prepared.remove(request.getPreparedStatementHandle());
        listener.onCompleted();
    }

    @Override
    public FlightInfo getFlightInfoPreparedStatement(FlightSql.CommandPreparedStatementQuery command,
            CallContext context, FlightDescriptor descriptor) {
        return info(schemaOf(preparedText(command)), descriptor, command);
    }

    @Override
    public void getStreamPreparedStatement(FlightSql.CommandPreparedStatementQuery command, CallContext context,
            ServerStreamListener listener) {
        try {
            stream(preparedText(command), listener);
        } catch (FlightRuntimeException e) {
            listener.error(e);
        }
    }

    private String preparedText(FlightSql.CommandPreparedStatementQuery command) {
        String sql = prepared.get(command.getPreparedStatementHandle());
        if (sql == null) {
            throw CallStatus.NOT_FOUND.withDescription("no prepared statement with that handle (closed or expired);"
                    + " prepare it again").toRuntimeException();
        }
        return sql;
    }

    private PreparedMetricQuery prepare(String sql) {
        Catalog catalog = queries.catalog();
        MetricQuery query = MetricStatement.parse(sql, catalog);
        return queries.prepare(catalog, query);
    }

    private Schema schemaOf(String sql) {
        try (PreparedMetricQuery query = prepare(sql)) {
            return query.schema();
        } catch (RuntimeException e) {
            throw FlightProblems.of(e);
        }
    }

    private void stream(String sql, ServerStreamListener listener) {
        PreparedMetricQuery query;
        ArrowReader reader;
        try {
            query = prepare(sql);
        } catch (RuntimeException e) {
            listener.error(FlightProblems.of(e));
            return;
        }
        try {
            reader = query.run();
        } catch (RuntimeException e) {
            query.close();
            listener.error(FlightProblems.of(e));
            return;
        }
        try (query; reader) {
            listener.start(reader.getVectorSchemaRoot());
            while (reader.loadNextBatch()) {
                if (reader.getVectorSchemaRoot().getRowCount() == 0) {
                    continue;
                }
                if (ClientReadiness.await(listener, ClientReadiness.PATIENCE_MILLIS) != ClientReadiness.Result.READY) {
                    listener.error(CallStatus.CANCELLED.withDescription("the client stopped reading").toRuntimeException());
                    return;
                }
                listener.putNext();
            }
            listener.completed();
        } catch (IOException | RuntimeException e) {
            listener.error(FlightProblems.of(e instanceof RuntimeException r ? r
                    : new IllegalStateException(e.getMessage(), e)));
        }
    }

    // ---------------------------------------------------------------- metadata

    @Override
    public void getStreamSqlInfo(FlightSql.CommandGetSqlInfo command, CallContext context, ServerStreamListener listener) {
        sqlInfo.send(command.getInfoList(), listener);
    }

    @Override
    public FlightInfo getFlightInfoSqlInfo(FlightSql.CommandGetSqlInfo command, CallContext context,
            FlightDescriptor descriptor) {
        return info(FlightSqlProducer.Schemas.GET_SQL_INFO_SCHEMA, descriptor, command);
    }

    @Override
    public FlightInfo getFlightInfoCatalogs(FlightSql.CommandGetCatalogs command, CallContext context,
            FlightDescriptor descriptor) {
        return info(FlightSqlProducer.Schemas.GET_CATALOGS_SCHEMA, descriptor, command);
    }

    @Override
    public void getStreamCatalogs(CallContext context, ServerStreamListener listener) {
        rows(FlightSqlProducer.Schemas.GET_CATALOGS_SCHEMA, one(CATALOG), listener);
    }

    @Override
    public FlightInfo getFlightInfoSchemas(FlightSql.CommandGetDbSchemas command, CallContext context,
            FlightDescriptor descriptor) {
        return info(FlightSqlProducer.Schemas.GET_SCHEMAS_SCHEMA, descriptor, command);
    }

    @Override
    public void getStreamSchemas(FlightSql.CommandGetDbSchemas command, CallContext context,
            ServerStreamListener listener) {
        boolean match = (!command.hasCatalog() || command.getCatalog().equals(CATALOG))
                && (!command.hasDbSchemaFilterPattern() || like(command.getDbSchemaFilterPattern(), SCHEMA));
        rows(FlightSqlProducer.Schemas.GET_SCHEMAS_SCHEMA, match ? one(CATALOG, SCHEMA) : List.<Object[]>of(),
                listener);
    }

    @Override
    public FlightInfo getFlightInfoTableTypes(FlightSql.CommandGetTableTypes command, CallContext context,
            FlightDescriptor descriptor) {
        return info(FlightSqlProducer.Schemas.GET_TABLE_TYPES_SCHEMA, descriptor, command);
    }

    @Override
    public void getStreamTableTypes(CallContext context, ServerStreamListener listener) {
        rows(FlightSqlProducer.Schemas.GET_TABLE_TYPES_SCHEMA, one("TABLE"), listener);
    }

    @Override
    public FlightInfo getFlightInfoTables(FlightSql.CommandGetTables command, CallContext context,
            FlightDescriptor descriptor) {
        return info(command.getIncludeSchema() ? FlightSqlProducer.Schemas.GET_TABLES_SCHEMA
                : FlightSqlProducer.Schemas.GET_TABLES_SCHEMA_NO_SCHEMA, descriptor, command);
    }

    @Override
    public void getStreamTables(FlightSql.CommandGetTables command, CallContext context, ServerStreamListener listener) {
        List<Object[]> rows = new ArrayList<>();
        boolean inCatalog = (!command.hasCatalog() || command.getCatalog().equals(CATALOG))
                && (!command.hasDbSchemaFilterPattern() || like(command.getDbSchemaFilterPattern(), SCHEMA))
                && (command.getTableTypesCount() == 0 || command.getTableTypesList().contains("TABLE"));
        if (inCatalog) {
            try {
                for (Map.Entry<String, Schema> table : tables().entrySet()) {
                    if (command.hasTableNameFilterPattern() && !like(command.getTableNameFilterPattern(), table.getKey())) {
                        continue;
                    }
                    rows.add(command.getIncludeSchema()
                            ? new Object[] {CATALOG, SCHEMA, table.getKey(), "TABLE", table.getValue().serializeAsMessage()}
                            : new Object[] {CATALOG, SCHEMA, table.getKey(), "TABLE"});
                }
            } catch (RuntimeException e) {
                listener.error(FlightProblems.of(e));
                return;
            }
        }
        rows(command.getIncludeSchema() ? FlightSqlProducer.Schemas.GET_TABLES_SCHEMA
                : FlightSqlProducer.Schemas.GET_TABLES_SCHEMA_NO_SCHEMA, rows, listener);
    }

    /**
     * Every table's columns: a metric's table has every time grain, its dimensions and itself, typed as its queries
     * answer them; {@code metrics} has them all. Recomputed when the catalog changes.
     */
    Map<String, Schema> tables() {
        Catalog catalog = queries.catalog();
        long version = queries.catalogVersion();
        if (tables != null && tablesVersion == version) {
            return tables;
        }
        Map<String, Field> all = new LinkedHashMap<>();
        Map<String, Schema> byMetric = new java.util.TreeMap<>();
        for (Grain grain : Grain.values()) {
            all.put(MetricPlanner.TIME_PREFIX + grain.id(), new Field(MetricPlanner.TIME_PREFIX + grain.id(),
                    FieldType.nullable(new ArrowType.Timestamp(TimeUnit.MICROSECOND, "UTC")), null));
        }
        for (Metric metric : catalog.metrics()) {
            List<String> dimensions = MetricPlanner.sourceDimensions(catalog, metric.name());
            List<String> groupBy = new ArrayList<>(List.of(MetricPlanner.TIME_PREFIX + Grain.DAY.id()));
            groupBy.addAll(dimensions);
            Schema answer;
            try (PreparedMetricQuery query = queries.prepare(catalog, new MetricQuery(List.of(metric.name()), groupBy,
                    List.of(), null, null, false, List.of(), 0L, false))) {
                answer = query.schema();
            } catch (RuntimeException e) {
                LOG.warnf("Metric %s is left out of the Flight SQL tables: %s", metric.name(), e.getMessage());
                continue;
            }
            List<Field> fields = new ArrayList<>();
            for (Grain grain : Grain.values()) {
                fields.add(all.get(MetricPlanner.TIME_PREFIX + grain.id()));
            }
            for (Field field : answer.getFields()) {
                if (!field.getName().startsWith(MetricPlanner.TIME_PREFIX)) {
                    fields.add(field);
                    all.putIfAbsent(field.getName(), field);
                }
            }
            byMetric.put(metric.name(), new Schema(fields));
        }
        Map<String, Schema> result = new LinkedHashMap<>();
        result.put(MetricStatement.TABLE, new Schema(new ArrayList<>(all.values())));
        byMetric.forEach(result::putIfAbsent);
        tables = result;
        tablesVersion = version;
        return result;
    }

    // ---------------------------------------------------------------- helpers

    private static FlightInfo info(Schema schema, FlightDescriptor descriptor, Message ticket) {
        return new FlightInfo(schema, descriptor, List.of(new FlightEndpoint(new Ticket(Any.pack(ticket).toByteArray()))),
                -1, -1);
    }

    /** Sends small metadata rows of utf8 and binary columns. */
    private void rows(Schema schema, List<Object[]> rows, ServerStreamListener listener) {
        try (VectorSchemaRoot root = VectorSchemaRoot.create(schema, allocator)) {
            root.allocateNew();
            for (int r = 0; r < rows.size(); r++) {
                Object[] row = rows.get(r);
                for (int c = 0; c < row.length; c++) {
                    if (root.getVector(c) instanceof VarCharVector v) {
                        v.setSafe(r, ((String) row[c]).getBytes(StandardCharsets.UTF_8));
                    } else if (root.getVector(c) instanceof VarBinaryVector v) {
                        v.setSafe(r, (byte[]) row[c]);
                    }
                }
            }
            root.setRowCount(rows.size());
            listener.start(root);
            listener.putNext();
            listener.completed();
        }
    }

    private static List<Object[]> one(Object... values) {
        List<Object[]> rows = new ArrayList<>();
        rows.add(values);
        return rows;
    }

    /** SQL LIKE with % and _, as metadata filters use. */
    static boolean like(String pattern, String value) {
        StringBuilder regex = new StringBuilder();
        for (char c : pattern.toCharArray()) {
            regex.append(c == '%' ? ".*" : c == '_' ? "." : Pattern.quote(String.valueOf(c)));
        }
        return value.matches(regex.toString());
    }

    /** After the Flight server stops (default priority), before the root allocator closes. */
    void stop(@jakarta.enterprise.event.Observes @jakarta.annotation.Priority(Integer.MAX_VALUE - 2000)
            io.quarkus.runtime.ShutdownEvent event) {
        close();
    }

    @Override
    public void close() {
        if (allocator != null) {
            try {
                allocator.close();
            } catch (IllegalStateException e) {
                LOG.warnf("Flight SQL metadata memory: %s", e.getMessage());
            }
        }
    }
}
