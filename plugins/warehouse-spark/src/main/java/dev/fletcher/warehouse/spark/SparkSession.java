package dev.fletcher.warehouse.spark;

import com.google.protobuf.ByteString;
import dev.fletcher.spi.PluginException;
import dev.fletcher.spi.warehouse.Statement;
import dev.fletcher.spi.warehouse.WarehouseSession;
import io.grpc.Context;
import io.grpc.StatusRuntimeException;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.types.pojo.Schema;
import org.apache.spark.connect.proto.AnalyzePlanRequest;
import org.apache.spark.connect.proto.AnalyzePlanResponse;
import org.apache.spark.connect.proto.Command;
import org.apache.spark.connect.proto.ConfigRequest;
import org.apache.spark.connect.proto.CreateDataFrameViewCommand;
import org.apache.spark.connect.proto.ExecutePlanRequest;
import org.apache.spark.connect.proto.ExecutePlanResponse;
import org.apache.spark.connect.proto.InterruptRequest;
import org.apache.spark.connect.proto.KeyValue;
import org.apache.spark.connect.proto.LocalRelation;
import org.apache.spark.connect.proto.Plan;
import org.apache.spark.connect.proto.Read;
import org.apache.spark.connect.proto.Relation;
import org.apache.spark.connect.proto.ReleaseSessionRequest;
import org.apache.spark.connect.proto.SQL;
import org.apache.spark.connect.proto.SqlCommand;
import org.apache.spark.connect.proto.UserContext;
import org.apache.spark.connect.proto.WriteOperation;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One Spark Connect session. Statements run as SQL relations (queries) or SQL commands (everything else) with the
 * request values as positional literal arguments. Registered tables are temporary views of this session: over a
 * local relation when the rows fit one message, else over a staging table filled chunk by chunk.
 */
final class SparkSession implements WarehouseSession {
    private static final String CLIENT_TYPE = "fletcher";

    private final SparkWarehouse warehouse;
    private final String sessionId = UUID.randomUUID().toString();
    private final UserContext user;
    /** Registered view name (lower case) to the staging table behind it, or "" for a local relation. */
    private final Map<String, String> registered = new LinkedHashMap<>();
    private final Set<ResultReader> readers = ConcurrentHashMap.newKeySet();
    private boolean closed;

    SparkSession(SparkWarehouse warehouse) {
        this.warehouse = warehouse;
        this.user = UserContext.newBuilder().setUserId(warehouse.url().userId())
                .setUserName(warehouse.url().userId()).build();
    }

    /** Makes the session's settings: UTC for every timestamp, then the configured ones. */
    void start(Map<String, String> conf) {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("spark.sql.session.timeZone", "UTC");
        settings.putAll(conf);
        ConfigRequest.Set.Builder set = ConfigRequest.Set.newBuilder();
        settings.forEach((key, value) -> set.addPairs(KeyValue.newBuilder().setKey(key).setValue(value)));
        try {
            warehouse.stub().config(ConfigRequest.newBuilder().setSessionId(sessionId).setUserContext(user)
                    .setClientType(CLIENT_TYPE).setOperation(ConfigRequest.Operation.newBuilder().setSet(set))
                    .build());
        } catch (RuntimeException e) {
            throw error(e);
        }
    }

