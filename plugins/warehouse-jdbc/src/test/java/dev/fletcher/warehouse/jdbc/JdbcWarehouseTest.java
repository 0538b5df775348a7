package dev.fletcher.warehouse.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;

import dev.fletcher.conformance.warehouse.ArrowRows;
import dev.fletcher.spi.PluginException;
import dev.fletcher.spi.warehouse.Capabilities;
import dev.fletcher.spi.warehouse.Dialect;
import dev.fletcher.spi.warehouse.Statement;
import dev.fletcher.spi.warehouse.WarehouseSession;
import java.io.IOException;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.types.DateUnit;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The base on a real driver, read through the JDBC adapter rather than any engine's own Arrow export: DuckDB in
 * memory, one database per connection.
 */
class JdbcWarehouseTest {
    private static final String PREFIX = "warehouse 'test' (testing): ";
    private static final String MANY_ROWS = "SELECT i, CAST(i AS VARCHAR) AS s FROM range(100000) AS t(i)";

    private BufferAllocator root;
    private TestingWarehouse warehouse;

    @BeforeEach
    void open() {
        root = new RootAllocator();
        warehouse = new TestingWarehouse(1000);
    }

    @AfterEach
    void close() {
        warehouse.close();
        root.close();
    }

    @Test
    void resultsStreamAsArrowWithTheirTypesSettled() throws IOException {
        warehouse = new TestingWarehouse(3);
        try (WarehouseSession session = warehouse.openSession();
                ArrowReader reader = session.query(Statement.of("SELECT i,"
                        + " CAST(i AS VARCHAR) AS s, CAST(i / 4 AS DECIMAL(12, 3)) AS dec,"
                        + " CAST(? AS TIMESTAMP) + to_seconds(i) AS naive,"
                        + " CAST('2024-06-01 08:00:00.25-05:00' AS TIMESTAMPTZ) AS zoned,"
                        + " CAST('2024-02-29' AS DATE) AS day, i % 2 = 0 AS even, [i, i] AS list"
                        + " FROM range(7) AS t(i) ORDER BY i", Instant.parse("2024-01-01T00:00:00.000001Z")), root)) {
            List<Integer> batches = new ArrayList<>();
            List<List<Object>> rows = new ArrayList<>();
            while (reader.loadNextBatch()) {
                batches.add(reader.getVectorSchemaRoot().getRowCount());
                for (int row = 0; row < reader.getVectorSchemaRoot().getRowCount(); row++) {
                    List<Object> values = new ArrayList<>();
                    for (var vector : reader.getVectorSchemaRoot().getFieldVectors()) {
                        values.add(ArrowRows.value(vector, row));
                    }
                    rows.add(values);
                }
            }
            assertThat(batches).containsExactly(3, 3, 1);
            assertThat(reader.getVectorSchemaRoot().getSchema().getFields()).extracting(Field::getType)
                    .containsExactly(new ArrowType.Int(64, true), ArrowType.Utf8.INSTANCE,
                            new ArrowType.Decimal(12, 3, 128), StatementReader.UTC_MICROS,
                            StatementReader.UTC_MICROS, new ArrowType.Date(DateUnit.DAY), ArrowType.Bool.INSTANCE,
                            ArrowType.Utf8.INSTANCE);
            assertThat(rows.get(5)).containsExactly(5L, "5", new BigDecimal("1.250"),
                    Instant.parse("2024-01-01T00:00:05.000001Z"), Instant.parse("2024-06-01T13:00:00.250Z"),
                    LocalDate.of(2024, 2, 29), false, "[5, 5]");
        }
        assertThat(root.getAllocatedMemory()).isZero();
    }

