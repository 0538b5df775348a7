package dev.fletcher.server.trainingset;

import static dev.fletcher.server.trainingset.TrainingSetFixture.FEATURES;
import static dev.fletcher.server.trainingset.TrainingSetFixture.INT64;
import static dev.fletcher.server.trainingset.TrainingSetFixture.STRING;
import static dev.fletcher.server.trainingset.TrainingSetFixture.UTC_MICROS;
import static dev.fletcher.server.trainingset.TrainingSetFixture.field;
import static dev.fletcher.server.trainingset.TrainingSetFixture.schema;
import static dev.fletcher.server.trainingset.TrainingSetFixture.t;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fletcher.server.arrow.ArrowMemory;
import dev.fletcher.server.arrow.MemoryAssertions;
import dev.fletcher.server.catalog.CatalogService;
import dev.fletcher.server.flight.FlightService;
import dev.fletcher.server.warehouse.Warehouses;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.arrow.flight.FlightClient;
import org.apache.arrow.flight.FlightDescriptor;
import org.apache.arrow.flight.FlightInfo;
import org.apache.arrow.flight.FlightRuntimeException;
import org.apache.arrow.flight.FlightStatusCode;
import org.apache.arrow.flight.FlightStream;
import org.apache.arrow.flight.Location;
import org.apache.arrow.flight.PutResult;
import org.apache.arrow.flight.SyncPutListener;
import org.apache.arrow.flight.Ticket;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Schema;
import org.assertj.core.api.ThrowableAssert;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Training sets through plain Arrow Flight calls, as pyarrow or any Flight client makes them. */
@QuarkusTest
class TrainingSetFlightTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    FlightService flight;
    @Inject
    Warehouses warehouses;
    @Inject
    CatalogService catalog;
    @Inject
    ArrowMemory memory;

    BufferAllocator allocator;
    FlightClient client;
    long idle;

    @BeforeEach
    void setUp() {
        TrainingSetFixture.install(warehouses, catalog, memory);
        allocator = new RootAllocator();
        client = FlightClient.builder(allocator, Location.forGrpcInsecure("127.0.0.1", flight.port())).build();
        idle = memory.allocatedBytes();
    }

    @AfterEach
    void tearDown() throws Exception {
        client.close();
        allocator.close();
        MemoryAssertions.assertReturnsTo(memory, idle);
    }

    static byte[] command(Map<String, Object> trainingSet) throws Exception {
        return JSON.writeValueAsBytes(Map.of("training_set", trainingSet));
    }

    /** DoPut the rows; answers the ticket text from the PutResult's app_metadata. */
    String upload(Map<String, Object> trainingSet, VectorSchemaRoot rows) throws Exception {
        SyncPutListener results = new SyncPutListener();
        FlightClient.ClientStreamListener put = client.startPut(FlightDescriptor.command(command(trainingSet)), rows,
                results);
        put.putNext();
        put.completed();
        put.getResult();
        try (PutResult result = results.read()) {
            ArrowBuf metadata = result.getApplicationMetadata();
            byte[] bytes = new byte[(int) metadata.readableBytes()];
            metadata.getBytes(0, bytes);
            JsonNode answer = JSON.readTree(bytes);
            assertThat(answer.size()).isEqualTo(1);
            return answer.get("ticket").asText();
        }
    }

    TrainingSetFixture.Result get(Ticket ticket) throws Exception {
        try (FlightStream stream = client.getStream(ticket)) {
            return TrainingSetFixture.readAll(new FlightReader(allocator, stream));
        }
    }

    @Test
    void doPutThenDoGetAnswersEveryEntityRowWithItsFeatures() throws Exception {
        String ticket;
        try (VectorSchemaRoot rows = TrainingSetFixture.root(allocator, TrainingSetFixture.entitySchema(),
                TrainingSetFixture.ENTITIES)) {
            ticket = upload(Map.of("features", FEATURES, "timestamp_column", "event_timestamp", "as_known", false), rows);
        }
        TrainingSetFixture.assertExpected(get(new Ticket(ticket.getBytes(StandardCharsets.UTF_8))));

        // A ticket serves one DoGet.
        expectFlightError(() -> get(new Ticket(ticket.getBytes(StandardCharsets.UTF_8))), FlightStatusCode.NOT_FOUND,
                "upload the entity rows again");
    }

    @Test
    void uploadedTimesWithoutAZoneAreUtcAndComeBackAsUtcMicroseconds() throws Exception {
        ArrowType millisNoZone = new ArrowType.Timestamp(TimeUnit.MILLISECOND, null);
        Schema entities = schema(field("customer_id", STRING), field("at", millisNoZone));
        String ticket;
        try (VectorSchemaRoot rows = TrainingSetFixture.root(allocator, entities,
                List.of(List.of("c1", t("2026-01-10T10:00:00Z"))))) {
            ticket = upload(Map.of("features", List.of("ts_txn:amount_sum_1h"), "timestamp_column", "at"), rows);
        }
        TrainingSetFixture.Result result = get(new Ticket(ticket.getBytes(StandardCharsets.UTF_8)));
        assertThat(result.columns()).containsExactly("customer_id", "at", "ts_txn__amount_sum_1h");
        assertThat(result.schema().findField("at").getType()).isEqualTo(UTC_MICROS);
        assertThat(result.rows()).containsExactly(List.of("c1", t("2026-01-10T10:00:00Z"), 15.0));
    }

    @Test
    void getFlightInfoWithEntitySqlThenDoGet() throws Exception {
        FlightInfo info = client.getInfo(FlightDescriptor.command(command(Map.of("features", FEATURES,
                "entity_sql", "select customer_id, event_timestamp, label from ts_entities",
                "timestamp_column", "event_timestamp"))));
        assertThat(info.getEndpoints()).hasSize(1);
        assertThat(info.getSchema().getFields().stream().map(f -> f.getName()).toList())
                .containsExactlyElementsOf(TrainingSetFixture.EXPECTED_COLUMNS);
        TrainingSetFixture.assertExpected(get(info.getEndpoints().get(0).getTicket()));
    }

    @Test
    void getFlightInfoWithATimeRangeThenDoGet() throws Exception {
        // The sources' own event times in [2026-01-10T00:00, 09:00): only c2's transaction at 08:00, which counts
        // itself in its trailing day.
        FlightInfo info = client.getInfo(FlightDescriptor.command(command(Map.of("features",
                List.of("ts_txn:txn_count_1d"), "start", "2026-01-10T00:00:00Z", "end", "2026-01-10T09:00:00"))));
        TrainingSetFixture.Result result = get(info.getEndpoints().get(0).getTicket());
        assertThat(result.columns()).containsExactly("customer_id", "event_timestamp", "ts_txn__txn_count_1d");
        assertThat(result.rows()).containsExactly(List.of("c2", t("2026-01-10T08:00:00Z"), 1L));
    }

    @Test
    void largeSetsStreamInSeveralBatches() throws Exception {
        // 60,000 rows made in the warehouse, one a second back from 2026-01-10T10:00, customers c0 to c3 in turn.
        FlightInfo info = client.getInfo(FlightDescriptor.command(command(Map.of("features",
                List.of("ts_txn:txn_count_1d"), "entity_sql", "select 'c' || (i % 4) as customer_id,"
                        + " timestamp '2026-01-10 10:00:00' - to_seconds(i) as event_timestamp from range(60000) t(i)"))));
        int batches = 0;
        long rows = 0;
        long c1 = -1;
        try (FlightStream stream = client.getStream(info.getEndpoints().get(0).getTicket())) {
            while (stream.next()) {
                batches++;
                VectorSchemaRoot batch = stream.getRoot();
                rows += batch.getRowCount();
                for (int r = 0; r < batch.getRowCount(); r++) {
                    if ("c1".equals(String.valueOf(batch.getVector(0).getObject(r)))
                            && TrainingSetFixture.value(batch.getVector(1), r).equals(t("2026-01-10T09:59:59Z"))) {
                        c1 = (Long) batch.getVector(2).getObject(r);
                    }
                }
            }
        }
        assertThat(rows).isEqualTo(60_000);
        assertThat(batches).isGreaterThan(1);
        // i = 1 is c1 at 09:59:59: its transactions in the trailing day are those at 09:30 and on Jan 9 at 12:00
        // (the one at 10:00 is later).
        assertThat(c1).isEqualTo(2);
    }

    @Test
    @Timeout(value = 60, unit = java.util.concurrent.TimeUnit.SECONDS)
    void aSlowReaderGetsEveryRow() throws Exception {
        // Wide rows and a pause after the first batch: the server's send buffer fills while the client sleeps, so
        // the server must notice by itself when the client has drained it.
        FlightInfo info = client.getInfo(FlightDescriptor.command(command(Map.of("features",
                List.of("ts_txn:txn_count_1d"), "entity_sql", "select 'c' || (i % 4) as customer_id,"
                        + " timestamp '2026-01-10 10:00:00' - to_seconds(i) as event_timestamp,"
                        + " repeat('x', 200) as padding from range(100000) t(i)"))));
        long rows = 0;
        int batches = 0;
        try (FlightStream stream = client.getStream(info.getEndpoints().get(0).getTicket())) {
            while (stream.next()) {
                rows += stream.getRoot().getRowCount();
                if (++batches <= 3) {
                    Thread.sleep(700);
                }
            }
        }
        assertThat(rows).isEqualTo(100_000);
    }

    @Test
    void badRequestsAreInvalidArgumentsWithAClearMessage() throws Exception {
        Schema entities = TrainingSetFixture.entitySchema();
        expectPutError(Map.of("features", List.of("nope:plan")), entities, "unknown feature view 'nope'");
        expectPutError(Map.of("features", List.of("ts_profile:nope")), entities, "has no feature 'nope'");
        expectPutError(Map.of("features", FEATURES, "timestamp_column", "seen_at"), entities,
                "no timestamp column 'seen_at'");
        expectPutError(Map.of("features", FEATURES, "timestamp_column", "label"), entities,
                "timestamp column 'label' is an integer");
        expectPutError(Map.of("features", FEATURES),
                schema(field("id", STRING), field("event_timestamp", UTC_MICROS), field("label", INT64)),
                "lack key column 'customer_id'");
        expectPutError(Map.of("features", List.of()), entities, "no features requested");
        expectPutError(Map.of("features", FEATURES, "entity_sql", "select 1"), entities, "send entity_sql or start/end"
                + " to GetFlightInfo");

        expectInfoError(Map.of("features", FEATURES, "entity_sql", "select * from no_such_entities"),
                "no_such_entities");
        expectInfoError(Map.of("features", FEATURES), "names no entity rows");
        // user SQL over Flight: one query, inside the sandbox
        expectInfoError(Map.of("features", FEATURES, "entity_sql", "select column0 as customer_id, now() as"
                + " event_timestamp from read_csv_auto('/etc/passwd')"), "Permission Error");
        expectInfoError(Map.of("features", FEATURES, "entity_sql", "copy (select 1) to '/tmp/x.csv'"),
                "entity_sql: `COPY` is not allowed in user SQL");
        expectInfoError(Map.of("features", List.of("ts_profile"), "entity_sql", "select 1"),
                "not a feature reference");
        expectFlightError(() -> client.getInfo(FlightDescriptor.command(
                "{\"training_set\": {\"features\": [".getBytes(StandardCharsets.UTF_8))),
                FlightStatusCode.INVALID_ARGUMENT, "not JSON");
        expectFlightError(() -> get(new Ticket("{\"training_set\": {\"upload\": \"0123\"}}"
                .getBytes(StandardCharsets.UTF_8))), FlightStatusCode.NOT_FOUND, "ticket '0123'");
        expectFlightError(() -> get(new Ticket("not json".getBytes(StandardCharsets.UTF_8))),
                FlightStatusCode.INVALID_ARGUMENT, "not JSON");
    }

    void expectPutError(Map<String, Object> trainingSet, Schema schema, String message) {
        List<List<Object>> row = List.of(Arrays.asList(new Object[schema.getFields().size()]));
        expectFlightError(() -> {
            try (VectorSchemaRoot rows = TrainingSetFixture.root(allocator, schema, row)) {
                upload(trainingSet, rows);
            }
        }, FlightStatusCode.INVALID_ARGUMENT, message);
    }

    void expectInfoError(Map<String, Object> trainingSet, String message) {
        expectFlightError(() -> client.getInfo(FlightDescriptor.command(command(trainingSet))),
                FlightStatusCode.INVALID_ARGUMENT, message);
    }

    static void expectFlightError(ThrowableAssert.ThrowingCallable call, FlightStatusCode code, String message) {
        assertThatThrownBy(call).isInstanceOfSatisfying(FlightRuntimeException.class, e -> {
            assertThat(e.status().code()).as(e.getMessage()).isEqualTo(code);
            assertThat(e.status().description()).contains(message);
        });
    }
}
