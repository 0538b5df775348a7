package dev.fletcher.conformance.engine;

import static dev.fletcher.conformance.engine.TestTables.bool;
import static dev.fletcher.conformance.engine.TestTables.date;
import static dev.fletcher.conformance.engine.TestTables.float64;
import static dev.fletcher.conformance.engine.TestTables.int32;
import static dev.fletcher.conformance.engine.TestTables.int64;
import static dev.fletcher.conformance.engine.TestTables.naive;
import static dev.fletcher.conformance.engine.TestTables.utf8;
import static dev.fletcher.conformance.engine.TestTables.zoned;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.fletcher.catalog.lang.BundleParser;
import dev.fletcher.catalog.lang.ParsedObject;
import dev.fletcher.catalog.model.Catalog;
import dev.fletcher.catalog.model.FeatureRef;
import dev.fletcher.engine.eval.DerivedExpression;
import dev.fletcher.engine.plan.EntityInput;
import dev.fletcher.engine.plan.PlanException;
import dev.fletcher.engine.plan.TrainingSetRequest;
import dev.fletcher.conformance.warehouse.ArrowRows;
import dev.fletcher.spi.NotSupportedException;
import dev.fletcher.engine.sql.TrainingSetQuery;
import dev.fletcher.spi.warehouse.Statement;
import dev.fletcher.spi.warehouse.Warehouse;
import dev.fletcher.spi.warehouse.WarehouseSession;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TimeZone;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.TestInstance;