    @Test
    void describeAsksTheDriverForTheColumns() {
        try (WarehouseSession session = warehouse.openSession()) {
            Schema schema = session.describe(Statement.of("SELECT CAST(? AS DOUBLE) AS d, CAST(? AS TIMESTAMP) AS ts",
                    0.5, Instant.EPOCH), root);
            assertThat(schema.getFields()).extracting(Field::getName, Field::getType).containsExactly(
                    tuple("d", new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE)),
                    tuple("ts", StatementReader.UTC_MICROS));
        }
        assertThat(root.getAllocatedMemory()).isZero();
    }

    @Test
    void aReaderClosedByItsCallerIsForgottenOnce() throws IOException {
        TestingSession session = (TestingSession) warehouse.openSession();
        ArrowReader reader = session.query(Statement.of(MANY_ROWS), root);
        assertThat(reader.loadNextBatch()).isTrue();
        assertThat(session.hasOpenReaders()).isTrue();
        assertThat(session.callsEnded).isZero();

        reader.close();
        reader.close();
        assertThat(session.hasOpenReaders()).isFalse();
        assertThat(session.callsEnded).isEqualTo(1);
        assertThat(root.getAllocatedMemory()).isZero();

        session.close();
        assertThat(session.readersOpenAtCleanUp).isFalse();
        assertThat(warehouse.released).containsExactly(true);
    }

    @Test
    void closingTheSessionClosesTheReadersItHandedOut() throws IOException {
        TestingSession session = (TestingSession) warehouse.openSession();
        ArrowReader first = session.query(Statement.of(MANY_ROWS), root);
        ArrowReader second = session.query(Statement.of(MANY_ROWS), root);
        assertThat(first.loadNextBatch()).isTrue();
        assertThat(second.loadNextBatch()).isTrue();
        assertThat(root.getAllocatedMemory()).isPositive();

        session.close();
        assertThat(root.getAllocatedMemory()).isZero();
        assertThat(session.readersOpenAtCleanUp).isFalse();
        // Readers closed by the session's close do not count as calls that ended.
        assertThat(session.callsEnded).isZero();
        first.close();
        session.close();
        assertThat(warehouse.released).containsExactly(true);
        assertThatThrownBy(() -> session.query(Statement.of("SELECT 1"), root))
                .isInstanceOf(PluginException.class)
                .hasMessage(PREFIX + "the session is closed");
        assertThatThrownBy(() -> session.execute(Statement.of("SELECT 1")))
                .hasMessage(PREFIX + "the session is closed");
    }

    @Test
    void aFailedQueryKeepsNothingOpenAndSaysWhatTheDriverSaid() {
        try (TestingSession session = (TestingSession) warehouse.openSession()) {
            assertThatThrownBy(() -> session.query(Statement.of("SELECT * FROM no_such_table"), root))
                    .isInstanceOf(PluginException.class)
                    .hasMessageStartingWith(PREFIX)
                    .hasMessageContaining("no_such_table");
            assertThat(session.failures).isEqualTo(1);
            assertThat(session.hasOpenReaders()).isFalse();
            session.execute(Statement.of("CREATE TABLE t (x INTEGER)"));
            assertThat(session.execute(Statement.of("INSERT INTO t VALUES (?), (?)", 2, null))).isEqualTo(2);
            assertThat(session.callsEnded).isEqualTo(2);
        }
        assertThat(root.getAllocatedMemory()).isZero();
    }

    @Test
    void aRegisteredTableNeedsAPlainValidNameAndTheRowsAreClosedEitherWay() {
        Schema schema = new Schema(List.of(new Field("id", FieldType.nullable(new ArrowType.Int(32, true)), null)));
        try (TestingSession session = (TestingSession) warehouse.openSession()) {
            assertThatThrownBy(() -> session.registerTable("s.t",
                    ArrowRows.reader(root, schema, List.of(List.of(1)))))
                    .isInstanceOf(PluginException.class)
                    .hasMessage(PREFIX + "registered table 's.t' lives in the session: give a name without a schema");
            assertThatThrownBy(() -> session.registerTable("t; DROP", ArrowRows.reader(root, schema,
                    List.of(List.of(1)))))
                    .hasMessageStartingWith(PREFIX)
                    .hasMessageContaining("not valid");
            assertThat(root.getAllocatedMemory()).isZero();
            session.registerTable("t", ArrowRows.reader(root, schema, List.of(List.of(1))));
            assertThat(session.registered).containsExactly("t");
        }
        assertThat(root.getAllocatedMemory()).isZero();
    }

    @Test
    void closingTheWarehouseClosesItsSessionsAndRefusesNewOnes() throws IOException {
        WarehouseSession session = warehouse.openSession();
        ArrowReader reader = session.query(Statement.of(MANY_ROWS), root);
        assertThat(reader.loadNextBatch()).isTrue();
        warehouse.close();
        assertThat(root.getAllocatedMemory()).isZero();
        assertThat(warehouse.released).containsExactly(true);
        assertThat(warehouse.shutdowns).isEqualTo(1);
        warehouse.close();
        assertThat(warehouse.shutdowns).isEqualTo(1);
        assertThatThrownBy(warehouse::openSession)
                .isInstanceOf(PluginException.class)
                .hasMessage(PREFIX + "the warehouse is closed");
        reader.close();
    }

    @Test
    void aSessionThatCannotStartGivesItsConnectionBackAsUnfit() {
        warehouse.refuseSessions = true;
        assertThatThrownBy(warehouse::openSession)
                .isInstanceOf(PluginException.class)
                .hasMessage(PREFIX + "no session today");
        assertThat(warehouse.released).containsExactly(false);
    }

    @Test
    void theDriversWordsAreFoundUnderTheAdaptersWrapping() {
        PluginException error = warehouse.error(new RuntimeException("Error occurred while consuming data.",
                new SQLException("  Conversion Error: 'x' is not a number  ")));
        assertThat(error).hasMessage(PREFIX + "Conversion Error: 'x' is not a number");
        assertThat(warehouse.error(new IllegalStateException())).hasMessage(PREFIX + "IllegalStateException");
        PluginException already = new PluginException("kept as is");
        assertThat(warehouse.error(already)).isSameAs(already);
    }

    private static final class TestingDialect extends Dialect {
        @Override
        public String name() {
            return "testing";
        }

        @Override
        public Capabilities capabilities() {
            return new Capabilities(true, true, true, 100, 1 << 20, 100);
        }
    }

    private static final class TestingWarehouse extends JdbcWarehouse {
        final List<Boolean> released = new ArrayList<>();
        int shutdowns;
        boolean refuseSessions;

        TestingWarehouse(int batchSize) {
            super("test", new TestingDialect(), batchSize, 0);
        }

        @Override
        protected Connection connect() throws SQLException {
            return DriverManager.getConnection("jdbc:duckdb:");
        }

        @Override
        protected JdbcSession newSession(Connection connection) {
            if (refuseSessions) {
                throw new PluginException(PREFIX + "no session today");
            }
            return new TestingSession(this, connection);
        }

        @Override
        protected void release(Connection connection, boolean reusable) {
            released.add(reusable);
            super.release(connection, reusable);
        }

        @Override
        protected void shutdown() {
            shutdowns++;
        }
    }

    private static final class TestingSession extends JdbcSession {
        final List<String> registered = new ArrayList<>();
        int callsEnded;
        int failures;
        Boolean readersOpenAtCleanUp;

        TestingSession(JdbcWarehouse warehouse, Connection connection) {
            super(warehouse, connection);
        }

        @Override
        protected void registerRows(String name, ArrowReader rows) {
            registered.add(name);
        }

        @Override
        protected void createTableFrom(String name, ArrowReader rows, boolean replace) {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean tableExists(String name) {
            return false;
        }

        @Override
        protected void callEnded() {
            callsEnded++;
        }

        @Override
        protected PluginException failed(Exception e) {
            failures++;
            return super.failed(e);
        }

        @Override
        protected boolean cleanUp() {
            readersOpenAtCleanUp = hasOpenReaders();
            return true;
        }
    }
}
