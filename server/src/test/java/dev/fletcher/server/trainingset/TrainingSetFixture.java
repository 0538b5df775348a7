package dev.fletcher.server.trainingset;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fletcher.server.arrow.ArrowMemory;
import dev.fletcher.server.catalog.CatalogService;
import dev.fletcher.server.warehouse.Warehouses;
import dev.fletcher.spi.warehouse.WarehouseSession;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.TimeStampMicroTZVector;
import org.apache.arrow.vector.TimeStampVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * The test data every training-set test reads: two small tables in the default DuckDB warehouse, the catalog over
 * them, and five entity rows whose features are worked out by hand below.
 *
 * <pre>
 * ts_profiles   c1 basic 2026-01-01T00:00   c1 pro 2026-01-10T00:00   c2 pro 2026-01-05T00:00       (ttl 30d)
 * ts_txns       c1 10.0 2026-01-10T09:30   c1 5.0 2026-01-10T10:00   c1 7.0 2026-01-09T12:00
 *               c2 100.0 2026-01-10T08:00
 * </pre>
 */
final class TrainingSetFixture {
    static final ArrowType UTC_MICROS = new ArrowType.Timestamp(TimeUnit.MICROSECOND, "UTC");
    static final ArrowType STRING = ArrowType.Utf8.INSTANCE;
    static final ArrowType INT64 = new ArrowType.Int(64, true);
    static final ArrowType FLOAT64 = new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE);

    static final List<String> FEATURES = List.of("ts_profile:plan", "ts_txn:amount_sum_1h", "ts_txn:txn_count_1d");

    static final String BUNDLE = """
            kind: entity
            name: ts_customer
            keys: [customer_id]
            ---
            kind: source
            name: ts_profiles
            table: ts_profiles
            timestamp: updated_at
            entity_columns: {ts_customer: customer_id}
            ---
            kind: source
            name: ts_txns
            table: ts_txns
            timestamp: txn_at
            entity_columns: {ts_customer: customer_id}
            ---
            kind: feature_view
            name: ts_profile
            entity: ts_customer
            source: ts_profiles
            ttl: 30d
            features:
              - {name: plan, column: plan, type: string}
            ---
            kind: feature_view
            name: ts_txn
            entity: ts_customer
            source: ts_txns
            features:
              - {name: amount_sum_1h, column: amount, aggregation: sum, window: 1h}
              - {name: txn_count_1d, aggregation: count, window: 1d}
            """;

    /** The entity rows: customer, time, and a label column that must come back as sent. */
    static final List<List<Object>> ENTITIES = List.of(
            List.of("c1", t("2026-01-10T10:00:00Z"), 1L),
            List.of("c1", t("2026-01-09T00:00:00Z"), 0L),
            List.of("c2", t("2026-01-10T08:30:00Z"), 1L),
            List.of("c3", t("2026-01-10T10:00:00Z"), 0L),
            List.of("c2", t("2026-03-01T00:00:00Z"), 1L));

    /**
     * By hand, per entity row: plan = newest profile at or before t within 30 days; amount_sum_1h = amounts in
     * (t - 1h, t]; txn_count_1d = transactions in (t - 1d, t]. Empty windows give 0 for both.
     * Row 1: pro (Jan 10), 10 + 5 = 15 (09:30, 10:00), 3 (also Jan 9 12:00). Row 2: basic (Jan 1), 0, 0.
     * Row 3: pro (Jan 5), 100 (08:00), 1. Row 4: unknown customer: null, 0, 0. Row 5: Jan 5 is 55 days back, past
     * the ttl: null, 0, 0.
     */
    static final List<List<Object>> EXPECTED = List.of(
            Arrays.asList("c1", t("2026-01-10T10:00:00Z"), 1L, "pro", 15.0, 3L),
            Arrays.asList("c1", t("2026-01-09T00:00:00Z"), 0L, "basic", 0.0, 0L),
            Arrays.asList("c2", t("2026-01-10T08:30:00Z"), 1L, "pro", 100.0, 1L),
            Arrays.asList("c3", t("2026-01-10T10:00:00Z"), 0L, null, 0.0, 0L),
            Arrays.asList("c2", t("2026-03-01T00:00:00Z"), 1L, null, 0.0, 0L));

    static final List<String> EXPECTED_COLUMNS = List.of("customer_id", "event_timestamp", "label",
            "ts_profile__plan", "ts_txn__amount_sum_1h", "ts_txn__txn_count_1d");

    private TrainingSetFixture() {
    }

    static Instant t(String text) {
        return Instant.parse(text);
    }

    /** Creates the tables (again) and applies the catalog; other tests may prune the catalog in between. */
    static void install(Warehouses warehouses, CatalogService catalog, ArrowMemory memory) {
        try (BufferAllocator allocator = memory.child("training-set fixture");
             WarehouseSession session = warehouses.get("default").openSession()) {
            session.createTable("ts_profiles", reader(allocator,
                    schema(field("customer_id", STRING), field("plan", STRING), field("updated_at", UTC_MICROS)),
                    List.of(List.of("c1", "basic", t("2026-01-01T00:00:00Z")),
                            List.of("c1", "pro", t("2026-01-10T00:00:00Z")),
                            List.of("c2", "pro", t("2026-01-05T00:00:00Z")))), true);
            session.createTable("ts_txns", reader(allocator,
                    schema(field("customer_id", STRING), field("amount", FLOAT64), field("txn_at", UTC_MICROS)),
                    List.of(List.of("c1", 10.0, t("2026-01-10T09:30:00Z")),
                            List.of("c1", 5.0, t("2026-01-10T10:00:00Z")),
                            List.of("c1", 7.0, t("2026-01-09T12:00:00Z")),
                            List.of("c2", 100.0, t("2026-01-10T08:00:00Z")))), true);
            session.createTable("ts_entities", reader(allocator, entitySchema(), ENTITIES), true);
        }
        catalog.apply("training-set-test.yaml", BUNDLE, false, false);
    }

    static Schema entitySchema() {
        return schema(field("customer_id", STRING), field("event_timestamp", UTC_MICROS), field("label", INT64));
    }

    static Field field(String name, ArrowType type) {
        return new Field(name, FieldType.nullable(type), null);
    }

    static Schema schema(Field... fields) {
        return new Schema(List.of(fields));
    }

    /** One batch of rows; the values are String, Long, Double or Instant, matching the schema. */
    static VectorSchemaRoot root(BufferAllocator allocator, Schema schema, List<List<Object>> rows) {
        VectorSchemaRoot root = VectorSchemaRoot.create(schema, allocator);
        root.allocateNew();
        for (int r = 0; r < rows.size(); r++) {
            for (int c = 0; c < schema.getFields().size(); c++) {
                Object value = rows.get(r).get(c);
                FieldVector vector = root.getVector(c);
                if (value == null) {
                    vector.setNull(r);
                } else if (vector instanceof VarCharVector v) {
                    v.setSafe(r, ((String) value).getBytes(StandardCharsets.UTF_8));
                } else if (vector instanceof BigIntVector v) {
                    v.setSafe(r, (Long) value);
                } else if (vector instanceof Float8Vector v) {
                    v.setSafe(r, (Double) value);
                } else if (vector instanceof TimeStampVector v) {
                    Instant instant = (Instant) value;
                    long micros = instant.getEpochSecond() * 1_000_000L + instant.getNano() / 1_000L;
                    boolean millis = ((ArrowType.Timestamp) vector.getField().getType()).getUnit() == TimeUnit.MILLISECOND;
                    v.setSafe(r, millis ? micros / 1000 : micros);
                } else {
                    throw new IllegalArgumentException("no test conversion for " + vector.getField());
                }
            }
        }
        root.setRowCount(rows.size());
        return root;
    }

    static ArrowReader reader(BufferAllocator allocator, Schema schema, List<List<Object>> rows) {
        return new RowsReader(allocator, schema, root(allocator, schema, rows));
    }

    /** Every row of the reader, values as String, Long, Double, Boolean or Instant; closes the reader. */
    static Result readAll(ArrowReader reader) {
        try (reader) {
            VectorSchemaRoot root = reader.getVectorSchemaRoot();
            List<String> columns = root.getSchema().getFields().stream().map(Field::getName).toList();
            List<List<Object>> rows = new ArrayList<>();
            while (reader.loadNextBatch()) {
                for (int r = 0; r < root.getRowCount(); r++) {
                    List<Object> row = new ArrayList<>();
                    for (FieldVector vector : root.getFieldVectors()) {
                        row.add(value(vector, r));
                    }
                    rows.add(row);
                }
            }
            return new Result(root.getSchema(), columns, rows);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    record Result(Schema schema, List<String> columns, List<List<Object>> rows) {
        /** Rows keyed by their first two columns (customer and time), for comparisons without row order. */
        Map<String, List<Object>> byKey() {
            Map<String, List<Object>> keyed = new LinkedHashMap<>();
            rows.forEach(row -> keyed.put(row.get(0) + "@" + row.get(1), row));
            return keyed;
        }
    }

    static Object value(FieldVector vector, int row) {
        if (vector.isNull(row)) {
            return null;
        }
        if (vector instanceof TimeStampMicroTZVector v) {
            long micros = v.get(row);
            return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1000);
        }
        if (vector instanceof VarCharVector v) {
            return new String(v.get(row), StandardCharsets.UTF_8);
        }
        if (vector instanceof org.apache.arrow.vector.BaseIntVector v) {
            return v.getValueAsLong(row);
        }
        return vector.getObject(row);
    }

    /** Compares a result with {@link #EXPECTED}, ignoring row order. */
    static void assertExpected(Result result) {
        assertThat(result.columns()).containsExactlyElementsOf(EXPECTED_COLUMNS);
        Map<String, List<Object>> expected = new LinkedHashMap<>();
        EXPECTED.forEach(row -> expected.put(row.get(0) + "@" + row.get(1), row));
        assertThat(result.rows()).hasSize(EXPECTED.size());
        assertThat(result.byKey()).containsExactlyInAnyOrderEntriesOf(expected);
        assertThat(result.schema().findField("event_timestamp").getType()).isEqualTo(UTC_MICROS);
    }
}
