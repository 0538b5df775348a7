package dev.fletcher.warehouse.duckdb;

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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Queries read files only inside the allowed directories, reach no URL and install or load no extension. */
class DuckDBSandboxTest {
    @TempDir
    Path dataDir;

    private BufferAllocator allocator;

    @BeforeEach
    void allocate() {
        allocator = new RootAllocator();
    }

    @AfterEach
    void release() {
        allocator.close();
    }

    private static Warehouse create(Map<String, String> properties, Path dataDir) {
        return new DuckDBWarehouseFactory().create(new PluginConfig("sandbox", properties, dataDir));
    }

    private List<List<Object>> rows(WarehouseSession session, String sql) throws IOException {
        try (ArrowReader reader = session.query(Statement.of(sql), allocator)) {
            return ArrowRows.readAll(reader);
        }
    }

    private void refused(WarehouseSession session, String sql, String reason) {
        assertThatThrownBy(() -> rows(session, sql)).as(sql).isInstanceOf(PluginException.class)
                .hasMessageContaining(reason);
    }

    @Test
    void filesOutsideTheAllowedDirectoriesCannotBeReadOrListed() throws IOException {
        Files.writeString(dataDir.resolve("secret.csv"), "secret\nhunter2\n");
        try (Warehouse warehouse = create(Map.of(), dataDir);
                WarehouseSession session = warehouse.openSession()) {
            Path files = dataDir.resolve("files");
            assertThat(files).isDirectory();
            Files.writeString(files.resolve("txns.csv"), "customer_id,amount\nc1,10\nc2,20\n");

            refused(session, "select content as line, now() as ts from read_text('/etc/passwd')", "Permission");
            refused(session, "select column0 as referrer, now() as event_timestamp from read_csv_auto('/etc/passwd')",
                    "Permission");
            refused(session, "select * from glob('" + dataDir + "/**')", "Permission");
            refused(session, "select * from read_csv_auto('" + dataDir.resolve("secret.csv") + "')", "Permission");
            refused(session, "select * from read_csv_auto('" + files + "/../secret.csv')", "Permission");
            refused(session, "select * from read_csv_auto('https://example.com/x.csv')", "Permission");

            assertThat(rows(session, "select customer_id, amount from read_csv_auto('" + files.resolve("txns.csv")
                    + "') order by customer_id")).containsExactly(List.of("c1", 10L), List.of("c2", 20L));
            assertThat(rows(session, "select file from glob('" + files + "/*')"))
                    .containsExactly(List.of(files.resolve("txns.csv").toString()));
        }
    }

    @Test
    void theSandboxCannotBeUndoneAndExtensionsCannotBeFetched() {
        try (Warehouse warehouse = create(Map.of(), dataDir);
                WarehouseSession session = warehouse.openSession()) {
            for (String sql : List.of("SET enable_external_access = true", "RESET enable_external_access",
                    "SET allowed_directories = ['/']", "SET allowed_paths = ['/etc/passwd']", "INSTALL httpfs",
                    "LOAD httpfs", "ATTACH '" + dataDir.resolve("other.duckdb") + "' AS other")) {
                assertThatThrownBy(() -> session.execute(Statement.of(sql))).as(sql)
                        .isInstanceOf(PluginException.class);
            }
            refused(session, "select count(*) from read_text('/etc/passwd')", "Permission");
        }
    }

    /** The server's own work goes through the same database: uploads, tables and the scratch database. */
    @Test
    void uploadsAndTablesStillWork() throws IOException {
        Schema schema = new Schema(List.of(Field.nullable("id", new ArrowType.Int(64, true))));
        try (Warehouse warehouse = create(Map.of(), dataDir);
                WarehouseSession session = warehouse.openSession()) {
            session.registerTable("uploaded", ArrowRows.reader(allocator, schema, List.of(List.of(1L), List.of(2L))));
            session.createTable("kept", ArrowRows.reader(allocator, schema, List.of(List.of(3L))), true);
            session.execute(Statement.of("CREATE TABLE " + warehouse.dialect().scratchTable("work")
                    + " AS SELECT * FROM uploaded"));
            assertThat(rows(session, "select id from uploaded union all select id from kept union all select id from "
                    + warehouse.dialect().scratchTable("work") + " order by id"))
                    .containsExactly(List.of(1L), List.of(1L), List.of(2L), List.of(2L), List.of(3L));
        }
    }

    @Test
    void allowedDirectoriesAreConfigurableAndTheSandboxCanBeLifted() throws IOException {
        Path elsewhere = Files.createDirectories(dataDir.resolve("elsewhere"));
        Files.writeString(elsewhere.resolve("x.csv"), "x\n1\n");
        Files.writeString(dataDir.resolve("y.csv"), "y\n2\n");
        try (Warehouse warehouse = create(Map.of("allowed-directories", elsewhere + ", /nonexistent"), dataDir);
                WarehouseSession session = warehouse.openSession()) {
            assertThat(rows(session, "select x from read_csv_auto('" + elsewhere.resolve("x.csv") + "')"))
                    .containsExactly(List.of(1L));
            refused(session, "select y from read_csv_auto('" + dataDir.resolve("y.csv") + "')", "Permission");
        }
        try (Warehouse warehouse = create(Map.of("url", ":memory:", "external-access", "true"), dataDir);
                WarehouseSession session = warehouse.openSession()) {
            assertThat(rows(session, "select y from read_csv_auto('" + dataDir.resolve("y.csv") + "')"))
                    .containsExactly(List.of(2L));
        }
    }

    @Test
    void aQueryPastTheStatementTimeoutIsInterrupted() throws IOException {
        try (Warehouse warehouse = create(Map.of("url", ":memory:", "statement-timeout", "300ms"), dataDir);
                WarehouseSession session = warehouse.openSession()) {
            long start = System.nanoTime();
            assertThatThrownBy(() -> rows(session, "select count(*) from range(1000000000) a, range(1000) b"))
                    .isInstanceOfSatisfying(StatementTimeoutException.class, e -> assertThat(e)
                            .hasMessageContaining("statement timeout of 300ms"));
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
            assertThat(rows(session, "select 42 as answer")).containsExactly(List.of(42L));
        }
        assertThatThrownBy(() -> create(Map.of("statement-timeout", "soon"), dataDir))
                .isInstanceOf(PluginException.class).hasMessageContaining("statement-timeout");
    }

    /** Locked, no setting changes at all; queries still run in UTC. */
    @Test
    void theConfigurationCanBeLocked() throws IOException {
        try (Warehouse warehouse = create(Map.of("url", ":memory:", "lock-configuration", "true"), dataDir);
                WarehouseSession session = warehouse.openSession()) {
            assertThatThrownBy(() -> session.execute(Statement.of("SET threads = 1")))
                    .isInstanceOf(PluginException.class).hasMessageContaining("locked");
            assertThat(rows(session, "select current_setting('TimeZone') as zone")).containsExactly(List.of("UTC"));
            refused(session, "select count(*) from read_text('/etc/passwd')", "Permission");
        }
    }
}
