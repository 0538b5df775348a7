package dev.fletcher.conformance.warehouse;

import static dev.fletcher.conformance.warehouse.ArrowRows.readAll;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.fletcher.spi.NotSupportedException;
import dev.fletcher.spi.PluginException;
import dev.fletcher.spi.PluginKind;
import dev.fletcher.spi.Plugins;
import dev.fletcher.spi.warehouse.Dialect;
import dev.fletcher.spi.warehouse.Statement;
import dev.fletcher.spi.warehouse.Warehouse;
import dev.fletcher.spi.warehouse.WarehouseFactory;
import dev.fletcher.spi.warehouse.WarehouseSession;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.TimeZone;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.types.DateUnit;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every warehouse plugin must do. A plugin's test module extends this and builds its warehouse in
 * {@link #createWarehouse}; the SQL here sticks to what every supported warehouse spells the same way, and the
 * dialect hooks cover the rest. The JVM's default time zone is moved off UTC for the run, so a plugin that leans
 * on it shows up. Each test's allocator is closed last, so a leak fails the test.
 */
public abstract class WarehouseConformanceTest {
    private static final Plugins<WarehouseFactory> WAREHOUSES = Plugins.load(WarehouseFactory.class,
            PluginKind.WAREHOUSE);
    private static final Instant T1 = Instant.parse("2024-01-01T00:00:00.000001Z");
    private static final Instant T2 = Instant.parse("2024-06-30T23:59:59.999999Z");
    private static final Instant T4 = Instant.parse("1969-12-31T23:59:59.500Z");
    private static final Instant T5 = Instant.parse("2038-01-19T03:14:08Z");
    private static final String TRICKY = "bob's \"tab\"\t back\\slash\nnew line\r";

    private static TimeZone savedZone;

    @TempDir
    Path dataDir;

    protected Warehouse warehouse;
    protected BufferAllocator root;
    protected BufferAllocator allocator;
    private final String suffix = "_" + Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffffL);
    private final List<String> cleanup = new ArrayList<>();

    /** Builds the warehouse under test, named {@code conformance}; embedded ones keep their files in dataDir. */
    protected abstract Warehouse createWarehouse(Path dataDir);

    /** The plugin name its factory answers to, e.g. {@code duckdb}. */
    protected abstract String pluginName();

    /*
     * The suite's own test SQL, where warehouses spell it differently (the renderers' SQL goes through the dialect).
     */

    /** The text type in the suite's CREATE TABLE and CAST statements. */
    protected String stringType() {
        return "VARCHAR";
    }

    /** A column type of timestamps without a zone. */
    protected String naiveTimestampType() {
        return warehouse.dialect().timestampType();
    }

    /** Words the warehouse's message for a missing table contains. */
    protected String missingTableWords() {
        return "does not exist";
    }

    /** Whether an INSERT answers how many rows it added; a warehouse that does not answers -1. */
    protected boolean countsInsertedRows() {
        return true;
    }

    @BeforeAll
    static void moveDefaultZoneOffUtc() {
        savedZone = TimeZone.getDefault();
        TimeZone.setDefault(TimeZone.getTimeZone("America/New_York"));
    }

    @AfterAll
    static void restoreDefaultZone() {
        TimeZone.setDefault(savedZone);
    }

    @BeforeEach
    void open(TestInfo test) {
        root = new RootAllocator();
        allocator = root.newChildAllocator(test.getDisplayName(), 0, Long.MAX_VALUE);
        warehouse = createWarehouse(dataDir);
    }

    @AfterEach
    void close() {
        try {
            if (!cleanup.isEmpty()) {
                try (WarehouseSession session = warehouse.openSession()) {
                    for (String statement : cleanup) {
                        session.execute(Statement.of(statement));
                    }
                }
            }
        } finally {
            warehouse.close();
            allocator.close();
            root.close();
        }
    }

    /** A relation of the integers 1 to {@code last} (a number or {@code ?}) in one column, aliased {@code t}. */
    protected String integers(String last, String column) {
        return "generate_series(1, " + last + ") AS t(" + column + ")";
    }

    /** A timestamp without a zone from its text, as a literal of the dialect's timestamp type. */
    protected String timestampLiteral(String text) {
        return "CAST('" + text + "' AS " + warehouse.dialect().timestampType() + ")";
    }

    /** A zoned timestamp as the UTC wall time without a zone. */
    protected String zonedAsUtc(String expression) {
        return "CAST(" + expression + " AS " + warehouse.dialect().timestampType() + ")";
    }

    /** The type of a timestamp with a zone, microseconds kept. */
    protected String zonedTimestampType() {
        return "TIMESTAMP WITH TIME ZONE";
    }

    /**
     * Whether the tables the tests create take UPDATE and DELETE; a store that cannot (Trino's memory connector)
     * must refuse them with its own error.
     */
    protected boolean rowUpdates() {
        return true;
    }

    /** A table name unique to this run; the table is dropped after the test. */
    protected String table(String base) {
        String name = base + suffix;
        cleanup.add("DROP TABLE IF EXISTS " + warehouse.dialect().tableName(name));
        return name;
    }

    private String messagePrefix() {
        return "warehouse 'conformance' (" + pluginName() + "): ";
    }

    private List<List<Object>> rows(WarehouseSession session, String sql, Object... parameters) {
        try (ArrowReader reader = session.query(Statement.of(sql, parameters), allocator)) {
            return readAll(reader);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private Object single(WarehouseSession session, String sql, Object... parameters) {
        List<List<Object>> rows = rows(session, sql, parameters);
        assertThat(rows).hasSize(1);
        assertThat(rows.get(0)).hasSize(1);
        return rows.get(0).get(0);
    }

    private static Field field(String name, ArrowType type) {
        return new Field(name, FieldType.nullable(type), null);
    }

    private static final ArrowType UTC_MICROS = new ArrowType.Timestamp(TimeUnit.MICROSECOND, "UTC");

    private static Schema entitySchema() {
        return new Schema(List.of(
                field("id", new ArrowType.Int(32, true)),
                field("big", new ArrowType.Int(64, true)),
                field("score", new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE)),
                field("name", ArrowType.Utf8.INSTANCE),
                field("flag", ArrowType.Bool.INSTANCE),
                field("seen_at", UTC_MICROS),
                field("day", new ArrowType.Date(DateUnit.DAY))));
    }

    private ArrowReader entityRows() {
        return ArrowRows.reader(allocator, entitySchema(),
                List.of(
                        List.of(1, 9_007_199_254_740_993L, 0.25, "ann", true, T1, LocalDate.of(2024, 1, 1)),
                        List.of(2, -5L, -1.5, TRICKY, false, T2, LocalDate.of(2024, 6, 30)),
                        Arrays.asList(3, null, null, null, null, null, null)),
                List.of(
                        List.of(4, 0L, 1e300, "ünïcødé ✓", true, T4, LocalDate.of(1969, 12, 31)),
                        List.of(5, Long.MAX_VALUE, Double.NaN, "", false, T5, LocalDate.of(2100, 2, 28))));
    }

    @Test
    void factoryIsFoundByItsName() {
        assertThat(WAREHOUSES.find(pluginName()).name()).isEqualTo(pluginName());
        assertThat(WAREHOUSES.find(pluginName().toUpperCase(Locale.ROOT)).name()).isEqualTo(pluginName());
        assertThatThrownBy(() -> WAREHOUSES.find("no_such_warehouse"))
                .isInstanceOf(PluginException.class)
                .hasMessageContaining("no_such_warehouse")
                .hasMessageContaining(pluginName());
        assertThat(warehouse.instanceName()).isEqualTo("conformance");
        assertThat(warehouse.dialect().name()).isEqualTo(pluginName());
        assertThat(warehouse.capabilities()).isEqualTo(warehouse.dialect().capabilities());
    }

    @Test
    void bindsEveryParameterType() {
        Instant instant = Instant.parse("2024-02-29T23:59:59.123456Z");
        LocalDateTime local = LocalDateTime.parse("1999-12-31T23:59:59.999999");
        Dialect d = warehouse.dialect();
        try (WarehouseSession session = warehouse.openSession()) {
            List<List<Object>> rows = rows(session, "SELECT CAST(? AS " + stringType() + ") AS s, CAST(? AS BOOLEAN) AS b,"
                            + " CAST(? AS INTEGER) AS i, CAST(? AS BIGINT) AS l, " + d.castToDouble("?") + " AS d,"
                            + " CAST(? AS DECIMAL(12, 3)) AS dec, " + d.timestampParameter() + " AS ts_instant,"
                            + " CAST(? AS DATE) AS dt, " + d.timestampParameter() + " AS ts_local,"
                            + " CAST(? AS " + stringType() + ") AS n",
                    "héllo ✓", true, Integer.MIN_VALUE, 9_007_199_254_740_993L, 0.1, new BigDecimal("-12345.678"),
                    instant, LocalDate.of(2024, 2, 29), local, null);
            assertThat(rows).containsExactly(Arrays.asList("héllo ✓", true, (long) Integer.MIN_VALUE,
                    9_007_199_254_740_993L, 0.1, new BigDecimal("-12345.678"), instant, LocalDate.of(2024, 2, 29),
                    Instant.parse("1999-12-31T23:59:59.999999Z"), null));
            // Parameters also compare in predicates as their own types.
            assertThat(single(session, "SELECT COUNT(*) FROM (SELECT 1 AS x) AS t WHERE ? = 'a' AND ? < 3"
                    + " AND ? > 2.5 AND ? = TRUE", "a", 2L, 2.75, true)).isEqualTo(1L);
        }
        assertThatThrownBy(() -> Statement.of("SELECT ?", new Object()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("parameter 1");
    }

    @Test
    void integerDivisionIsAsTheDialectDeclares() {
        try (WarehouseSession session = warehouse.openSession()) {
            Object quotient = single(session, "SELECT CAST(7 AS BIGINT) / CAST(2 AS BIGINT) AS q");
            if (warehouse.dialect().integerDivisionTruncates()) {
                assertThat(((Number) quotient).doubleValue()).isEqualTo(3.0);
            } else {
                assertThat(((Number) quotient).doubleValue()).isEqualTo(3.5);
            }
        }
    }

    @Test
    void stringParametersStayData() {
        String victim = table("victim");
        String attack = "x'); DROP TABLE " + victim + "; --";
        try (WarehouseSession session = warehouse.openSession()) {
            session.execute(Statement.of("CREATE TABLE " + victim + " (name " + stringType() + ")"));
            assertThat(session.execute(Statement.of("INSERT INTO " + victim + " VALUES (?)", attack)))
                    .isEqualTo(countsInsertedRows() ? 1 : -1);
            assertThat(single(session, "SELECT CAST(? AS " + stringType() + ") AS s", attack)).isEqualTo(attack);
            assertThat(single(session, "SELECT COUNT(*) FROM " + victim + " WHERE name = ?", "x")).isEqualTo(0L);
            assertThat(single(session, "SELECT COUNT(*) FROM " + victim + " WHERE name = ?", attack)).isEqualTo(1L);
            assertThat(session.tableExists(victim)).isTrue();
        }
    }

    @Test
    void largeResultsStreamInBatchesWithinASmallMemoryLimit() throws IOException {
        long limit = 8L << 20; // 1M rows of two 8-byte columns take 16 MB whole
        try (BufferAllocator small = allocator.newChildAllocator("small", 0, limit);
                WarehouseSession session = warehouse.openSession();
                ArrowReader reader = session.query(Statement.of("SELECT i, " + warehouse.dialect().castToDouble("i")
                        + " * 0.5 AS half FROM " + integers("1000000", "i")), small)) {
            VectorSchemaRoot batch = reader.getVectorSchemaRoot();
            long rows = 0;
            long sum = 0;
            double halves = 0;
            int batches = 0;
            while (reader.loadNextBatch()) {
                batches++;
                for (int row = 0; row < batch.getRowCount(); row++) {
                    sum += (Long) ArrowRows.value(batch.getVector(0), row);
                    halves += (Double) ArrowRows.value(batch.getVector(1), row);
                }
                rows += batch.getRowCount();
            }
            assertThat(rows).isEqualTo(1_000_000L);
            assertThat(sum).isEqualTo(500_000_500_000L); // n(n+1)/2 for n = 10^6
            assertThat(halves).isEqualTo(250_000_250_000.0);
            assertThat(batches).isGreaterThan(10);
            assertThat(small.getPeakMemoryAllocation()).isLessThan(limit);
        }
    }

    @Test
    void uploadedRowsJoinWarehouseTables() {
        String members = table("members");
        String entities = "entities" + suffix;
        try (WarehouseSession session = warehouse.openSession()) {
            session.execute(Statement.of("CREATE TABLE " + members + " (id INTEGER, label " + stringType() + ", since "
                    + warehouse.dialect().timestampType() + ")"));
            session.execute(Statement.of("INSERT INTO " + members + " VALUES (1, 'gold', "
                    + timestampLiteral("2023-12-31 00:00:00") + "), (2, 'silver', " + timestampLiteral("2024-07-01 00:00:00") + "), (4, 'bronze', "
                    + timestampLiteral("1969-12-31 20:00:00") + ")"));
            session.registerTable(entities, entityRows());
            assertThat(session.tableExists(entities)).isTrue();
            // A registered table is read under the name the dialect gives it (a warehouse without session-private
            // tables keeps it elsewhere under a name of its own).
            String e = warehouse.dialect().tableName(entities);

            List<List<Object>> rows = rows(session, "SELECT e.id, e.big, e.score, e.name, e.flag, e.seen_at, e.day,"
                    + " m.label, m.since <= e.seen_at AS active FROM " + e + " AS e LEFT JOIN " + members
                    + " AS m ON m.id = e.id ORDER BY e.id");
            assertThat(rows).containsExactly(
                    List.of(1L, 9_007_199_254_740_993L, 0.25, "ann", true, T1, LocalDate.of(2024, 1, 1), "gold", true),
                    List.of(2L, -5L, -1.5, TRICKY, false, T2, LocalDate.of(2024, 6, 30), "silver", false),
                    Arrays.asList(3L, null, null, null, null, null, null, null, null),
                    // 20:00 without a zone is UTC, so before 23:59:59.5Z (as New York time it would be after).
                    List.of(4L, 0L, 1e300, "ünïcødé ✓", true, T4, LocalDate.of(1969, 12, 31), "bronze", true),
                    Arrays.asList(5L, Long.MAX_VALUE, Double.NaN, "", false, T5, LocalDate.of(2100, 2, 28), null,
                            null));
            // A registered table can be read more than once in one query and across queries.
            assertThat(single(session, "SELECT COUNT(*) FROM " + e + " AS a JOIN " + e
                    + " AS b ON a.id = b.id")).isEqualTo(5L);
            assertThat(single(session, "SELECT COUNT(*) FROM " + e + " WHERE seen_at >= "
                    + warehouse.dialect().timestampParameter(), Instant.parse("2024-01-01T00:00:00Z")))
                    .isEqualTo(3L);

            // Registering the same name again replaces the rows.
            session.registerTable(entities, ArrowRows.reader(allocator, entitySchema(),
                    List.of(Arrays.asList(9, null, null, "only", null, null, null))));
            assertThat(rows(session, "SELECT id, name FROM " + warehouse.dialect().tableName(entities))).containsExactly(List.of(9L, "only"));

            try (WarehouseSession other = warehouse.openSession()) {
                assertThat(other.tableExists(entities)).isFalse();
            }
            session.dropTable(entities);
            assertThat(session.tableExists(entities)).isFalse();
            session.registerTable(entities, entityRows());
        }
        try (WarehouseSession later = warehouse.openSession()) {
            assertThat(later.tableExists(entities)).isFalse();
        }
        assertThat(allocator.getAllocatedMemory()).isZero();
    }

    @Test
    void aTableRegisteredAgainWithOtherColumnsIsQueriedWithItsNewColumns() {
        String entities = "reshaped" + suffix;
        Schema wide = new Schema(List.of(field("id", new ArrowType.Int(32, true)), field("name", ArrowType.Utf8.INSTANCE)));
        Schema other = new Schema(List.of(field("name", ArrowType.Utf8.INSTANCE), field("score",
                new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE)), field("seen_at", UTC_MICROS)));
        try (WarehouseSession session = warehouse.openSession()) {
            // The same query text over and over (where the dialect names the table the same way each time): a
            // warehouse that caches its plan must notice the new columns.
            Supplier<String> query = () -> "SELECT * FROM " + warehouse.dialect().tableName(entities);
            for (int round = 0; round < 6; round++) {
                session.registerTable(entities, ArrowRows.reader(allocator, wide, List.of(List.of(round, "r" + round))));
                assertThat(rows(session, query.get())).containsExactly(List.of((long) round, "r" + round));
            }
            session.registerTable(entities, ArrowRows.reader(allocator, other, List.of(List.of("x", 0.5, T1))));
            assertThat(rows(session, query.get())).containsExactly(List.of("x", 0.5, T1));
            session.registerTable(entities, ArrowRows.reader(allocator, wide, List.of(List.of(7, "back"))));
            assertThat(rows(session, query.get())).containsExactly(List.of(7L, "back"));
            session.dropTable(entities);
        }
        assertThat(allocator.getAllocatedMemory()).isZero();
    }

    @Test
    void aScratchTableIsSeenByEverySessionUntilDropped() {
        Dialect dialect = warehouse.dialect();
        String table = dialect.scratchTable("scratch" + suffix);
        try (WarehouseSession a = warehouse.openSession(); WarehouseSession b = warehouse.openSession()) {
            a.execute(Statement.of(dialect.createTableAs(table, "SELECT CAST(7 AS BIGINT) AS x")));
            assertThat(b.tableExists(table)).isTrue();
            assertThat(rows(b, "SELECT x FROM " + dialect.tableName(table))).containsExactly(List.of(7L));
            b.dropTable(table);
            assertThat(a.tableExists(table)).isFalse();
            assertThat(b.tableExists(table)).isFalse();
        }
    }

    @Test
    void badTableNamesAreRefusedAndTheRowsReleased() {
        try (WarehouseSession session = warehouse.openSession()) {
            assertThatThrownBy(() -> session.registerTable("x; DROP TABLE y", entityRows()))
                    .isInstanceOf(PluginException.class)
                    .hasMessageStartingWith(messagePrefix())
                    .hasMessageContaining("not valid");
            assertThatThrownBy(() -> session.tableExists("a.b.c")).isInstanceOf(PluginException.class);
        }
        assertThat(allocator.getAllocatedMemory()).isZero();
    }

    @Test
    void createsChecksAndDropsPermanentTables() {
        String loaded = table("loaded");
        String schema = "fc_schema" + suffix;
        cleanup.add("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        try (WarehouseSession session = warehouse.openSession()) {
            assertThat(session.tableExists(loaded)).isFalse();
            session.createTable(loaded, entityRows(), false);
            try (WarehouseSession other = warehouse.openSession()) {
                assertThat(other.tableExists(loaded)).isTrue();
                assertThat(rows(other, "SELECT id, seen_at, day, name FROM " + loaded + " WHERE id IN (1, 2) ORDER BY id"))
                        .containsExactly(List.of(1L, T1, LocalDate.of(2024, 1, 1), "ann"),
                                List.of(2L, T2, LocalDate.of(2024, 6, 30), TRICKY));
            }
            assertThatThrownBy(() -> session.createTable(loaded, entityRows(), false))
                    .isInstanceOf(PluginException.class)
                    .hasMessageStartingWith(messagePrefix())
                    .hasMessageContaining("already exists");
            assertThat(single(session, "SELECT COUNT(*) FROM " + loaded)).isEqualTo(5L);
            session.createTable(loaded, ArrowRows.reader(allocator, entitySchema(),
                    List.of(Arrays.asList(7, null, null, null, null, null, null))), true);
            assertThat(rows(session, "SELECT id FROM " + loaded)).containsExactly(List.of(7L));
            session.dropTable(loaded);
            assertThat(session.tableExists(loaded)).isFalse();
            session.dropTable(loaded);

            session.execute(Statement.of("CREATE SCHEMA " + schema));
            session.createTable(schema + ".inner_table", entityRows(), false);
            assertThat(session.tableExists(schema + ".inner_table")).isTrue();
            assertThat(session.tableExists("inner_table")).isFalse();
            assertThat(single(session, "SELECT COUNT(*) FROM " + schema + ".inner_table")).isEqualTo(5L);
        }
        assertThat(allocator.getAllocatedMemory()).isZero();
    }

    @Test
    void timestampsComeBackAsUtcMicroseconds() {
        String times = table("times");
        String zoned = zonedTimestampType();
        String naive = naiveTimestampType();
        try (WarehouseSession session = warehouse.openSession()) {
            session.execute(Statement.of("CREATE TABLE " + times + " (id INTEGER, naive " + naive + ", zoned " + zoned
                    + ")"));
            session.execute(Statement.of("INSERT INTO " + times + " VALUES (1, CAST('2024-06-01 08:00:00.25' AS "
                    + naive + "), CAST('2024-06-01 08:00:00.25-05:00' AS " + zoned + ")), (2, NULL, NULL)"));
            session.execute(Statement.of("INSERT INTO " + times + " VALUES (3, CAST(? AS " + naive + "), CAST(? AS "
                    + zoned + "))", Instant.parse("2001-02-03T04:05:06.000007Z"), T4));
            String sql = "SELECT id, naive, zoned, CAST(naive AS " + zoned + ") AS naive_zoned,"
                    + " " + zonedAsUtc("zoned") + " AS zoned_naive FROM " + times + " ORDER BY id";
            Schema schema = session.describe(Statement.of(sql), allocator);
            for (String name : List.of("naive", "zoned", "naive_zoned", "zoned_naive")) {
                assertThat(schema.findField(name).getType()).as(name).isEqualTo(UTC_MICROS);
            }
            try (ArrowReader reader = session.query(Statement.of(sql), allocator)) {
                List<List<Object>> rows = readAll(reader);
                for (String name : List.of("naive", "zoned", "naive_zoned", "zoned_naive")) {
                    assertThat(reader.getVectorSchemaRoot().getSchema().findField(name).getType()).as(name)
                            .isEqualTo(UTC_MICROS);
                }
                Instant eight = Instant.parse("2024-06-01T08:00:00.250Z");
                Instant one = Instant.parse("2024-06-01T13:00:00.250Z");
                Instant seven = Instant.parse("2001-02-03T04:05:06.000007Z");
                assertThat(rows).containsExactly(
                        List.of(1L, eight, one, eight, one),
                        Arrays.asList(2L, null, null, null, null),
                        List.of(3L, seven, T4, seven, T4));
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        }
    }

    @Test
    void describeAnswersTheSchemaWithoutRunningTheQuery() {
        Dialect d = warehouse.dialect();
        try (WarehouseSession session = warehouse.openSession()) {
            long started = System.nanoTime();
            Schema schema = session.describe(Statement.of("SELECT i AS n, CAST(i AS " + stringType() + ") AS s,"
                    + " CAST(i AS INTEGER) AS small, " + d.castToDouble("i") + " AS d, i > 5 AS b,"
                    + " CAST('2024-01-01' AS DATE) AS day, " + d.timestampParameter() + " AS ts"
                    + " FROM " + integers("1000000000000", "i") + " WHERE i > ?",
                    Instant.parse("2024-01-01T00:00:00Z"), 5L), allocator);
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
            assertThat(schema.getFields()).extracting(Field::getName)
                    .containsExactly("n", "s", "small", "d", "b", "day", "ts");
            assertThat(schema.getFields()).extracting(Field::getType).containsExactly(
                    new ArrowType.Int(64, true), ArrowType.Utf8.INSTANCE, new ArrowType.Int(32, true),
                    new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE), ArrowType.Bool.INSTANCE,
                    new ArrowType.Date(DateUnit.DAY), UTC_MICROS);
            assertThatThrownBy(() -> session.describe(Statement.of("SELECT * FROM missing" + suffix), allocator))
                    .isInstanceOf(PluginException.class)
                    .hasMessageStartingWith(messagePrefix());
        }
        assertThat(allocator.getAllocatedMemory()).isZero();
    }

    @Test
    void warehouseErrorsCarryTheWarehousesMessageAndLeaveTheSessionUsable() {
        String missing = "missing" + suffix;
        try (WarehouseSession session = warehouse.openSession()) {
            assertThatThrownBy(() -> session.query(Statement.of("SELECT * FROM " + missing), allocator).close())
                    .isInstanceOf(PluginException.class)
                    .hasMessageStartingWith(messagePrefix())
                    .hasMessageContaining(missing)
                    .hasMessageContaining(missingTableWords());
            assertThat(single(session, "SELECT 1 + 1")).isEqualTo(2L);
            assertThatThrownBy(() -> session.execute(Statement.of("DROP TABLE " + missing)))
                    .isInstanceOf(PluginException.class)
                    .hasMessageStartingWith(messagePrefix())
                    .hasMessageContaining(missing);
            // A failure part way through a stream surfaces from the reader, as the same kind of error.
            assertThatThrownBy(() -> rows(session, "SELECT CAST(CASE WHEN i = 900000 THEN 'not a number'"
                    + " ELSE CAST(i AS " + stringType() + ") END AS INTEGER) AS n FROM " + integers("1000000", "i")))
                    .isInstanceOf(PluginException.class)
                    .hasMessageStartingWith(messagePrefix())
                    .hasMessageContaining("not a number");
            assertThat(single(session, "SELECT 2 + 2")).isEqualTo(4L);
        }
        assertThat(allocator.getAllocatedMemory()).isZero();
    }

    @Test
    void executeAnswersUpdateCounts() {
        String counts = table("counts");
        try (WarehouseSession session = warehouse.openSession()) {
            session.execute(Statement.of("CREATE TABLE " + counts + " (id INTEGER, v " + stringType() + ")"));
            assertThat(session.execute(Statement.of("INSERT INTO " + counts + " VALUES (?, ?), (?, ?), (?, ?)",
                    1, "a", 2, "b", 3, null))).isEqualTo(countsInsertedRows() ? 3L : -1L);
            if (!rowUpdates()) {
                assertThatThrownBy(() -> session.execute(Statement.of("UPDATE " + counts + " SET v = ? WHERE id >= ?",
                        "z", 2))).isInstanceOf(PluginException.class).hasMessageStartingWith(messagePrefix());
                assertThat(rows(session, "SELECT id, v FROM " + counts + " ORDER BY id"))
                        .containsExactly(List.of(1L, "a"), List.of(2L, "b"), Arrays.asList(3L, null));
                return;
            }
            assertThat(session.execute(Statement.of("UPDATE " + counts + " SET v = ? WHERE id >= ?", "z", 2)))
                    .isEqualTo(2);
            assertThat(session.execute(Statement.of("DELETE FROM " + counts + " WHERE v = ?", "a"))).isEqualTo(1);
            assertThat(rows(session, "SELECT id, v FROM " + counts + " ORDER BY id"))
                    .containsExactly(List.of(2L, "z"), List.of(3L, "z"));
        }
    }

    @Test
    void dialectHooksRunInTheWarehouse() {
        Dialect d = warehouse.dialect();
        Instant at = Instant.parse("2024-03-13T10:00:00.500Z"); // a Wednesday
        try (WarehouseSession session = warehouse.openSession()) {
            List<List<Object>> rows = rows(session, "SELECT " + d.truncate("hour", "ts") + ", "
                    + d.truncate("day", "ts") + ", " + d.truncate("week", "ts") + ", " + d.truncate("month", "ts")
                    + ", " + d.truncate("quarter", "ts") + ", " + d.truncate("year", "ts") + ", "
                    + d.epochSeconds("ts") + ", " + d.addSeconds("ts", -86_400) + ", " + d.addSeconds("ts", 1_209_600)
                    + ", " + d.safeDivide("7", "2") + ", " + d.safeDivide("1", "0") + ", " + d.castToDouble("3")
                    + " FROM (SELECT " + d.timestampParameter() + " AS ts) AS t", at);
            assertThat(rows).containsExactly(Arrays.asList(
                    Instant.parse("2024-03-13T10:00:00Z"), Instant.parse("2024-03-13T00:00:00Z"),
                    Instant.parse("2024-03-11T00:00:00Z"), Instant.parse("2024-03-01T00:00:00Z"),
                    Instant.parse("2024-01-01T00:00:00Z"), Instant.parse("2024-01-01T00:00:00Z"),
                    1_710_324_000.5, Instant.parse("2024-03-12T10:00:00.500Z"),
                    Instant.parse("2024-03-27T10:00:00.500Z"), 3.5, null, 3.0));
            assertThat(rows(session, "SELECT " + d.percentile("x", 0.25) + ", " + d.percentile("x", 0.5)
                    + " FROM " + integers("5", "x"))).containsExactly(List.of(2.0, 3.0));
            assertThat(single(session, "SELECT " + d.quoteIdentifier("odd \"name\"") + " FROM (SELECT 1 AS "
                    + d.quoteIdentifier("odd \"name\"") + ") AS t")).isEqualTo(1L);
        }
    }

    @Test
    void capabilitiesBehaveAsDeclared() {
        Dialect d = warehouse.dialect();
        try (WarehouseSession session = warehouse.openSession()) {
            if (warehouse.capabilities().approxPercentile()) {
                Object median = single(session, "SELECT " + d.approxPercentile("x", 0.5)
                        + " FROM " + integers("1001", "x"));
                assertThat(((Number) median).doubleValue()).isCloseTo(501.0, within(10.0));
            } else {
                assertThatThrownBy(() -> d.approxPercentile("x", 0.5))
                        .isInstanceOf(NotSupportedException.class)
                        .hasMessageContaining(pluginName());
            }

            String asof = "SELECT e.id, f.v FROM (SELECT 1 AS id, CAST('2024-01-02 00:00:00' AS TIMESTAMP) AS ts) AS e"
                    + " ASOF LEFT JOIN (SELECT 1 AS id, CAST('2024-01-01 00:00:00' AS TIMESTAMP) AS ts, 10 AS v"
                    + " UNION ALL SELECT 1, CAST('2024-01-03 00:00:00' AS TIMESTAMP), 30) AS f"
                    + " ON e.id = f.id AND e.ts >= f.ts";
            if (warehouse.capabilities().asofJoin()) {
                // Spelled by the dialect: the warehouses with ASOF JOIN do not share one syntax.
                String spelled = "SELECT e.id, f.v FROM (SELECT 1 AS id, CAST('2024-01-02 00:00:00' AS TIMESTAMP) AS ts)"
                        + " AS e " + d.asofJoin("(SELECT 1 AS id, CAST('2024-01-01 00:00:00' AS TIMESTAMP) AS ts, 10 AS v"
                        + " UNION ALL SELECT 1, CAST('2024-01-03 00:00:00' AS TIMESTAMP), 30)", "f",
                        List.of("e.id = f.id"), "e.ts >= f.ts");
                assertThat(rows(session, spelled)).containsExactly(List.of(1L, 10L));
            } else {
                assertThatThrownBy(() -> rows(session, asof)).isInstanceOf(PluginException.class);
            }

            String qualify = "SELECT x FROM (SELECT 1 AS x, 'a' AS g UNION ALL SELECT 2, 'a' UNION ALL SELECT 3, 'b')"
                    + " AS t QUALIFY row_number() OVER (PARTITION BY g ORDER BY x DESC) = 1 ORDER BY x";
            if (warehouse.capabilities().qualify()) {
                assertThat(rows(session, qualify)).containsExactly(List.of(2L), List.of(3L));
            } else {
                assertThatThrownBy(() -> rows(session, qualify)).isInstanceOf(PluginException.class);
            }
            assertThat(single(session, "SELECT 1")).isEqualTo(1L);
        }
    }

    @Test
    void declaredLimitsHold() {
        var caps = warehouse.capabilities();
        try (WarehouseSession session = warehouse.openSession()) {
            int columns = Math.min(caps.maxResultColumns(), 10_000);
            StringBuilder wide = new StringBuilder("SELECT 0 AS c0");
            for (int i = 1; i < columns; i++) {
                wide.append(", ").append(i).append(" AS c").append(i);
            }
            List<List<Object>> rows = rows(session, wide.toString());
            assertThat(rows.get(0)).hasSize(columns);
            assertThat(rows.get(0).get(columns - 1)).isEqualTo((long) columns - 1);

            int parameters = Math.min(caps.maxBindParameters(), 65_535);
            Object[] values = new Object[parameters];
            StringBuilder in = new StringBuilder("SELECT COUNT(*) FROM (SELECT 1 AS x) AS t WHERE x IN (?");
            for (int i = 0; i < parameters; i++) {
                values[i] = parameters - i;
                in.append(i == 0 ? "" : ", ?");
            }
            assertThat(single(session, in.append(")").toString(), values)).isEqualTo(1L);

            int text = Math.min(caps.maxQueryTextBytes(), 1 << 20);
            String head = "SELECT 42 AS answer /* ";
            String tail = " */";
            String longSql = head + "x".repeat(text - head.length() - tail.length()) + tail;
            assertThat(single(session, longSql)).isEqualTo(42L);
        }
    }

    @Test
    void closingReadersSessionsAndTheWarehouseReleasesAllMemory() throws IOException {
        String sql = "SELECT i, CAST(i AS " + stringType() + ") AS s FROM " + integers("1000000", "i");
        try (WarehouseSession session = warehouse.openSession()) {
            ArrowReader reader = session.query(Statement.of(sql), allocator);
            assertThat(reader.loadNextBatch()).isTrue();
            assertThat(allocator.getAllocatedMemory()).isPositive();
            reader.close();
            assertThat(allocator.getAllocatedMemory()).isZero();
            assertThat(single(session, "SELECT 3")).isEqualTo(3L);
        }

        WarehouseSession abandoned = warehouse.openSession();
        ArrowReader open = abandoned.query(Statement.of(sql), allocator);
        assertThat(open.loadNextBatch()).isTrue();
        abandoned.close();
        assertThat(allocator.getAllocatedMemory()).isZero();
        open.close();
        abandoned.close();

        WarehouseSession left = warehouse.openSession();
        left.registerTable("left_rows", entityRows());
        ArrowReader leftOpen = left.query(Statement.of(sql), allocator);
        assertThat(leftOpen.loadNextBatch()).isTrue();
        warehouse.close();
        assertThat(allocator.getAllocatedMemory()).isZero();
        assertThatThrownBy(warehouse::openSession)
                .isInstanceOf(PluginException.class)
                .hasMessageStartingWith(messagePrefix());
        warehouse = createWarehouse(dataDir);
    }

    @Test
    void sessionsRunConcurrently() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Object>> answers = new ArrayList<>();
            for (int task = 0; task < 8; task++) {
                long n = 100_000L + task;
                answers.add(pool.submit(() -> {
                    try (BufferAllocator own = allocator.newChildAllocator("task", 0, Long.MAX_VALUE);
                            WarehouseSession session = warehouse.openSession();
                            ArrowReader reader = session.query(Statement.of("SELECT CAST(SUM(i) AS BIGINT)"
                                    + " FROM " + integers("?", "i"), n), own)) {
                        return readAll(reader).get(0).get(0);
                    }
                }));
            }
            for (int task = 0; task < 8; task++) {
                long n = 100_000L + task;
                assertThat(answers.get(task).get()).isEqualTo(n * (n + 1) / 2);
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
