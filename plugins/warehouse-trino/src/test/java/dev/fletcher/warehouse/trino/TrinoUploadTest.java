package dev.fletcher.warehouse.trino;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fletcher.conformance.warehouse.ArrowRows;
import dev.fletcher.spi.PluginConfig;
import dev.fletcher.spi.PluginException;
import dev.fletcher.spi.warehouse.Statement;
import dev.fletcher.spi.warehouse.Warehouse;
import dev.fletcher.spi.warehouse.WarehouseSession;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Uploads to the staging schema: batched, read under the registered name, and dropped on close and on failure. */
class TrinoUploadTest {
    private static final Schema SCHEMA = new Schema(List.of(
            new Field("customer_id", FieldType.nullable(ArrowType.Utf8.INSTANCE), null),
            new Field("event_timestamp", FieldType.nullable(new ArrowType.Timestamp(TimeUnit.MICROSECOND, "UTC")), null),
            new Field("label", FieldType.nullable(new ArrowType.Int(64, true)), null),
            new Field("score", FieldType.nullable(new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE)), null)));

    private BufferAllocator allocator;
    private Warehouse warehouse;

    @BeforeEach
    void open() {
        allocator = new RootAllocator();
        warehouse = TrinoTestServer.shared().warehouse("upload", java.nio.file.Path.of("target"));
    }

    @AfterEach
    void close() {
        warehouse.close();
        allocator.close();
    }

    private static List<List<Object>> rows(int from, int count) {
        List<List<Object>> rows = new ArrayList<>();
        for (int i = from; i < from + count; i++) {
            rows.add(List.of("c" + i, Instant.ofEpochSecond(1_700_000_000L + i, 123_456_000L), (long) i, i * 0.5));
        }
        return rows;
    }

    /** 20,000 rows in Arrow batches of 4,000. */
    @SuppressWarnings("unchecked")
    private ArrowReader upload() {
        List<List<Object>>[] batches = new List[5];
        for (int b = 0; b < 5; b++) {
            batches[b] = rows(b * 4000, 4000);
        }
        return ArrowRows.reader(allocator, SCHEMA, batches);
    }

    private long stagingTables(WarehouseSession session, String prefix) throws IOException {
        try (ArrowReader reader = session.query(Statement.of("SELECT COUNT(*) FROM memory.information_schema.tables"
                + " WHERE table_schema = 'fletcher_staging' AND table_name LIKE ?", prefix + "%"), allocator)) {
            reader.loadNextBatch();
            return ((Number) reader.getVectorSchemaRoot().getVector(0).getObject(0)).longValue();
        }
    }

    @Test
    void registeredRowsLiveInTheStagingSchemaUntilTheSessionCloses() throws IOException {
        try (WarehouseSession session = warehouse.openSession()) {
            long started = System.nanoTime();
            session.registerTable("uploaded_rows", upload());
            long millis = (System.nanoTime() - started) / 1_000_000;
            System.out.println("uploaded 20000 rows of 4 columns in " + millis + " ms");
            try (ArrowReader reader = session.query(Statement.of("SELECT COUNT(*), SUM(label), MAX(event_timestamp)"
                    + " FROM " + warehouse.dialect().tableName("uploaded_rows")), allocator)) {
                reader.loadNextBatch();
                var root = reader.getVectorSchemaRoot();
                assertThat(root.getVector(0).getObject(0)).isEqualTo(20_000L);
                assertThat(root.getVector(1).getObject(0)).isEqualTo(19_999L * 20_000L / 2);
                assertThat(ArrowRows.value(root.getVector(2), 0))
                        .isEqualTo(Instant.ofEpochSecond(1_700_000_000L + 19_999, 123_456_000L));
            }
            assertThat(stagingTables(session, "uploaded_rows_")).isEqualTo(1);
        }
        try (WarehouseSession later = warehouse.openSession()) {
            assertThat(stagingTables(later, "uploaded_rows_")).isZero();
        }
    }

    @Test
    void anUploadThatFailsLeavesNoTable() throws IOException {
        try (WarehouseSession session = warehouse.openSession()) {
            // The second batch cannot be read: the table created for the first must go.
            ArrowReader failing = new ArrowReader(allocator) {
                private final ArrowReader rows = ArrowRows.reader(allocator, SCHEMA, rows(0, 10), rows(10, 10));
                private int batches;

                @Override
                public boolean loadNextBatch() throws IOException {
                    if (++batches == 2) {
                        throw new IOException("the client went away");
                    }
                    boolean loaded = rows.loadNextBatch();
                    if (loaded) {
                        try (var batch = new org.apache.arrow.vector.VectorUnloader(rows.getVectorSchemaRoot())
                                .getRecordBatch()) {
                            new org.apache.arrow.vector.VectorLoader(getVectorSchemaRoot()).load(batch);
                        }
                    }
                    return loaded;
                }

                @Override
                public long bytesRead() {
                    return 0;
                }

                @Override
                protected void closeReadSource() throws IOException {
                    rows.close();
                }

                @Override
                protected Schema readSchema() {
                    return SCHEMA;
                }
            };
            assertThatThrownBy(() -> session.registerTable("failed_rows", failing))
                    .isInstanceOf(PluginException.class)
                    .hasMessageContaining("the client went away");
            assertThat(stagingTables(session, "failed_rows_")).isZero();
            assertThat(session.tableExists("failed_rows")).isFalse();
        }
    }

    @Test
    void aNameIsHeldByOneSessionAtATime() {
        try (WarehouseSession first = warehouse.openSession(); WarehouseSession second = warehouse.openSession()) {
            first.registerTable("held_rows", ArrowRows.reader(allocator, SCHEMA, rows(0, 3)));
            assertThatThrownBy(() -> second.registerTable("held_rows", ArrowRows.reader(allocator, SCHEMA, rows(0, 3))))
                    .isInstanceOf(PluginException.class)
                    .hasMessageContaining("another open session");
            assertThat(second.tableExists("held_rows")).isFalse();
        }
        assertThat(allocator.getAllocatedMemory()).isZero();
    }

    /**
     * Rows per INSERT: the time of the same upload for a few sizes, printed for the record; a measurement, run with
     * {@code -Dfletcher.trino.measure=true}.
     */
    @Test
    void uploadTimesBySize() {
        org.junit.jupiter.api.Assumptions.assumeTrue(Boolean.getBoolean("fletcher.trino.measure"),
                "a measurement: -Dfletcher.trino.measure=true runs it");
        for (int size : List.of(250, 1000, 2500)) {
            Map<String, String> properties = new HashMap<>(TrinoTestServer.shared().properties());
            properties.put("upload-rows", Integer.toString(size));
            try (Warehouse sized = new TrinoWarehouseFactory().create(new PluginConfig("sized", properties, java.nio.file.Path.of("target")));
                    WarehouseSession session = sized.openSession()) {
                long started = System.nanoTime();
                session.registerTable("sized_rows", upload());
                System.out.println("upload-rows " + size + ": 20000 rows in " + (System.nanoTime() - started) / 1_000_000
                        + " ms");
            }
        }
    }
}
