package dev.fletcher.server.online;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fletcher.server.arrow.ArrowMemory;
import dev.fletcher.server.catalog.CatalogService;
import dev.fletcher.server.trainingset.RowsReader;
import dev.fletcher.server.warehouse.Warehouses;
import dev.fletcher.spi.warehouse.Statement;
import dev.fletcher.spi.warehouse.WarehouseSession;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.TimeStampMicroTZVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * Online test data in the default DuckDB warehouse, with every expected value worked out by hand below.
 *
 * <pre>
 * ol_profiles  c1 basic 100 2026-01-01T00:00 | c1 pro 501 2026-01-10T00:00 | c2 pro 900 2026-01-05T00:00
 *              c4 free 0 2025-11-01T00:00                                                      (ttl 30d)
 * ol_txns      c1 10.0 2026-01-10T09:30 | c1 5.0 2026-01-10T10:00 | c1 7.0 2026-01-09T12:00
 *              c2 100.0 2026-01-10T08:00 | c3 1.0 2026-01-01T00:00
 * </pre>
 */
final class OnlineFixture {
    static final Instant T1 = Instant.parse("2026-01-10T10:00:00Z");
    static final Instant T2 = Instant.parse("2026-01-10T11:00:00Z");

    static final String BUNDLE = """
            kind: entity
            name: ol_customer
            keys: [customer_id]
            ---
            kind: source
            name: ol_profiles
            table: ol_profiles
            timestamp: updated_at
            entity_columns: {ol_customer: customer_id}
            ---
            kind: source
            name: ol_txns
            table: ol_txns
            timestamp: txn_at
            entity_columns: {ol_customer: customer_id}
            ---
            kind: source
            name: ol_broken
            sql: "select customer_id, cast(case when amount = 666 then 'x' else '1' end as integer) as v, txn_at from ol_txns"
            timestamp: txn_at
            entity_columns: {ol_customer: customer_id}
            ---
            kind: feature_view
            name: ol_profile
            entity: ol_customer
            source: ol_profiles
            ttl: 30d
            online: true
            features:
              - {name: plan, column: plan, type: string}
              - {name: credit_limit, column: credit_limit, type: int64}
              - {name: limit_half, expr: "credit_limit / 2"}
            ---
            kind: feature_view
            name: ol_txn
            entity: ol_customer
            source: ol_txns
            online: true
            features:
              - {name: amount_sum_1h, column: amount, aggregation: sum, window: 1h}
              - {name: txn_count_1d, aggregation: count, window: 1d}
              - {name: amount_max_1d, column: amount, aggregation: max, window: 1d}
              - {name: amount_avg_1d, column: amount, aggregation: avg, window: 1d}
              - {name: big_share_1d, expr: "amount_max_1d / nullif(amount_avg_1d, 0)"}
            ---
            kind: feature_view
            name: ol_offline
            entity: ol_customer
            source: ol_txns
            features:
              - {name: amount_sum_1h, column: amount, aggregation: sum, window: 1h}
            ---
            kind: feature_view
            name: ol_broken_view
            entity: ol_customer
            source: ol_broken
            online: true
            features:
              - {name: v_sum_1d, column: v, aggregation: sum, window: 1d}
            """;

    private OnlineFixture() {
    }

    static void install(Warehouses warehouses, CatalogService catalog, ArrowMemory memory) {
        try (BufferAllocator allocator = memory.child("online fixture");
                WarehouseSession session = warehouses.get("default").openSession()) {
            Schema profiles = new Schema(List.of(field("customer_id", ArrowType.Utf8.INSTANCE),
                    field("plan", ArrowType.Utf8.INSTANCE), field("credit_limit", new ArrowType.Int(64, true)),
                    field("updated_at", new ArrowType.Timestamp(TimeUnit.MICROSECOND, "UTC"))));
            session.createTable("ol_profiles", new RowsReader(allocator, profiles, root(allocator, profiles, List.of(
                    List.of("c1", "basic", 100L, t("2026-01-01T00:00:00Z")),
                    List.of("c1", "pro", 501L, t("2026-01-10T00:00:00Z")),
                    List.of("c2", "pro", 900L, t("2026-01-05T00:00:00Z")),
                    List.of("c4", "free", 0L, t("2025-11-01T00:00:00Z"))))), true);
            Schema txns = new Schema(List.of(field("customer_id", ArrowType.Utf8.INSTANCE),
                    field("amount", new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE)),
                    field("txn_at", new ArrowType.Timestamp(TimeUnit.MICROSECOND, "UTC"))));
            session.createTable("ol_txns", new RowsReader(allocator, txns, root(allocator, txns, List.of(
                    List.of("c1", 10.0, t("2026-01-10T09:30:00Z")),
                    List.of("c1", 5.0, t("2026-01-10T10:00:00Z")),
                    List.of("c1", 7.0, t("2026-01-09T12:00:00Z")),
                    List.of("c2", 100.0, t("2026-01-10T08:00:00Z")),
                    List.of("c3", 1.0, t("2026-01-01T00:00:00Z"))))), true);
        }
        catalog.apply("online-test.yaml", BUNDLE, false, false);
    }

    /** A late transaction: c2 spends 50 at 10:30. */
    static void addLateTransaction(Warehouses warehouses) {
        try (WarehouseSession session = warehouses.get("default").openSession()) {
            session.execute(Statement.of("INSERT INTO ol_txns VALUES ('c2', 50.0, CAST(? AS TIMESTAMP))",
                    t("2026-01-10T10:30:00Z")));
        }
    }

    static Instant t(String text) {
        return Instant.parse(text);
    }

    static Field field(String name, ArrowType type) {
        return new Field(name, FieldType.nullable(type), null);
    }

    static VectorSchemaRoot root(BufferAllocator allocator, Schema schema, List<List<Object>> rows) {
        VectorSchemaRoot root = VectorSchemaRoot.create(schema, allocator);
        root.allocateNew();
        for (int r = 0; r < rows.size(); r++) {
            for (int c = 0; c < schema.getFields().size(); c++) {
                Object value = rows.get(r).get(c);
                FieldVector vector = root.getVector(c);
                if (vector instanceof VarCharVector v) {
                    v.setSafe(r, ((String) value).getBytes(StandardCharsets.UTF_8));
                } else if (vector instanceof BigIntVector v) {
                    v.setSafe(r, (Long) value);
                } else if (vector instanceof Float8Vector v) {
                    v.setSafe(r, (Double) value);
                } else {
                    Instant instant = (Instant) value;
                    ((TimeStampMicroTZVector) vector).setSafe(r, instant.getEpochSecond() * 1_000_000L
                            + instant.getNano() / 1_000L);
                }
            }
        }
        root.setRowCount(rows.size());
        return root;
    }

    /** Starts a job and waits for it to finish; answers the finished job. */
    static JsonPath materialize(Map<String, Object> body) {
        Response started = given().contentType("application/json").body(body).post("/api/v1/materialize");
        assertThat(started.statusCode()).as(started.asString()).isEqualTo(202);
        String id = started.jsonPath().getString("id");
        assertThat(started.header("Location")).endsWith("/api/v1/jobs/" + id);
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (System.nanoTime() < deadline) {
            JsonPath job = given().get("/api/v1/jobs/" + id).then().statusCode(200).extract().jsonPath();
            String state = job.getString("state");
            if (state.equals("succeeded") || state.equals("failed")) {
                return job;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new AssertionError("job " + id + " did not finish within 60 s");
    }

    static Response read(Object body) {
        return given().contentType("application/json").body(body).post("/api/v1/online/features");
    }
}