    @Override
    public void registerTable(String name, ArrowReader rows) {
        String staging = null;
        try (ArrowReader reader = rows) {
            checkOpen();
            String view = view(name);
            ArrowChunks chunks = new ArrowChunks(reader, warehouse.chunkBytes());
            byte[] first = chunks.next();
            Relation input;
            if (chunks.done()) {
                input = local(first);
            } else {
                staging = stagingTable();
                write(local(first), staging, WriteOperation.SaveMode.SAVE_MODE_ERROR_IF_EXISTS);
                for (byte[] chunk = chunks.next(); chunk != null; chunk = chunks.next()) {
                    write(local(chunk), staging, WriteOperation.SaveMode.SAVE_MODE_APPEND);
                }
                input = Relation.newBuilder().setRead(Read.newBuilder().setNamedTable(
                        Read.NamedTable.newBuilder().setUnparsedIdentifier(staging))).build();
            }
            String previous = registered.get(view);
            run(Plan.newBuilder().setCommand(Command.newBuilder().setCreateDataframeView(
                    CreateDataFrameViewCommand.newBuilder().setInput(input).setName(view).setIsGlobal(false)
                            .setReplace(true))).build());
            registered.put(view, staging == null ? "" : staging);
            staging = null;
            dropStaging(previous);
        } catch (IOException e) {
            throw failure("cannot read the rows of table '" + name + "': " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw failure(e.getMessage(), e);
        } finally {
            dropStaging(staging);
        }
    }

    @Override
    public void createTable(String name, ArrowReader rows, boolean replace) {
        String table;
        try {
            checkOpen();
            table = warehouse.dialect().tableName(name);
        } catch (RuntimeException e) {
            try {
                rows.close();
            } catch (IOException | RuntimeException ignored) {
                // The name's error is the one to report.
            }
            throw e instanceof IllegalArgumentException ? failure(e.getMessage(), e) : e;
        }
        String view = "fletcher_load_" + UUID.randomUUID().toString().replace("-", "");
        try {
            registerTable(view, rows);
            if (replace) {
                run(command("DROP TABLE IF EXISTS " + table, List.of()));
            }
            run(command("CREATE TABLE " + table + " USING parquet AS SELECT * FROM " + view, List.of()));
        } finally {
            dropTable(view);
        }
    }

    @Override
    public void dropTable(String name) {
        checkOpen();
        String quoted = checkedName(name);
        String key = name.toLowerCase(Locale.ROOT);
        if (registered.containsKey(key)) {
            String staging = registered.remove(key);
            run(command("DROP VIEW IF EXISTS " + quoted, List.of()));
            dropStaging(staging);
        } else {
            run(command("DROP TABLE IF EXISTS " + quoted, List.of()));
        }
    }

    @Override
    public boolean tableExists(String name) {
        checkOpen();
        checkedName(name);
        String[] parts = SparkDialect.checkTableName(name);
        // Analysing a read of the name resolves it (temporary views first) without running anything.
        Plan plan = Plan.newBuilder().setRoot(Relation.newBuilder().setRead(Read.newBuilder().setNamedTable(
                Read.NamedTable.newBuilder().setUnparsedIdentifier(String.join(".", parts))))).build();
        try {
            warehouse.stub().analyzePlan(AnalyzePlanRequest.newBuilder().setSessionId(sessionId)
                    .setUserContext(user).setClientType(CLIENT_TYPE)
                    .setSchema(AnalyzePlanRequest.Schema.newBuilder().setPlan(plan)).build());
            return true;
        } catch (StatusRuntimeException e) {
            String message = e.getStatus().getDescription();
            if (message != null && (message.contains("TABLE_OR_VIEW_NOT_FOUND")
                    || message.contains("SCHEMA_NOT_FOUND"))) {
                return false;
            }
            throw error(e);
        }
    }

    @Override
    public ArrowReader query(Statement statement, BufferAllocator allocator) {
        checkOpen();
        ResultReader reader = start(Plan.newBuilder().setRoot(sql(statement.sql(), statement.parameters())).build(),
                allocator, null);
        try {
            // Waits for the first batch, so that a query that fails at once fails here.
            reader.getVectorSchemaRoot();
            return reader;
        } catch (IOException | RuntimeException e) {
            try {
                reader.close();
            } catch (IOException | RuntimeException ignored) {
                // The query's error is the one to report.
            }
            throw error(e);
        }
    }

    @Override
    public Schema describe(Statement statement, BufferAllocator allocator) {
        checkOpen();
        Plan plan = Plan.newBuilder().setRoot(sql(statement.sql(), statement.parameters())).build();
        AnalyzePlanResponse response;
        try {
            response = warehouse.stub().analyzePlan(AnalyzePlanRequest.newBuilder().setSessionId(sessionId)
                    .setUserContext(user).setClientType(CLIENT_TYPE)
                    .setSchema(AnalyzePlanRequest.Schema.newBuilder().setPlan(plan)).build());
        } catch (RuntimeException e) {
            throw error(e);
        }
        try {
            return SparkTypes.schema(response.getSchema().getSchema());
        } catch (IllegalArgumentException e) {
            throw failure(e.getMessage(), e);
        }
    }

    @Override
    public long execute(Statement statement) {
        checkOpen();
        run(command(statement.sql(), statement.parameters()));
        return -1;
    }

    private Plan command(String sql, List<Object> parameters) {
        return Plan.newBuilder().setCommand(Command.newBuilder().setSqlCommand(
                SqlCommand.newBuilder().setInput(sql(sql, parameters)))).build();
    }

    private Relation sql(String query, List<Object> parameters) {
        if (parameters.isEmpty()) {
            return Relation.newBuilder().setSql(SQL.newBuilder().setQuery(query)).build();
        }
        SQL.Builder sql;
        try {
            sql = SQL.newBuilder().setQuery(Markers.named(query, parameters.size()));
        } catch (IllegalArgumentException e) {
            throw failure(e.getMessage(), e);
        }
        for (int i = 0; i < parameters.size(); i++) {
            try {
                sql.putNamedArguments(Markers.PREFIX + (i + 1), Literals.literal(parameters.get(i)));
            } catch (IllegalArgumentException | ArithmeticException e) {
                throw failure("parameter " + (i + 1) + ": " + e.getMessage(), e);
            }
        }
        return Relation.newBuilder().setSql(sql).build();
    }

    private static Relation local(byte[] ipc) {
        return Relation.newBuilder().setLocalRelation(LocalRelation.newBuilder().setData(ByteString.copyFrom(ipc)))
                .build();
    }

    private void write(Relation input, String table, WriteOperation.SaveMode mode) {
        run(Plan.newBuilder().setCommand(Command.newBuilder().setWriteOperation(WriteOperation.newBuilder()
                .setInput(input).setSource("parquet").setMode(mode).setTable(WriteOperation.SaveTable.newBuilder()
                        .setTableName(table).setSaveMethod(
                                WriteOperation.SaveTable.TableSaveMethod.TABLE_SAVE_METHOD_SAVE_AS_TABLE))))
                .build());
    }

    private String stagingTable() {
        String table = "fletcher_upload_" + UUID.randomUUID().toString().replace("-", "");
        return warehouse.stagingSchema() == null ? table : warehouse.stagingSchema() + "." + table;
    }

    /** Drops a staging table, best effort: a failure here must not hide the one being reported. */
    private void dropStaging(String staging) {
        if (staging == null || staging.isEmpty()) {
            return;
        }
        try {
            run(command("DROP TABLE IF EXISTS " + warehouse.dialect().tableName(staging), List.of()));
        } catch (RuntimeException ignored) {
            // The table is named uniquely; a leftover is harmless and visible by its prefix.
        }
    }

    private String checkedName(String name) {
        try {
            return warehouse.dialect().tableName(name);
        } catch (IllegalArgumentException e) {
            throw failure(e.getMessage(), e);
        }
    }

    private String view(String name) {
        SparkDialect.checkTableName(name);
        if (name.contains(".")) {
            throw new IllegalArgumentException("a registered table lives in the session and takes a plain name, got '"
                    + name + "'");
        }
        return name.toLowerCase(Locale.ROOT);
    }

    /** Runs a plan to its end, discarding any result without decoding it. */
    private void run(Plan plan) {
        ExecutePlanRequest request = ExecutePlanRequest.newBuilder().setSessionId(sessionId).setUserContext(user)
                .setClientType(CLIENT_TYPE).setOperationId(UUID.randomUUID().toString()).setPlan(plan).build();
        Context.CancellableContext call = Context.current().withCancellation();
        try {
            Iterator<ExecutePlanResponse> responses = call.call(() -> warehouse.stub().executePlan(request));
            while (responses.hasNext()) {
                responses.next();
            }
        } catch (Exception e) {
            throw error(e);
        } finally {
            call.close();
        }
    }

    private ResultReader start(Plan plan, BufferAllocator allocator, java.util.function.Supplier<Schema> empty) {
        String operationId = UUID.randomUUID().toString();
        ExecutePlanRequest request = ExecutePlanRequest.newBuilder().setSessionId(sessionId).setUserContext(user)
                .setClientType(CLIENT_TYPE).setOperationId(operationId).setPlan(plan).build();
        Context.CancellableContext call = Context.current().withCancellation();
        Iterator<ExecutePlanResponse> responses;
        try {
            responses = call.call(() -> warehouse.stub().executePlan(request));
        } catch (Exception e) {
            call.close();
            throw error(e);
        }
        ResultReader reader = new ResultReader(allocator, this, operationId, call, responses,
                empty == null ? null : empty.get());
        readers.add(reader);
        return reader;
    }

    void released(ResultReader reader) {
        readers.remove(reader);
    }

    /** Asks the server to stop an operation this session abandoned; best effort. */
    void interrupt(String operationId) {
        try {
            warehouse.stub().interrupt(InterruptRequest.newBuilder().setSessionId(sessionId).setUserContext(user)
                    .setClientType(CLIENT_TYPE).setInterruptType(InterruptRequest.InterruptType.INTERRUPT_TYPE_OPERATION_ID)
                    .setOperationId(operationId).build());
        } catch (RuntimeException ignored) {
            // The operation may have ended meanwhile; nothing is left to stop then.
        }
    }

    RuntimeException error(Exception e) {
        if (e instanceof PluginException p) {
            return p;
        }
        String message = e.getMessage();
        if (e instanceof StatusRuntimeException s) {
            message = s.getStatus().getDescription() != null ? s.getStatus().getDescription()
                    : s.getStatus().getCode().toString();
        }
        return failure(message, e);
    }

    PluginException failure(String message, Throwable cause) {
        return new PluginException("warehouse '" + warehouse.instanceName() + "' (spark): "
                + (message == null ? "" : message.strip()), cause);
    }

    private void checkOpen() {
        if (closed) {
            throw failure("the session is closed", null);
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        for (ResultReader reader : new ArrayList<>(readers)) {
            try {
                reader.close();
            } catch (IOException | RuntimeException ignored) {
                // Closing must go on for the rest.
            }
        }
        try {
            for (String staging : new ArrayList<>(registered.values())) {
                dropStaging(staging);
            }
            registered.clear();
            closed = true;
            try {
                warehouse.stub().releaseSession(ReleaseSessionRequest.newBuilder().setSessionId(sessionId)
                        .setUserContext(user).setClientType(CLIENT_TYPE).build());
            } catch (RuntimeException ignored) {
                // The server drops idle sessions by itself.
            }
        } finally {
            closed = true;
            warehouse.closed(this);
        }
    }
}
