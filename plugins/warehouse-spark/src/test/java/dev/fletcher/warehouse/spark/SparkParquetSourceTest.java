package dev.fletcher.warehouse.spark;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fletcher.conformance.warehouse.ArrowRows;
import dev.fletcher.spi.warehouse.Statement;
import dev.fletcher.spi.warehouse.Warehouse;
import dev.fletcher.spi.warehouse.WarehouseSession;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A source whose {@code sql} reads Parquet files by path ({@code parquet.`/path`}), as the engine renders it: the
 * files are written by Spark itself, then read inside the subquery a source becomes.
 */
class SparkParquetSourceTest {
    @TempDir
    Path dataDir;

    @Test
    void aSourceReadsParquetFilesByPath() throws Exception {
        Path files = SparkConnectFixture.workDir().resolve("parquet-" + System.nanoTime());
        String path = files.toAbsolutePath().toString();
        try (BufferAllocator allocator = new RootAllocator();
                Warehouse warehouse = SparkConnectFixture.warehouse("parquet", dataDir);
                WarehouseSession session = warehouse.openSession()) {
            session.execute(Statement.of("INSERT OVERWRITE DIRECTORY '" + path + "' USING parquet"
                    + " SELECT * FROM VALUES ('c1', TIMESTAMP '2026-01-01 10:00:00', 120.0D),"
                    + " ('c1', TIMESTAMP '2026-01-02 10:00:00', 30.0D), ('c2', TIMESTAMP '2026-01-01 12:00:00', 5.5D)"
                    + " AS t(customer_id, txn_at, amount)"));
            // The source's own SQL, inside the relation a source renders to, with a bound time bound.
            String source = "select customer_id, txn_at, amount from parquet.`" + path + "`";
            String sql = "SELECT s.`customer_id`, CAST(SUM(s.`amount`) AS DOUBLE) AS total, MAX(s.`txn_at`) AS last_at"
                    + " FROM (\n  " + source + "\n) AS s WHERE s.`txn_at` < CAST(? AS TIMESTAMP)"
                    + " GROUP BY s.`customer_id` ORDER BY s.`customer_id`";
            List<List<Object>> rows = new ArrayList<>();
            try (ArrowReader reader = session.query(Statement.of(sql, Instant.parse("2026-01-02T00:00:00Z")),
                    allocator)) {
                VectorSchemaRoot root = reader.getVectorSchemaRoot();
                while (reader.loadNextBatch()) {
                    for (int row = 0; row < root.getRowCount(); row++) {
                        List<Object> values = new ArrayList<>();
                        for (int column = 0; column < root.getFieldVectors().size(); column++) {
                            values.add(ArrowRows.value(root.getVector(column), row));
                        }
                        rows.add(values);
                    }
                }
            }
            assertThat(rows).containsExactly(
                    List.of("c1", 120.0, Instant.parse("2026-01-01T10:00:00Z")),
                    List.of("c2", 5.5, Instant.parse("2026-01-01T12:00:00Z")));
        }
    }
}
