package dev.fletcher.server.stream;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.fletcher.server.arrow.ArrowMemory;
import dev.fletcher.server.catalog.CatalogService;
import dev.fletcher.server.trainingset.RowsReader;
import dev.fletcher.server.warehouse.Warehouses;
import dev.fletcher.spi.warehouse.Statement;
import dev.fletcher.spi.warehouse.WarehouseSession;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;
import org.junit.jupiter.api.Test;

/**
 * A stream-fed view on a real Kafka broker: the same rows go to the warehouse table and to the topic, and the online
 * values must be the training set's at the stream's watermark. Expected values are worked out by hand in each step.
 */
@QuarkusTest
@TestProfile(StreamProfile.class)
class StreamTest {
    static final String BUNDLE = """
            kind: entity
            name: st_customer
            keys: [customer_id]
            ---
            kind: source
            name: st_txns
            table: st_txns
            timestamp: txn_at
            entity_columns: {st_customer: customer_id}
            stream: {plugin: kafka, topic: st_txns, format: json}
            ---
            kind: feature_view
            name: st_txn
            entity: st_customer
            source: st_txns
            ttl: 1h
            online: true
            features:
              - {name: last_amount, column: amount}
              - {name: amount_sum_1h, column: amount, aggregation: sum, window: 1h}
              - {name: txn_count_1d, aggregation: count, window: 1d}
              - {name: amount_max_1d, column: amount, aggregation: max, window: 1d}
              - {name: big_count_1d, aggregation: count, window: 1d, filter: "amount >= 5"}
              - {name: share_1h, expr: "amount_sum_1h / nullif(amount_max_1d, 0)"}
            """;
    static final List<String> FEATURES = List.of("st_txn:last_amount", "st_txn:amount_sum_1h", "st_txn:txn_count_1d",
            "st_txn:amount_max_1d", "st_txn:big_count_1d", "st_txn:share_1h");

    @Inject
    Warehouses warehouses;
    @Inject
    CatalogService catalog;
    @Inject
    ArrowMemory memory;
    @Inject
    StreamProcessors processors;

    record Txn(int partition, String customer, double amount, String at) {
        String json() {
            return "{\"customer_id\": \"" + customer + "\", \"amount\": " + amount + ", \"txn_at\": \"" + at + "\"}";
        }
    }

