package dev.fletcher.warehouse.duckdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fletcher.conformance.warehouse.ArrowRows;
import dev.fletcher.spi.PluginConfig;
import dev.fletcher.spi.PluginException;
import dev.fletcher.spi.warehouse.Statement;
import dev.fletcher.spi.warehouse.Warehouse;
import dev.fletcher.spi.warehouse.WarehouseSession;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What only the DuckDB plugin does: where its database lives and the timestamp units only it produces. */
class DuckDBWarehouseTest {
    @TempDir
    Path dir;

    private static Warehouse create(Map<String, String> properties, Path dataDir) {
        return new DuckDBWarehouseFactory().create(new PluginConfig("default", properties, dataDir));
    }

    @Test
    void keepsItsDatabaseInTheDataDirUnlessToldOtherwise() {
        Path dataDir = dir.resolve("nested/data");
        try (Warehouse warehouse = create(Map.of(), dataDir)) {
            warehouse.openSession().close();
        }
        assertThat(dataDir.resolve("warehouse.duckdb")).exists();

        Path file = dir.resolve("elsewhere/w.duckdb");
        try (Warehouse warehouse = create(Map.of("url", file.toString()), dataDir)) {
            try (WarehouseSession session = warehouse.openSession()) {
                session.execute(Statement.of("CREATE TABLE kept (x INTEGER)"));
            }
        }
        try (Warehouse warehouse = create(Map.of("url", "jdbc:duckdb:" + file), dataDir);
                WarehouseSession session = warehouse.openSession()) {
            assertThat(session.tableExists("kept")).isTrue();
        }
        try (Warehouse warehouse = create(Map.of("url", ":memory:"), null);
                WarehouseSession session = warehouse.openSession()) {
            assertThat(session.tableExists("kept")).isFalse();
        }
        assertThat(Files.exists(dir.resolve(":memory:"))).isFalse();
    }

    @Test
    void refusesConfigurationItCannotUse() {
        assertThatThrownBy(() -> create(Map.of("url", "jdbc:postgresql://x/y"), dir))
                .isInstanceOf(PluginException.class)
                .hasMessageContaining("jdbc:duckdb:");
        assertThatThrownBy(() -> create(Map.of(), null))
                .isInstanceOf(PluginException.class)
                .hasMessageContaining("fletcher.data-dir");
        assertThatThrownBy(() -> create(Map.of("memory-limit", "lots'; DROP"), dir))
                .isInstanceOf(PluginException.class)
                .hasMessageContaining("memory-limit");
        assertThatThrownBy(() -> create(Map.of("batch-size", "0"), dir))
                .isInstanceOf(PluginException.class)
                .hasMessageContaining("batch-size");
    }

    @Test
    void everyTimestampUnitComesBackAsUtcMicroseconds() throws Exception {
        try (BufferAllocator root = new RootAllocator();
                Warehouse warehouse = create(Map.of(), dir);
                WarehouseSession session = warehouse.openSession();
                ArrowReader reader = session.query(Statement.of("SELECT"
                        + " CAST('2024-05-06 07:08:09.123456789' AS TIMESTAMP_NS) AS ns,"
                        + " CAST('2024-05-06 07:08:09.123' AS TIMESTAMP_MS) AS ms,"
                        + " CAST('2024-05-06 07:08:09' AS TIMESTAMP_S) AS s,"
                        + " CAST('1969-12-31 23:59:59.999999999' AS TIMESTAMP_NS) AS before_epoch"), root)) {
            List<List<Object>> rows = ArrowRows.readAll(reader);
            assertThat(reader.getVectorSchemaRoot().getSchema().getFields())
                    .allSatisfy(f -> assertThat(f.getType()).isEqualTo(UtcTimestampReader.UTC_MICROS));
            assertThat(rows).containsExactly(List.of(Instant.parse("2024-05-06T07:08:09.123456Z"),
                    Instant.parse("2024-05-06T07:08:09.123Z"), Instant.parse("2024-05-06T07:08:09Z"),
                    Instant.parse("1969-12-31T23:59:59.999999Z")));
        }
    }
}
