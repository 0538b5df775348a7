package dev.fletcher.warehouse.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fletcher.conformance.warehouse.ArrowRows;
import dev.fletcher.spi.PluginConfig;
import dev.fletcher.spi.PluginException;
import dev.fletcher.spi.warehouse.Statement;
import dev.fletcher.spi.warehouse.StatementTimeoutException;
import dev.fletcher.spi.warehouse.Warehouse;
import dev.fletcher.spi.warehouse.WarehouseSession;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Queries run read-only and are cancelled in the server when they pass the statement timeout. */
class PostgresSandboxTest {
    @TempDir
    Path dataDir;

    private static List<List<Object>> rows(WarehouseSession session, String sql, BufferAllocator allocator)
            throws IOException {
        try (ArrowReader reader = session.query(Statement.of(sql), allocator)) {
            return ArrowRows.readAll(reader);
        }
    }

    @Test
    void queriesCannotWriteWhateverTheyCall() throws IOException {
        String table = "pg_sandbox_" + Long.toHexString(System.nanoTime());
        try (BufferAllocator allocator = new RootAllocator();
                Warehouse warehouse = PostgresConformanceTest.testWarehouse(dataDir);
                WarehouseSession session = warehouse.openSession()) {
            session.execute(Statement.of("CREATE TABLE " + table + " (x INTEGER)"));
            session.execute(Statement.of("INSERT INTO " + table + " VALUES (1)"));
            session.execute(Statement.of("CREATE FUNCTION " + table + "_write() RETURNS INTEGER LANGUAGE sql AS"
                    + " 'INSERT INTO " + table + " VALUES (2) RETURNING x'"));
            try {
                assertThatThrownBy(() -> rows(session, "select " + table + "_write() as x", allocator))
                        .isInstanceOf(PluginException.class).hasMessageContaining("read-only transaction");
                assertThatThrownBy(() -> rows(session, "with d as (delete from " + table + " returning *)"
                        + " select * from d", allocator))
                        .isInstanceOf(PluginException.class).hasMessageContaining("read-only transaction");
                // the session stays usable, and nothing was written
                assertThat(rows(session, "select cast(x as bigint) as x from " + table, allocator))
                        .containsExactly(List.of(1L));
            } finally {
                session.execute(Statement.of("DROP FUNCTION " + table + "_write()"));
                session.dropTable(table);
            }
        }
    }

    @Test
    void aQueryPastTheStatementTimeoutIsCancelled() throws IOException {
        PostgresConformanceTest.testWarehouse(dataDir).close();
        try (BufferAllocator allocator = new RootAllocator();
                Warehouse warehouse = new PostgresWarehouseFactory().create(new PluginConfig("timeout", Map.of(
                        "url", "jdbc:postgresql://" + PostgresConformanceTest.SERVER + "/"
                                + PostgresConformanceTest.DATABASE,
                        "user", PostgresConformanceTest.USER, "statement-timeout", "500ms"), dataDir));
                WarehouseSession session = warehouse.openSession()) {
            long start = System.nanoTime();
            assertThatThrownBy(() -> rows(session, "select pg_sleep(20) as slept", allocator))
                    .isInstanceOfSatisfying(StatementTimeoutException.class, e -> {
                        assertThat(e.timeout()).isEqualTo(Duration.ofMillis(500));
                        assertThat(e).hasMessageContaining("statement timeout of 500ms")
                                .hasMessageContaining("fletcher.warehouses.timeout.statement-timeout");
                    });
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
            assertThat(rows(session, "select 1 as one", allocator)).containsExactly(List.of(1L));
        }
    }
}