    /** Numbers read as doubles, an empty st_txns table in the warehouse, and the stream-fed view applied. */
    static void start(Warehouses warehouses, ArrowMemory memory, CatalogService catalog) {
        io.restassured.RestAssured.config = io.restassured.RestAssured.config().jsonConfig(
                io.restassured.config.JsonConfig.jsonConfig().numberReturnType(
                        io.restassured.path.json.config.JsonPathConfig.NumberReturnType.DOUBLE));
        try (BufferAllocator allocator = memory.child("stream test table");
                WarehouseSession session = warehouses.get("default").openSession()) {
            Schema schema = new Schema(List.of(new Field("customer_id", FieldType.nullable(ArrowType.Utf8.INSTANCE), null),
                    new Field("amount", FieldType.nullable(new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE)),
                            null),
                    new Field("txn_at", FieldType.nullable(new ArrowType.Timestamp(TimeUnit.MICROSECOND, "UTC")), null)));
            VectorSchemaRoot empty = VectorSchemaRoot.create(schema, allocator);
            empty.allocateNew();
            empty.setRowCount(0);
            session.createTable("st_txns", new RowsReader(allocator, schema, empty), true);
        }
        catalog.apply("stream-test.yaml", BUNDLE, false, false);
    }

    /** Into the warehouse table and the topic alike. */
    void both(Txn... txns) {
        both(warehouses, txns);
    }

    static void both(Warehouses warehouses, Txn... txns) {
        try (WarehouseSession session = warehouses.get("default").openSession()) {
            for (Txn txn : txns) {
                session.execute(Statement.of("INSERT INTO st_txns VALUES (?, ?, CAST(? AS TIMESTAMP))", txn.customer(),
                        txn.amount(), Instant.parse(txn.at())));
            }
        }
        topic(txns);
    }

    static void topic(Txn... txns) {
        List<Map.Entry<Integer, String>> messages = new ArrayList<>();
        for (Txn txn : txns) {
            messages.add(Map.entry(txn.partition(), txn.json()));
        }
        KafkaTestBroker.send(messages);
    }

    /** Waits until the view's values are as of {@code asOf}, and answers them for c1, c2, c3. */
    static List<Map<String, Object>> valuesAsOf(String asOf) throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        Response last = null;
        while (System.nanoTime() < deadline) {
            last = given().contentType("application/json").body(Map.of("features", FEATURES, "entities",
                    Map.of("customer_id", List.of("c1", "c2", "c3")))).post("/api/v1/online/features");
            if (last.statusCode() == 200 && asOf.equals(last.jsonPath().getString("as_of.st_txn"))) {
                return last.jsonPath().getList("rows");
            }
            Thread.sleep(20);
        }
        throw new AssertionError("the stream did not reach " + asOf + ": " + (last == null ? "" : last.asString()));
    }

    static void assertRow(Map<String, Object> row, Object... expected) {
        List<Object> values = new ArrayList<>(row.values());
        assertThat(values).hasSize(expected.length);
        for (int i = 0; i < expected.length; i++) {
            if (expected[i] instanceof Double d) {
                assertThat(((Number) values.get(i)).doubleValue()).as("column %d of %s", i, row).isCloseTo(d,
                        within(1e-12));
            } else if (expected[i] instanceof Integer n) {
                assertThat(((Number) values.get(i)).longValue()).as("column %d of %s", i, row).isEqualTo(n.longValue());
            } else {
                assertThat(values.get(i)).as("column %d of %s", i, row).isEqualTo(expected[i]);
            }
        }
    }

    static void assertConsistent(int sampled) {
        JsonPath check = given().get("/api/v1/feature-views/st_txn/consistency?sample=100").then().statusCode(200)
                .extract().jsonPath();
        assertThat(check.getInt("sampled")).as(check.prettify()).isEqualTo(sampled);
        assertThat(check.getInt("mismatched_keys")).as(check.prettify()).isZero();
    }

    static double metric(String name) {
        String text = given().get("/q/metrics").asString();
        Matcher m = Pattern.compile("^" + Pattern.quote(name) + "\\{[^}]*feature_view=\"st_txn\"[^}]*\\} (\\S+)$",
                Pattern.MULTILINE).matcher(text);
        return m.find() ? Double.parseDouble(m.group(1)) : Double.NaN;
    }

    @Test
    void streamedValuesAreTheTrainingSetValuesAtTheWatermarkThroughLateEventsAndRestarts() throws Exception {
        start(warehouses, memory, catalog);

        // W = 11:10. c1: 10 @10:00, 5 @10:30, 1 @11:10; c2: 7 @10:45.
        // c1: last (within the 1h ttl) 1; hour (10:10, 11:10] 5 + 1 = 6; day 3; max 10; amount >= 5: 2; share 0.6.
        // c2: 7, 7, 1, 7, 1, 1.0. c3 has no events: nulls.
        both(new Txn(0, "c1", 10.0, "2026-01-10T10:00:00Z"), new Txn(0, "c1", 5.0, "2026-01-10T10:30:00Z"),
                new Txn(1, "c2", 7.0, "2026-01-10T10:45:00Z"), new Txn(0, "c1", 1.0, "2026-01-10T11:10:00Z"));
        List<Map<String, Object>> rows = valuesAsOf("2026-01-10T11:10:00Z");
        assertRow(rows.get(0), "c1", 1.0, 6.0, 3, 10.0, 2, 0.6);
        assertRow(rows.get(1), "c2", 7.0, 7.0, 1, 7.0, 1, 1.0);
        assertRow(rows.get(2), "c3", null, null, null, null, null, null);
        assertConsistent(2);

        // A late event (before the watermark), in the topic only: counted, not applied.
        topic(new Txn(1, "c2", 100.0, "2026-01-10T10:00:00Z"));
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (!(metric("fletcher_stream_late_events_total") >= 1.0) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(metric("fletcher_stream_late_events_total")).isEqualTo(1.0);

        // W = 12:20 by c3's 2 @12:20. Nothing new for c1 and c2, but their hour emptied and their last values aged
        // past the ttl: c1 null, 0, 3, 10, 2, 0.0; c2 null, 0, 1, 7, 1, 0.0; c3 2, 2, 1, 2, 0, 1.0.
        both(new Txn(1, "c3", 2.0, "2026-01-10T12:20:00Z"));
        rows = valuesAsOf("2026-01-10T12:20:00Z");
        assertRow(rows.get(0), "c1", null, 0.0, 3, 10.0, 2, 0.0);
        assertRow(rows.get(1), "c2", null, 0.0, 1, 7.0, 1, 0.0);
        assertRow(rows.get(2), "c3", 2.0, 2.0, 1, 2.0, 0, 1.0);
        assertConsistent(3);

        // The processor stops and starts again from its committed state, and Kafka restarts under it. Then c1
        // spends 3 @12:30: c1 3, 3, 4, 10, 2, 0.3; a replay of earlier events would count more than 4.
        processors.stop("st_txn");
        KafkaTestBroker.restart();
        both(new Txn(0, "c1", 3.0, "2026-01-10T12:30:00Z"));
        rows = valuesAsOf("2026-01-10T12:30:00Z");
        assertRow(rows.get(0), "c1", 3.0, 3.0, 4, 10.0, 2, 0.3);
        assertRow(rows.get(1), "c2", null, 0.0, 1, 7.0, 1, 0.0);
        assertConsistent(3);
        assertThat(metric("fletcher_stream_late_events_total")).as("after the restart").isEqualTo(1.0);

        assertThat(metric("fletcher_stream_freshness_seconds_count")).isGreaterThanOrEqualTo(6.0);
        assertThat(given().get("/q/metrics").asString()).contains("fletcher_stream_freshness_seconds{")
                .contains("quantile=\"0.99\"");

        Response batch = given().contentType("application/json").body(Map.of("feature_views", List.of("st_txn")))
                .post("/api/v1/materialize");
        assertThat(batch.statusCode()).as(batch.asString()).isEqualTo(409);
        assertThat(batch.jsonPath().getString("detail")).contains("fed by the stream");
    }
}