/**
 * The point-in-time engine's correctness on a real warehouse (CONTRACT §3). A plugin's test module extends this
 * and builds its warehouse in {@link #createWarehouse}. Data is loaded through {@link WarehouseSession#createTable}
 * and entity rows through {@link WarehouseSession#registerTable}, as the server does. Expected values are worked
 * out by hand in each test, or by {@link Reference} (plain loops) for the randomized ones.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class TrainingSetConformanceTest {
    private static final Instant T0 = Instant.parse("2024-03-01T00:00:00Z");
    private static final Duration MICRO = Duration.ofNanos(1_000);
    private static final ArrowType UTC_MICROS = new ArrowType.Timestamp(TimeUnit.MICROSECOND, "UTC");

    private Path dataDir;
    private Warehouse warehouse;
    private TimeZone savedZone;
    private final String suffix = "_" + Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffffL);
    private final List<String> created = new ArrayList<>();
    private BufferAllocator root;
    private BufferAllocator allocator;
    private int uploads;

    /** Builds the warehouse under test; embedded ones keep their files in dataDir. */
    protected abstract Warehouse createWarehouse(Path dataDir);

    @BeforeAll
    void start() throws IOException {
        dataDir = Files.createTempDirectory("fletcher-engine");
        savedZone = TimeZone.getDefault();
        TimeZone.setDefault(TimeZone.getTimeZone("America/New_York"));
        warehouse = createWarehouse(dataDir);
    }

    @AfterAll
    void stop() {
        try (WarehouseSession session = warehouse.openSession()) {
            created.forEach(session::dropTable);
        } finally {
            warehouse.close();
            TimeZone.setDefault(savedZone);
            deleteRecursively(dataDir);
        }
    }

    private static void deleteRecursively(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // Best effort: the directory lives under the system's temporary files.
        }
    }

    /** The warehouse under test, open from the first test to the last. */
    protected final Warehouse warehouse() {
        return warehouse;
    }

    @BeforeEach
    void allocate(TestInfo test) {
        root = new RootAllocator();
        allocator = root.newChildAllocator(test.getDisplayName(), 0, Long.MAX_VALUE);
    }

    @AfterEach
    void release() {
        allocator.close();
        root.close();
    }

    private static Instant h(double hours) {
        return T0.plusSeconds(Math.round(hours * 3600));
    }

    // ---------------------------------------------------------------- catalog and data

    /** Tables in the YAML are written {@code name{}}; each test class run gets its own table names. */
    private Catalog catalog(String yaml) {
        return Catalog.of(BundleParser.parse("test.yaml", yaml.replace("{}", suffix)).objects().stream()
                .map(ParsedObject::object).toList());
    }

    private String load(String table, TestTables rows) {
        String name = table + suffix;
        try (WarehouseSession session = warehouse.openSession()) {
            session.createTable(name, rows.reader(allocator), true);
        }
        if (!created.contains(name)) {
            created.add(name);
        }
        return name;
    }

    private static final String PROFILES = """
            kind: entity
            name: customer
            keys: [customer_id]
            ---
            kind: source
            name: profiles
            table: profiles{}
            timestamp: updated_at
            created_timestamp: loaded_at
            entity_columns: {customer: customer_id}
            ---
            kind: feature_view
            name: customer_profile
            entity: customer
            source: profiles
            ttl: 1d
            features:
              - {name: plan, column: plan, type: string}
              - {name: credit_limit, column: credit_limit, type: int64}
            ---
            kind: feature_view
            name: profile_forever
            entity: customer
            source: profiles
            features:
              - {name: plan, column: plan}
            """;

    private Catalog profiles() {
        load("profiles", TestTables.of(
                List.of(utf8("customer_id"), zoned("updated_at"), zoned("loaded_at"), utf8("plan"), int64("credit_limit")),
                List.of(
                        row("c1", h(0), h(0), "basic", 100L),
                        row("c1", h(10), h(11), "pro", 200L),
                        row("c1", h(10), h(12), "plus", 300L),
                        row("c2", h(5), h(5), "Zeta", 10L),
                        row("c2", h(5), h(5), "alpha", 20L),
                        row("c2", h(5), h(5), "alpha", 5L),
                        row("c3", h(0), null, "old", 1L),
                        row("c3", h(0), h(1), "new", 2L))));
        return catalog(PROFILES);
    }

    private static List<Object> row(Object... values) {
        return Arrays.asList(values);
    }

    // ---------------------------------------------------------------- running

    /** A training set as rows keyed by the value of their first column (the test's row id). */
    private record Result(List<String> columns, List<Field> fields, Map<Object, Map<String, Object>> byId, int rowCount) {
        Object get(Object id, String column) {
            assertThat(byId).containsKey(id);
            assertThat(columns).contains(column);
            return byId.get(id).get(column);
        }
    }

    private Result run(Catalog catalog, List<String> features, TestTables entities, boolean asKnown) {
        return run(catalog, features, entities, new EntityInput.Table(entityTable()), "event_timestamp", asKnown);
    }

    /**
     * A fresh name for each upload, as the server gives each request its own: on PostgreSQL a pooled connection
     * keeps prepared plans by query text, and those refuse a same-named table whose columns changed.
     */
    private String entityTable() {
        return "entity_rows_" + (++uploads);
    }

    private Result run(Catalog catalog, List<String> features, TestTables entities, EntityInput input,
            String timestampColumn, boolean asKnown) {
        TrainingSetRequest request = new TrainingSetRequest(features.stream().map(FeatureRef::parse).toList(), input,
                timestampColumn, asKnown);
        try (WarehouseSession session = warehouse.openSession()) {
            if (entities != null) {
                session.registerTable(((EntityInput.Table) input).name(), entities.reader(allocator));
            }
            TrainingSetQuery query = TrainingSetQuery.prepare(catalog, request, warehouse.dialect(), session, allocator);
            try (ArrowReader reader = query.run(session, allocator)) {
                List<List<Object>> rows = ArrowRows.readAll(reader);
                List<Field> fields = reader.getVectorSchemaRoot().getSchema().getFields();
                List<String> columns = fields.stream().map(Field::getName).toList();
                assertThat(columns).isEqualTo(query.columns());
                Map<Object, Map<String, Object>> byId = new LinkedHashMap<>();
                for (List<Object> values : rows) {
                    Map<String, Object> map = new LinkedHashMap<>();
                    for (int i = 0; i < columns.size(); i++) {
                        map.put(columns.get(i), values.get(i));
                    }
                    byId.put(values.get(0), map);
                }
                return new Result(columns, fields, byId, rows.size());
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        }
    }

    private static TestTables customerRows(List<List<Object>> rows) {
        return TestTables.of(List.of(int64("rid"), utf8("customer_id"), zoned("event_timestamp")), rows);
    }

    private static final List<String> PROFILE_FEATURES =
            List.of("customer_profile:plan", "customer_profile:credit_limit", "profile_forever:plan");

    private static final List<List<Object>> PROFILE_ENTITIES = List.of(
            row(1L, "c1", h(0)),
            row(2L, "c1", h(10)),
            row(3L, "c1", h(10).minus(MICRO)),
            row(4L, "c1", h(34)),
            row(5L, "c1", h(34).plus(MICRO)),
            row(6L, "c2", h(6)),
            row(7L, "c3", h(2)),
            row(8L, "c1", h(0).minus(MICRO)),
            row(9L, "nobody", h(5)),
            row(10L, null, h(5)),
            row(11L, "c1", null),
            row(12L, "c1", h(11)),
            row(13L, "c3", h(0.5)));

    private static void expectProfile(Result result, long id, String plan, Long credit, String forever) {
        assertThat(Arrays.asList(result.get(id, "customer_profile__plan"), result.get(id, "customer_profile__credit_limit"),
                result.get(id, "profile_forever__plan"))).as("row " + id).containsExactly(plan, credit, forever);
    }

    // ---------------------------------------------------------------- derived expressions

    /**
     * Derived expressions run in two places: in the warehouse's SQL for training sets, and in memory for online reads
     * and stream filters. The same expression must give the same value in both. The list holds the shapes of every
     * derived expression in the example catalog and the test catalogs (ratios with nullif, scaling, CASE labels,
     * casts before a division), and then each construct of the language once.
     */
    private static final List<String> DERIVED = List.of(
            // a division by zero is an error in the warehouses, so every divisor is guarded as catalog authors do
            "x / nullif(y, 0)", "x * 100", "b / 2", "cast(a as double precision) / nullif(b, 0)",
            "case when flag then 1.0 else 0.0 end", "case when x > 100 then 'big amount' else 'small' end",
            "(x - y) / nullif(y, 0) + a", "a + 1", "a * 2", "a / nullif(b, 0)", "a % nullif(b, 0)", "-a + 10", "x::double precision / 4",
            "a::bigint + b", "cast(x as bigint)", "cast(a as varchar) || '-' || s", "coalesce(n, a, 0)",
            "nullif(a, b)", "greatest(a, b, 3)", "least(x, y)", "abs(y - x)", "round(x::numeric, 1)", "round(x::numeric)",
            "floor(x)", "ceil(y)", "sqrt(abs(x))", "ln(abs(x) + 1)", "exp(b / 10.0)", "power(b, 2)", "lower(s)",
            "upper(s)", "length(s)", "a between 2 and 5", "a not between 2 and 5", "s in ('pro', 'basic')",
            "a not in (1, 2)", "n is null", "n is not null", "x > y and flag", "x > y or not flag",
            "case s when 'pro' then 2 when 'basic' then 1 end", "case when n is null then -1 else n end",
            "a + n", "a < b", "s <> 'pro'", "flag = true");

    @Test
    void derivedExpressionsGiveTheSameValuesInTheWarehouseAndInMemory() {
        StringBuilder yaml = new StringBuilder("""
                kind: entity
                name: customer
                keys: [customer_id]
                ---
                kind: source
                name: values_src
                table: derived_values{}
                timestamp: at
                entity_columns: {customer: customer_id}
                ---
                kind: feature_view
                name: v
                entity: customer
                source: values_src
                features:
                  - {name: a, column: a, type: int64}
                  - {name: b, column: b, type: int64}
                  - {name: n, column: n, type: int64}
                  - {name: x, column: x, type: float64}
                  - {name: y, column: y, type: float64}
                  - {name: s, column: s, type: string}
                  - {name: flag, column: flag, type: bool}
                """);
        for (int i = 0; i < DERIVED.size(); i++) {
            yaml.append("  - {name: d").append(i).append(", expr: \"").append(DERIVED.get(i).replace("\"", "\\\""))
                    .append("\"}\n");
        }
        load("derived_values", TestTables.of(List.of(utf8("customer_id"), zoned("at"), int64("a"), int64("b"),
                int64("n"), float64("x"), float64("y"), utf8("s"), bool("flag")), List.of(
                        row("c1", h(0), 7L, 2L, null, 2.5, 0.0, "pro", true),
                        row("c2", h(0), 3L, 4L, 5L, 150.25, 40.0, "basic", false),
                        row("c3", h(0), 1L, 0L, null, -3.75, 1.5, "Mixed", null),
                        row("c4", h(0), -6L, 3L, 0L, 0.0, -2.0, null, true))));
        Catalog catalog = catalog(yaml.toString());
        List<String> base = List.of("a", "b", "n", "x", "y", "s", "flag");
        List<String> features = new ArrayList<>(base);
        for (int i = 0; i < DERIVED.size(); i++) {
            features.add("d" + i);
        }
        Result result = run(catalog, features.stream().map(f -> "v:" + f).toList(), TestTables.of(
                List.of(int64("rid"), utf8("customer_id"), zoned("event_timestamp")),
                List.of(row(1L, "c1", h(1)), row(2L, "c2", h(1)), row(3L, "c3", h(1)), row(4L, "c4", h(1)))), false);
        boolean truncating = warehouse.dialect().integerDivisionTruncates();
        for (long id = 1; id <= 4; id++) {
            Object[] values = new Object[base.size()];
            for (int i = 0; i < base.size(); i++) {
                values[i] = result.get(id, "v__" + base.get(i));
            }
            for (int i = 0; i < DERIVED.size(); i++) {
                String expr = DERIVED.get(i);
                Object inMemory = DerivedExpression.compile(expr, base::indexOf, truncating).evaluate(values);
                Object inWarehouse = result.get(id, "v__d" + i);
                String what = "row " + id + ": " + expr;
                if (inWarehouse instanceof Number w && inMemory instanceof Number m) {
                    assertThat(m.doubleValue()).as(what).isCloseTo(w.doubleValue(), within(1e-9));
                } else if (inWarehouse instanceof Number w && inMemory instanceof Boolean m) {
                    assertThat(m ? 1.0 : 0.0).as(what).isEqualTo(w.doubleValue());
                } else {
                    assertThat(inMemory).as(what).isEqualTo(inWarehouse);
                }
            }
        }
    }

    // ---------------------------------------------------------------- latest values

    @Test
    void latestValuesAtTheEntityTimeAndTheTtlEdgeWithTiesBrokenByCreatedTimeThenValue() {
        Result result = run(profiles(), PROFILE_FEATURES, customerRows(PROFILE_ENTITIES), false);
        assertThat(result.rowCount()).isEqualTo(PROFILE_ENTITIES.size());
        assertThat(result.columns()).containsExactly("rid", "customer_id", "event_timestamp", "customer_profile__plan",
                "customer_profile__credit_limit", "profile_forever__plan");
        expectProfile(result, 1, "basic", 100L, "basic");        // a row exactly at the entity time is visible
        expectProfile(result, 2, "plus", 300L, "plus");          // tie on event time: newest created time wins
        expectProfile(result, 3, "basic", 100L, "basic");        // one microsecond before the newer rows
        expectProfile(result, 4, "plus", 300L, "plus");          // exactly ttl old: still valid
        expectProfile(result, 5, null, null, "plus");            // one microsecond past ttl: null, unless no ttl
        expectProfile(result, 6, "alpha", 20L, "alpha");         // tied on both times: byte-wise 'alpha' > 'Zeta', then 20 > 5
        expectProfile(result, 7, "new", 2L, "new");              // a created time beats none
        expectProfile(result, 8, null, null, null);              // before any row
        expectProfile(result, 9, null, null, null);              // unknown key
        expectProfile(result, 10, null, null, null);             // null key
        expectProfile(result, 11, null, null, null);             // null time
        expectProfile(result, 12, "plus", 300L, "plus");
        expectProfile(result, 13, "new", 2L, "new");
        assertThat(result.get(4L, "event_timestamp")).isEqualTo(h(34));
        assertThat(result.get(10L, "customer_id")).isNull();
    }

    @Test
    void asKnownHidesRowsCreatedAfterTheEntityTime() {
        Result result = run(profiles(), PROFILE_FEATURES, customerRows(PROFILE_ENTITIES), true);
        assertThat(result.rowCount()).isEqualTo(PROFILE_ENTITIES.size());
        expectProfile(result, 1, "basic", 100L, "basic");
        expectProfile(result, 2, "basic", 100L, "basic");        // both h10 rows arrive at h11 and h12
        expectProfile(result, 4, "plus", 300L, "plus");
        expectProfile(result, 5, null, null, "plus");
        expectProfile(result, 6, "alpha", 20L, "alpha");
        expectProfile(result, 7, "new", 2L, "new");
        expectProfile(result, 9, null, null, null);
        expectProfile(result, 10, null, null, null);
        expectProfile(result, 12, "pro", 200L, "pro");           // at h11 only the row created at h11 is known
        expectProfile(result, 13, "old", 1L, "old");             // without a created time a row is known at its event time
    }

    @Test
    void rowsTiedWithoutCreatedTimestampGiveOneDeterministicRow() {
        load("profiles_nc", TestTables.of(List.of(utf8("customer_id"), zoned("updated_at"), utf8("plan"),
                        int64("credit_limit")),
                List.of(row("c1", h(1), "b", 1L), row("c1", h(1), "B", 2L), row("c1", h(1), "é", 3L),
                        row("c1", h(1), null, 4L), row("c1", h(1), "é", 0L), row("c2", h(1), null, 7L),
                        row("c2", h(1), null, 9L), row("c2", h(0), "z", 100L))));
        Catalog catalog = catalog("""
                kind: entity
                name: customer
                keys: [customer_id]
                ---
                kind: source
                name: profiles_nc
                table: profiles_nc{}
                timestamp: updated_at
                entity_columns: {customer: customer_id}
                ---
                kind: feature_view
                name: nc
                entity: customer
                source: profiles_nc
                features:
                  - {name: plan, column: plan}
                  - {name: credit_limit, column: credit_limit}
                  - {name: plan_last, column: plan, aggregation: last, window: 1d}
                """);
        List<String> features = List.of("nc:plan", "nc:credit_limit", "nc:plan_last");
        for (boolean asKnown : List.of(false, true)) {
            Result result = run(catalog, features,
                    customerRows(List.of(row(1L, "c1", h(2)), row(2L, "c2", h(1)), row(3L, "c1", h(1)))), asKnown);
            assertThat(result.rowCount()).isEqualTo(3);
            // Byte-wise: 'é' (0xC3 0xA9) > 'b' > 'B'; among the two 'é' rows the larger credit limit.
            assertThat(List.of(result.get(1L, "nc__plan"), result.get(1L, "nc__credit_limit"))).containsExactly("é", 3L);
            assertThat(Arrays.asList(result.get(2L, "nc__plan"), result.get(2L, "nc__credit_limit")))
                    .containsExactly(null, 9L);
            assertThat(result.get(3L, "nc__plan")).isEqualTo("é");
            assertThat(result.get(1L, "nc__plan_last")).isEqualTo("é");
            assertThat(result.get(2L, "nc__plan_last")).isNull(); // the newest row's value is null
        }
    }

    // ---------------------------------------------------------------- windows

    private static final String TXNS = """
            kind: entity
            name: customer
            keys: [customer_id]
            ---
            kind: source
            name: txns
            table: txns{}
            timestamp: txn_at
            created_timestamp: loaded_at
            entity_columns: {customer: customer_id}
            ---
            kind: feature_view
            name: customer_txn
            entity: customer
            source: txns
            features:
              - {name: amount_sum_1h, column: amount, aggregation: sum, window: 1h}
              - {name: txn_count_1d, aggregation: count, window: 1d}
              - {name: qty_sum_1d, column: qty, aggregation: sum, window: 1d}
              - {name: qty_count_1d, column: qty, aggregation: count, window: 1d}
              - {name: amount_avg_1d, column: amount, aggregation: avg, window: 1d}
              - {name: amount_min_1d, column: amount, aggregation: min, window: 1d}
              - {name: amount_max_1d, column: amount, aggregation: max, window: 1d}
              - {name: category_min_1d, column: category, aggregation: min, window: 1d}
              - {name: category_max_1d, column: category, aggregation: max, window: 1d}
              - {name: category_distinct_1d, column: category, aggregation: count_distinct, window: 1d}
              - {name: amount_stddev_1d, column: amount, aggregation: stddev, window: 1d}
              - {name: amount_var_1d, column: amount, aggregation: variance, window: 1d}
              - {name: category_last_1d, column: category, aggregation: last, window: 1d}
              - {name: amount_last_1h, column: amount, aggregation: last, window: 1h}
              - {name: big_count_1d, aggregation: count, window: 1d, filter: "amount >= 50"}
              - {name: big_last_1d, column: amount, aggregation: last, window: 1d, filter: "amount >= 50"}
              - {name: amount_p50_1d, column: amount, aggregation: approx_percentile, percentile: 0.5, window: 1d}
              - {name: big_share_1d, expr: "amount_max_1d / nullif(amount_avg_1d, 0)"}
              - {name: big_share_pct, expr: "big_share_1d * 100"}
            """;

    private static final List<String> TXN_FEATURES = List.of("amount_sum_1h", "txn_count_1d", "qty_sum_1d",
            "qty_count_1d", "amount_avg_1d", "amount_min_1d", "amount_max_1d", "category_min_1d", "category_max_1d",
            "category_distinct_1d", "amount_stddev_1d", "amount_var_1d", "category_last_1d", "amount_last_1h",
            "big_count_1d", "big_last_1d", "big_share_1d", "big_share_pct");

    private static List<String> txnFeatures() {
        return TXN_FEATURES.stream().map(f -> "customer_txn:" + f).toList();
    }

    private static TestTables txnTable(List<List<Object>> rows) {
        return TestTables.of(List.of(utf8("customer_id"), zoned("txn_at"), zoned("loaded_at"), float64("amount"),
                int64("qty"), utf8("category")), rows);
    }

    private Catalog handTxns() {
        load("txns", txnTable(List.of(
                row("c1", h(0), h(0), 1000.0, 1000L, "zzz"),                 // exactly t - 1d: outside
                row("c1", h(0).plus(MICRO), h(0), 10.0, 1L, "b"),
                row("c1", h(23), h(23), 20.0, 2L, "a"),                       // exactly t - 1h: outside 1h
                row("c1", h(23).plusSeconds(1), h(23), 30.0, null, "b"),
                row("c1", h(24), h(25), 60.0, 4L, "B"),                      // exactly t; known only at h25
                row("c1", h(24).plus(MICRO), h(24), 5000.0, 5000L, "zz"),   // after t
                row("c2", h(24), h(24), 7.0, 7L, "x"))));
        return catalog(TXNS);
    }

    private static Object feature(Result result, long id, String name) {
        return result.get(id, "customer_txn__" + name);
    }

    @Test
    void windowsIncludeTheEntityTimeAndExcludeTheWindowStart() {
        Result result = run(handTxns(), txnFeatures(), customerRows(List.of(row(1L, "c1", h(24)),
                row(2L, "c1", h(100)), row(3L, "c1", h(23).plusSeconds(1)), row(4L, "c1", h(0)),
                row(5L, "nobody", h(24)), row(6L, null, h(24)))), false);
        assertThat(feature(result, 1, "amount_sum_1h")).isEqualTo(90.0);
        assertThat(feature(result, 1, "txn_count_1d")).isEqualTo(4L);
        assertThat(feature(result, 1, "qty_sum_1d")).isEqualTo(7L);
        assertThat(feature(result, 1, "qty_count_1d")).isEqualTo(3L);
        assertThat(feature(result, 1, "amount_avg_1d")).isEqualTo(30.0);
        assertThat(feature(result, 1, "amount_min_1d")).isEqualTo(10.0);
        assertThat(feature(result, 1, "amount_max_1d")).isEqualTo(60.0);
        assertThat(feature(result, 1, "category_min_1d")).isEqualTo("B");
        assertThat(feature(result, 1, "category_max_1d")).isEqualTo("b");
        assertThat(feature(result, 1, "category_distinct_1d")).isEqualTo(3L);
        // {10, 20, 30, 60}: mean 30, squared deviations 400 + 100 + 0 + 900 = 1400 over n - 1 = 3.
        assertThat((Double) feature(result, 1, "amount_var_1d")).isCloseTo(1400.0 / 3, within(1e-9));
        assertThat((Double) feature(result, 1, "amount_stddev_1d")).isCloseTo(Math.sqrt(1400.0 / 3), within(1e-9));
        assertThat(feature(result, 1, "category_last_1d")).isEqualTo("B");
        assertThat(feature(result, 1, "amount_last_1h")).isEqualTo(60.0);
        assertThat(feature(result, 1, "big_count_1d")).isEqualTo(1L);
        assertThat(feature(result, 1, "big_last_1d")).isEqualTo(60.0);
        assertThat(feature(result, 1, "big_share_1d")).isEqualTo(2.0);
        assertThat(feature(result, 1, "big_share_pct")).isEqualTo(200.0);

        // An empty window: 0 for count, count_distinct and sum; null for the rest, and for what derives from them.
        Map<String, Object> empty = new HashMap<>();
        TXN_FEATURES.forEach(f -> empty.put(f, null));
        for (String zero : List.of("txn_count_1d", "qty_sum_1d", "qty_count_1d", "category_distinct_1d", "big_count_1d")) {
            empty.put(zero, 0L);
        }
        empty.put("amount_sum_1h", 0.0);
        for (long id : List.of(2L, 5L)) {
            for (String f : TXN_FEATURES) {
                assertThat(feature(result, id, f)).as(id + " " + f).isEqualTo(empty.get(f));
            }
        }
        // A null key gives null features, counts included.
        for (String f : TXN_FEATURES) {
            assertThat(feature(result, 6, f)).as(f).isNull();
        }

        assertThat(feature(result, 3, "amount_sum_1h")).isEqualTo(50.0);
        assertThat(feature(result, 3, "txn_count_1d")).isEqualTo(4L);
        assertThat(feature(result, 3, "qty_sum_1d")).isEqualTo(1003L);
        assertThat(feature(result, 3, "category_last_1d")).isEqualTo("b");

        // One row: its value for avg/min/max/last, null for the sample statistics.
        assertThat(feature(result, 4, "txn_count_1d")).isEqualTo(1L);
        assertThat(feature(result, 4, "amount_avg_1d")).isEqualTo(1000.0);
        assertThat(feature(result, 4, "amount_stddev_1d")).isNull();
        assertThat(feature(result, 4, "amount_var_1d")).isNull();
        assertThat(feature(result, 4, "category_last_1d")).isEqualTo("zzz");
    }

    @Test
    void asKnownAppliesToWindowsToo() {
        Result result = run(handTxns(), txnFeatures(), customerRows(List.of(row(1L, "c1", h(24)), row(2L, "c1", h(25)))),
                true);
        assertThat(feature(result, 1, "txn_count_1d")).isEqualTo(3L);
        assertThat(feature(result, 1, "amount_sum_1h")).isEqualTo(30.0);
        assertThat(feature(result, 1, "category_last_1d")).isEqualTo("b");
        assertThat(feature(result, 1, "amount_last_1h")).isEqualTo(30.0);
        assertThat(feature(result, 1, "big_count_1d")).isEqualTo(0L);
        assertThat(feature(result, 1, "big_last_1d")).isNull();
        // At h25 the h24 row is known: (h1, h25] holds 20, 30, 60 and the 5000 row.
        assertThat(feature(result, 2, "txn_count_1d")).isEqualTo(4L);
        assertThat(feature(result, 2, "amount_last_1h")).isEqualTo(5000.0);
    }

    @Test
    void approximatePercentileWhereTheWarehouseHasIt() {
        List<List<Object>> rows = new ArrayList<>();
        for (int i = 1; i <= 101; i++) {
            rows.add(row("c1", h(10).plusSeconds(i), h(10), (double) i, 1L, "a"));
        }
        load("txns", txnTable(rows));
        Catalog catalog = catalog(TXNS);
        List<String> features = List.of("customer_txn:amount_p50_1d");
        TestTables entities = customerRows(List.of(row(1L, "c1", h(11)), row(2L, "c1", h(100))));
        if (warehouse.capabilities().approxPercentile()) {
            Result result = run(catalog, features, entities, false);
            assertThat((Double) result.get(1L, "customer_txn__amount_p50_1d")).isCloseTo(51.0, within(3.0));
            assertThat(result.get(2L, "customer_txn__amount_p50_1d")).isNull();
        } else {
            assertThatThrownBy(() -> run(catalog, features, entities, false))
                    .isInstanceOf(NotSupportedException.class)
                    .hasMessageContaining("is not supported by this warehouse");
        }
    }

    // ---------------------------------------------------------------- randomized against the reference

    @Test
    void randomDataMatchesAPlainReferenceImplementation() {
        Random random = new Random(20240301);
        String[] customers = {"c0", "c1", "c2", "c3", "c4", "c5"};
        String[] categories = {"a", "B", "b", "é", "Ω", null};
        Double[] amounts = {1.0, 2.5, 50.0, 75.0, 100.0, -3.0, null};
        List<List<Object>> txns = new ArrayList<>();
        for (int i = 0; i < 700; i++) {
            // A coarse 10-minute grid over three days makes ties on event time (and created time) common.
            Instant at = T0.plusSeconds(600L * random.nextInt(432));
            Instant loaded = random.nextInt(5) == 0 ? null : at.plusSeconds(600L * random.nextInt(12));
            txns.add(row(customers[random.nextInt(customers.length)], at, loaded, amounts[random.nextInt(amounts.length)],
                    random.nextInt(6) == 0 ? null : (long) random.nextInt(5), categories[random.nextInt(categories.length)]));
        }
        List<List<Object>> profileRows = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            Instant at = T0.plusSeconds(1800L * random.nextInt(144));
            profileRows.add(row(customers[random.nextInt(customers.length)], at,
                    random.nextInt(4) == 0 ? null : at.plusSeconds(1800L * random.nextInt(4)),
                    categories[random.nextInt(categories.length)], random.nextInt(5) == 0 ? null : (long) random.nextInt(3)));
        }
        List<List<Object>> entities = new ArrayList<>();
        for (long id = 0; id < 250; id++) {
            String customer = random.nextInt(20) == 0 ? null : random.nextInt(15) == 0 ? "cx"
                    : customers[random.nextInt(customers.length)];
            Instant at = T0.plusSeconds(600L * random.nextInt(460)).plus(random.nextInt(8) == 0 ? MICRO : Duration.ZERO);
            entities.add(row(id, customer, at));
        }
        load("txns", txnTable(txns));
        TestTables profileTable = TestTables.of(List.of(utf8("customer_id"), zoned("updated_at"), zoned("loaded_at"),
                utf8("plan"), int64("credit_limit")), profileRows);
        load("profiles", profileTable);
        Catalog catalog = catalog(TXNS + "---\n" + PROFILES.substring(PROFILES.indexOf("kind: source")));
        Reference txnRef = new Reference(txnTable(txns).maps(), List.of("customer_id"), "txn_at", "loaded_at");
        Reference profileRef = new Reference(profileTable.maps(), List.of("customer_id"), "updated_at", "loaded_at");
        Predicate<Map<String, Object>> all = r -> true;
        Predicate<Map<String, Object>> big = r -> r.get("amount") != null && (Double) r.get("amount") >= 50;
        List<String> features = new ArrayList<>(txnFeatures());
        features.addAll(PROFILE_FEATURES);

        for (boolean asKnown : List.of(false, true)) {
            Result result = run(catalog, features, customerRows(entities), asKnown);
            assertThat(result.rowCount()).isEqualTo(entities.size());
            for (List<Object> entity : entities) {
                long id = (Long) entity.get(0);
                List<Object> key = Arrays.asList(entity.get(1));
                Instant t = (Instant) entity.get(2);
                Map<String, Object> expected = new LinkedHashMap<>();
                Duration hour = Duration.ofHours(1);
                Duration day = Duration.ofDays(1);
                expected.put("amount_sum_1h", txnRef.aggregate(key, t, hour, "sum", "amount", all, asKnown));
                expected.put("txn_count_1d", txnRef.aggregate(key, t, day, "count", null, all, asKnown));
                expected.put("qty_sum_1d", txnRef.aggregate(key, t, day, "sum", "qty", all, asKnown));
                expected.put("qty_count_1d", txnRef.aggregate(key, t, day, "count", "qty", all, asKnown));
                expected.put("amount_avg_1d", txnRef.aggregate(key, t, day, "avg", "amount", all, asKnown));
                expected.put("amount_min_1d", txnRef.aggregate(key, t, day, "min", "amount", all, asKnown));
                expected.put("amount_max_1d", txnRef.aggregate(key, t, day, "max", "amount", all, asKnown));
                expected.put("category_min_1d", txnRef.aggregate(key, t, day, "min", "category", all, asKnown));
                expected.put("category_max_1d", txnRef.aggregate(key, t, day, "max", "category", all, asKnown));
                expected.put("category_distinct_1d", txnRef.aggregate(key, t, day, "count_distinct", "category", all,
                        asKnown));
                expected.put("amount_stddev_1d", txnRef.aggregate(key, t, day, "stddev", "amount", all, asKnown));
                expected.put("amount_var_1d", txnRef.aggregate(key, t, day, "variance", "amount", all, asKnown));
                expected.put("category_last_1d", txnRef.aggregate(key, t, day, "last", "category", all, asKnown));
                expected.put("amount_last_1h", txnRef.aggregate(key, t, hour, "last", "amount", all, asKnown));
                expected.put("big_count_1d", txnRef.aggregate(key, t, day, "count", null, big, asKnown));
                expected.put("big_last_1d", txnRef.aggregate(key, t, day, "last", "amount", big, asKnown));
                Double max = (Double) expected.get("amount_max_1d");
                Double avg = (Double) expected.get("amount_avg_1d");
                Double share = max == null || avg == null || avg == 0 ? null : max / avg;
                expected.put("big_share_1d", share);
                expected.put("big_share_pct", share == null ? null : share * 100);
                for (Map.Entry<String, Object> e : expected.entrySet()) {
                    assertClose(result.get(id, "customer_txn__" + e.getKey()), e.getValue(),
                            "row " + id + " " + e.getKey() + " as_known=" + asKnown);
                }
                List<String> tiebreak = List.of("plan", "credit_limit");
                assertClose(result.get(id, "customer_profile__plan"),
                        profileRef.latest(key, t, day, "plan", tiebreak, asKnown), "row " + id + " plan");
                assertClose(result.get(id, "customer_profile__credit_limit"),
                        profileRef.latest(key, t, day, "credit_limit", tiebreak, asKnown), "row " + id + " credit");
                assertClose(result.get(id, "profile_forever__plan"),
                        profileRef.latest(key, t, null, "plan", List.of("plan"), asKnown), "row " + id + " forever");
            }
        }
    }

    private static void assertClose(Object actual, Object expected, String what) {
        if (expected instanceof Double e && actual instanceof Double a) {
            assertThat(a).as(what).isCloseTo(e, within(1e-9 * Math.max(1, Math.abs(e))));
        } else {
            assertThat(actual).as(what).isEqualTo(expected);
        }
    }

    // ---------------------------------------------------------------- keys, entities, inputs

    private static final String PAIRS = """
            kind: entity
            name: pair
            keys: [user_id, merchant_id]
            ---
            kind: entity
            name: merchant
            keys: [merchant_id]
            ---
            kind: source
            name: pair_events
            table: pair_events{}
            timestamp: at
            entity_columns: {pair: [user_id, merchant_id]}
            ---
            kind: source
            name: merchants
            table: merchants{}
            timestamp: updated_at
            entity_columns: {merchant: shop}
            ---
            kind: feature_view
            name: pair_stats
            entity: pair
            source: pair_events
            features:
              - {name: last_score, column: score}
              - {name: event_count_1d, aggregation: count, window: 1d}
              - {name: score_sum_1d, column: score, aggregation: sum, window: 1d}
            ---
            kind: feature_view
            name: merchant_profile
            entity: merchant
            source: merchants
            features:
              - {name: rating, column: rating}
            """;

    @Test
    void compositeKeysAndTwoViewsOnTwoEntitiesWithNaiveTimestamps() {
        load("pair_events", TestTables.of(List.of(int64("user_id"), int64("merchant_id"), naive("at"), float64("score")),
                List.of(row(1L, 10L, h(0), 0.5), row(1L, 20L, h(1), 0.7), row(2L, 10L, h(1), 0.9),
                        row(1L, 10L, h(2), 0.6))));
        load("merchants", TestTables.of(List.of(int64("shop"), zoned("updated_at"), utf8("rating")),
                List.of(row(10L, h(0), "good"), row(20L, h(0), "bad"), row(10L, h(3), "great"))));
        TestTables entities = TestTables.of(List.of(int64("rid"), int64("user_id"), int32("merchant_id"),
                        naive("event_timestamp")),
                List.of(row(1L, 1L, 10, h(2)), row(2L, 1L, 20, h(3)), row(3L, 2L, 10, h(3)), row(4L, 2L, 20, h(3)),
                        row(5L, null, 10, h(3)), row(6L, 1L, null, h(3))));
        Result result = run(catalog(PAIRS), List.of("pair_stats:last_score", "pair_stats:event_count_1d",
                "merchant_profile:rating", "pair_stats:score_sum_1d"), entities, false);
        assertThat(result.columns()).containsExactly("rid", "user_id", "merchant_id", "event_timestamp",
                "pair_stats__last_score", "pair_stats__event_count_1d", "merchant_profile__rating",
                "pair_stats__score_sum_1d");
        assertThat(result.rowCount()).isEqualTo(6);
        Map<Long, List<Object>> expected = Map.of(
                1L, row(0.6, 2L, "good", 1.1),
                2L, row(0.7, 1L, "bad", 0.7),
                3L, row(0.9, 1L, "great", 0.9),
                4L, row(null, 0L, "bad", 0.0),
                5L, row(null, null, "great", null),   // the pair's key is incomplete; the merchant's is not
                6L, row(null, null, null, null));
        expected.forEach((id, values) -> {
            List<Object> actual = Arrays.asList(result.get(id, "pair_stats__last_score"),
                    result.get(id, "pair_stats__event_count_1d"), result.get(id, "merchant_profile__rating"),
                    result.get(id, "pair_stats__score_sum_1d"));
            for (int i = 0; i < values.size(); i++) {
                assertClose(actual.get(i), values.get(i), "row " + id + " column " + i);
            }
        });
        // Timestamps without a zone are UTC, and come back as timestamp[us, UTC].
        assertThat(result.get(1L, "event_timestamp")).isEqualTo(h(2));
        assertThat(result.fields().get(3).getType()).isEqualTo(UTC_MICROS);
    }

    @Test
    void entityTimestampsWithOrWithoutZoneOrAsDatesMeanTheSameUtcTime() {
        Catalog catalog = profiles();
        List<String> features = List.of("customer_profile:plan");
        List<List<Object>> rows = List.of(row(1L, "c1", h(10)), row(2L, "c1", h(10).minus(MICRO)), row(3L, "c2", h(24)));
        for (Field ts : List.of(zoned("event_timestamp"), naive("event_timestamp"))) {
            Result result = run(catalog, features, TestTables.of(List.of(int64("rid"), utf8("customer_id"), ts), rows), false);
            assertThat(result.get(1L, "customer_profile__plan")).as(ts.toString()).isEqualTo("plus");
            assertThat(result.get(2L, "customer_profile__plan")).as(ts.toString()).isEqualTo("basic");
            assertThat(result.get(3L, "customer_profile__plan")).as(ts.toString()).isEqualTo("alpha");
            assertThat(result.get(1L, "event_timestamp")).isEqualTo(h(10));
            assertThat(result.fields().get(2).getType()).isEqualTo(UTC_MICROS);
        }
        // A date is its midnight UTC: 2024-03-01 sees c1's h0 row only; 2024-03-02 sees c1's h10 rows.
        Result dates = run(catalog, features, TestTables.of(List.of(int64("rid"), utf8("customer_id"), date("event_timestamp")),
                List.of(row(1L, "c1", LocalDate.of(2024, 3, 1)), row(2L, "c1", LocalDate.of(2024, 3, 2)))), false);
        assertThat(dates.get(1L, "customer_profile__plan")).isEqualTo("basic");
        assertThat(dates.get(2L, "customer_profile__plan")).isEqualTo("plus");
        assertThat(dates.get(1L, "event_timestamp")).isEqualTo(LocalDate.of(2024, 3, 1));
    }

    @Test
    void duplicatedEntityRowsComeBackOnceEachAndAnEmptyTableGivesNoRows() {
        Catalog catalog = profiles();
        TestTables entities = TestTables.of(List.of(utf8("customer_id"), zoned("event_timestamp"), bool("flag")),
                List.of(row("c1", h(10), true), row("c1", h(10), true), row("c1", h(10), true), row("c2", h(6), false)));
        Result result = run(catalog, List.of("customer_profile:plan"), entities, false);
        assertThat(result.rowCount()).isEqualTo(4);
        // Keyed by customer id: the three identical rows collapse in the map, their count does not.
        assertThat(result.get("c1", "customer_profile__plan")).isEqualTo("plus");
        assertThat(result.get("c1", "flag")).isEqualTo(true);
        assertThat(result.get("c2", "customer_profile__plan")).isEqualTo("alpha");

        Result empty = run(catalog, List.of("customer_profile:plan", "customer_profile:credit_limit"),
                customerRows(List.of()), false);
        assertThat(empty.rowCount()).isZero();
        assertThat(empty.columns()).containsExactly("rid", "customer_id", "event_timestamp", "customer_profile__plan",
                "customer_profile__credit_limit");
    }

    @Test
    void entitySqlRunsInsideTheWarehouse() {
        Catalog catalog = profiles();
        String table = load("labels", TestTables.of(List.of(int64("rid"), utf8("customer_id"), zoned("event_timestamp"),
                int64("label")), List.of(row(1L, "c1", h(10), 1L), row(2L, "c2", h(6), 0L), row(3L, "c3", h(2), 1L))));
        Result result = run(catalog, List.of("customer_profile:plan"), null, new EntityInput.Query(
                "SELECT rid, customer_id, event_timestamp AS ts, label FROM " + table + " WHERE label = 1;"), "ts", false);
        assertThat(result.rowCount()).isEqualTo(2);
        assertThat(result.columns()).containsExactly("rid", "customer_id", "ts", "label", "customer_profile__plan");
        assertThat(result.get(1L, "customer_profile__plan")).isEqualTo("plus");
        assertThat(result.get(3L, "customer_profile__plan")).isEqualTo("new");

        assertThatThrownBy(() -> run(catalog, List.of("customer_profile:plan"), null,
                new EntityInput.Query("SELECT * FROM no_such_table" + suffix), "ts", false))
                .isInstanceOf(PlanException.class)
                .hasMessageContaining("entity_sql failed in the warehouse")
                .hasMessageContaining("no_such_table" + suffix);
    }

    @Test
    void aTimeRangeGivesEveryEntityAtEachOfItsEventTimes() {
        load("txns", txnTable(List.of(
                row("c1", h(1), h(1), 1.0, 1L, "a"),
                row("c1", h(2), h(2), 2.0, 1L, "a"),
                row("c1", h(2), h(2), 3.0, 1L, "a"),
                row("c1", h(5), h(5), 4.0, 1L, "a"),
                row("c2", h(3), h(3), 5.0, 1L, "a"),
                row("c2", h(0.5), h(0.5), 6.0, 1L, "a"))));
        Catalog catalog = catalog(TXNS);
        Result result = run(catalog, List.of("customer_txn:txn_count_1d", "customer_txn:amount_sum_1h"), null,
                new EntityInput.TimeRange(h(1), h(5)), "event_timestamp", false);
        assertThat(result.columns()).containsExactly("customer_id", "event_timestamp", "customer_txn__txn_count_1d",
                "customer_txn__amount_sum_1h");
        assertThat(result.rowCount()).isEqualTo(3);
        // The result above is keyed by customer, which repeats; read the rows again keyed by (customer, time).
        Map<String, Object> counts = new HashMap<>();
        Map<String, Object> sums = new HashMap<>();
        for (List<Object> r : allRows(catalog, List.of("customer_txn:txn_count_1d", "customer_txn:amount_sum_1h"),
                new EntityInput.TimeRange(h(1), h(5)))) {
            counts.put(r.get(0) + "@" + r.get(1), r.get(2));
            sums.put(r.get(0) + "@" + r.get(1), r.get(3));
        }
        assertThat(counts).containsOnly(Map.entry("c1@" + h(1), 1L), Map.entry("c1@" + h(2), 3L),
                Map.entry("c2@" + h(3), 2L));
        assertThat(sums).containsOnly(Map.entry("c1@" + h(1), 1.0), Map.entry("c1@" + h(2), 5.0),
                Map.entry("c2@" + h(3), 5.0));
    }

    private List<List<Object>> allRows(Catalog catalog, List<String> features, EntityInput input) {
        TrainingSetRequest request = new TrainingSetRequest(features.stream().map(FeatureRef::parse).toList(), input,
                null, false);
        try (WarehouseSession session = warehouse.openSession();
                ArrowReader reader = TrainingSetQuery.prepare(catalog, request, warehouse.dialect(), session, allocator)
                        .run(session, allocator)) {
            return ArrowRows.readAll(reader);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    // ---------------------------------------------------------------- bad input

    @Test
    void badRequestsGetClearErrors() {
        Catalog catalog = profiles();
        TestTables good = customerRows(List.of(row(1L, "c1", h(1))));
        assertThatThrownBy(() -> run(catalog, List.of("nope:plan"), good, false))
                .isInstanceOf(PlanException.class).hasMessageContaining("unknown feature view 'nope'")
                .hasMessageContaining("customer_profile");
        assertThatThrownBy(() -> run(catalog, List.of("customer_profile:nope"), good, false))
                .isInstanceOf(PlanException.class).hasMessageContaining("has no feature 'nope'")
                .hasMessageContaining("credit_limit");
        assertThatThrownBy(() -> run(catalog, List.of("customer_profile:plan", "customer_profile:plan"), good, false))
                .isInstanceOf(PlanException.class).hasMessageContaining("requested twice");
        assertThatThrownBy(() -> run(catalog, List.of("customer_profile:plan"),
                TestTables.of(List.of(int64("rid"), zoned("event_timestamp")), List.of(row(1L, h(1)))), false))
                .isInstanceOf(PlanException.class).hasMessageContaining("lack key column 'customer_id'");
        assertThatThrownBy(() -> run(catalog, List.of("customer_profile:plan"),
                TestTables.of(List.of(int64("rid"), utf8("customer_id")), List.of(row(1L, "c1"))), false))
                .isInstanceOf(PlanException.class).hasMessageContaining("no timestamp column 'event_timestamp'");
        assertThatThrownBy(() -> run(catalog, List.of("customer_profile:plan"),
                TestTables.of(List.of(utf8("customer_id"), utf8("event_timestamp")), List.of(row("c1", "2024-03-01"))),
                false))
                .isInstanceOf(PlanException.class).hasMessageContaining("'event_timestamp' is a string, not a timestamp");
        assertThatThrownBy(() -> run(catalog, List.of("customer_profile:plan"),
                TestTables.of(List.of(utf8("customer_id"), zoned("event_timestamp"), utf8("customer_profile__plan")),
                        List.of(row("c1", h(1), "x"))), false))
                .isInstanceOf(PlanException.class).hasMessageContaining("clashes with an entity column");
        assertThat(allocator.getAllocatedMemory()).isZero();
    }

    /** Sanity of the harness itself: the loaded rows are what the tests think they are. */
    @Test
    void loadedSourceRowsReadBackAsWritten() {
        profiles();
        try (WarehouseSession session = warehouse.openSession();
                ArrowReader reader = session.query(Statement.of("SELECT COUNT(*), MIN(updated_at), MAX(loaded_at) FROM "
                        + warehouse.dialect().tableName("profiles" + suffix)), allocator)) {
            assertThat(ArrowRows.readAll(reader)).containsExactly(List.of(8L, h(0), h(12)));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
