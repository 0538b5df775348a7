package dev.fletcher.conformance.engine;

import static dev.fletcher.conformance.engine.MetricFixtures.query;
import static dev.fletcher.conformance.engine.MetricFixtures.t;
import static dev.fletcher.conformance.engine.MetricFixtures.with;
import static dev.fletcher.conformance.engine.TestTables.float64;
import static dev.fletcher.conformance.engine.TestTables.utf8;
import static dev.fletcher.conformance.engine.TestTables.zoned;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fletcher.catalog.model.Catalog;
import dev.fletcher.engine.plan.MetricFilter;
import dev.fletcher.engine.plan.MetricPlan;
import dev.fletcher.engine.plan.MetricPlanner;
import dev.fletcher.engine.plan.MetricQuery;
import dev.fletcher.engine.plan.PlanException;
import dev.fletcher.conformance.warehouse.ArrowRows;
import dev.fletcher.engine.sql.MetricSql;
import dev.fletcher.spi.warehouse.Dialect;
import dev.fletcher.spi.warehouse.Warehouse;
import dev.fletcher.spi.warehouse.WarehouseSession;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.TimeZone;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.types.pojo.Field;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.TestInstance;

/**
 * Metrics queries (CONTRACT §7) on a real warehouse. A plugin's test module extends this and builds its warehouse in
 * {@link #createWarehouse}. Every expected value is worked out by hand from the rows below, in the comments beside
 * each assertion; none comes from the engine.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class MetricConformanceTest {
    private Path dataDir;
    private Warehouse warehouse;
    private TimeZone savedZone;
    private final String suffix = "_m" + Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffL);
    private final List<String> created = new ArrayList<>();
    private BufferAllocator root;
    private BufferAllocator allocator;
    private Catalog catalog;

    protected abstract Warehouse createWarehouse(Path dataDir);

    private static List<Object> row(Object... values) {
        return Arrays.asList(values);
    }

    /*
     * orders: 2026-03-01 is a Sunday, 2026-03-02 a Monday.
     *   o9  c1 02-27 12:00  100 completed DE   (before the usual start: offsets and windows reach it)
     *   o1  c1 03-01 10:00   10 completed DE
     *   o2  c1 03-01 23:59:59.999999  5 completed DE   (last microsecond of the day)
     *   o3  c2 03-02 00:00   20 completed FR   (first microsecond of the day and the ISO week)
     *   o4  c2 03-02 12:00    7 refunded  FR
     *   o5  c3 03-03 08:00    3 completed DE
     *   o11 c4 03-04 10:00    9 refunded  ES   (a group with orders but no revenue)
     *   o6  c3 03-05 09:00    4 completed null country
     *   o7  c1 03-08 15:00    6 completed DE   (Sunday: still the week of 03-02)
     *   o8  c2 03-09 00:00    1 completed FR
     *   o10 c2 03-10 00:00   50 completed FR   (exactly the usual end: outside)
     *   o14 c5 03-20 10:00    0 refunded  ES   (a refunded amount that sums to 0)
     *   o13 c1 2026-12-27 05:00  1 completed DE (Sunday)
     *   o12 c1 2027-01-01 05:00  2 completed DE (Friday: ISO week of Monday 2026-12-28)
     */

    @BeforeAll
    void start() throws IOException {
        dataDir = Files.createTempDirectory("fletcher-metrics");
        savedZone = TimeZone.getDefault();
        TimeZone.setDefault(TimeZone.getTimeZone("Asia/Tokyo"));
        warehouse = createWarehouse(dataDir);
        try (BufferAllocator loading = new RootAllocator()) {
            load(loading, "orders", TestTables.of(List.of(utf8("order_id"), utf8("customer_id"), zoned("ordered_at"),
                    float64("revenue"), utf8("status"), utf8("country")), List.of(
                    row("o9", "c1", t("2026-02-27T12:00:00"), 100.0, "completed", "DE"),
                    row("o1", "c1", t("2026-03-01T10:00:00"), 10.0, "completed", "DE"),
                    row("o2", "c1", t("2026-03-01T23:59:59.999999"), 5.0, "completed", "DE"),
                    row("o3", "c2", t("2026-03-02"), 20.0, "completed", "FR"),
                    row("o4", "c2", t("2026-03-02T12:00:00"), 7.0, "refunded", "FR"),
                    row("o5", "c3", t("2026-03-03T08:00:00"), 3.0, "completed", "DE"),
                    row("o11", "c4", t("2026-03-04T10:00:00"), 9.0, "refunded", "ES"),
                    row("o6", "c3", t("2026-03-05T09:00:00"), 4.0, "completed", null),
                    row("o7", "c1", t("2026-03-08T15:00:00"), 6.0, "completed", "DE"),
                    row("o8", "c2", t("2026-03-09"), 1.0, "completed", "FR"),
                    row("o10", "c2", t("2026-03-10"), 50.0, "completed", "FR"),
                    row("o14", "c5", t("2026-03-20T10:00:00"), 0.0, "refunded", "ES"),
                    row("o13", "c1", t("2026-12-27T05:00:00"), 1.0, "completed", "DE"),
                    row("o12", "c1", t("2027-01-01T05:00:00"), 2.0, "completed", "DE"))));
            // c1 is basic, then team from exactly o7's time; c2 always free; c3 and c4 have no profile.
            load(loading, "profiles", TestTables.of(List.of(utf8("customer_id"), zoned("updated_at"), utf8("plan")),
                    List.of(row("c1", t("2026-02-01"), "basic"), row("c1", t("2026-03-08T15:00:00"), "team"),
                            row("c2", t("2026-01-01"), "free"))));
            load(loading, "leads", TestTables.of(List.of(utf8("lead_id"), zoned("created_at"), utf8("referrer")), List.of(
                    row("l1", t("2026-03-01T10:00:00"), "fb"),
                    row("l2", t("2026-03-01T11:00:00"), "fb"),
                    row("l3", t("2026-03-01T12:00:00"), "go"),
                    row("l4", t("2026-03-01T13:00:00"), "go"),
                    row("l5", t("2026-03-01T23:00:00"), "go"),
                    row("l6", t("2026-03-02T01:00:00"), "fb"),
                    row("l7", t("2026-03-01T14:00:00"), null),
                    row("l8", t("2026-03-01T15:00:00"), "fb"),
                    row("l8", t("2026-03-01T16:00:00"), "fb"))));
            load(loading, "conversions", TestTables.of(List.of(utf8("lead_id"), zoned("converted_at")), List.of(
                    row("l1", t("2026-03-02T10:00:00")),               // exactly t + 1d: too late
                    row("l2", t("2026-03-02T10:59:59.999999")),        // the last microsecond inside
                    row("l3", t("2026-03-01T12:00:00")),               // exactly t: inside
                    row("l4", t("2026-03-01T12:59:00")),               // before the lead: does not count
                    row("l5", t("2026-03-02T05:00:00")),               // after the query's end: still counts
                    row("l8", t("2026-03-01T17:00:00")))));            // converts both l8 rows
            // Drift: baseline (02-01, 02-02] holds 1..10, the current window (02-02, 02-03] the values below.
            List<List<Object>> scores = new ArrayList<>();
            for (int i = 1; i <= 10; i++) {
                scores.add(row("base", t("2026-02-01T00:00:00").plusSeconds(3600L * i), (double) i));
            }
            scores.add(row("base", t("2026-02-01"), 1000.0));                     // exactly the baseline's start: out
            scores.add(row("base", t("2026-02-01T12:00:00"), null));              // nulls are left out
            for (double v : new double[] {1, 2, 3, 8}) {
                scores.add(row("cur", t("2026-02-02T06:00:00"), v));
            }
            scores.add(row("cur", t("2026-02-03"), 2.0));                          // exactly T: in
            scores.add(row("cur", t("2026-02-03T00:00:00.000001"), 9.0));          // after T: out
            load(loading, "scores", TestTables.of(List.of(utf8("part"), zoned("scored_at"), float64("score")), scores));
        }
        catalog = MetricFixtures.catalog(suffix);
    }

    private void load(BufferAllocator loading, String table, TestTables rows) {
        String name = table + suffix;
        try (WarehouseSession session = warehouse.openSession()) {
            session.createTable(name, rows.reader(loading), true);
        }
        created.add(name);
    }

    @AfterAll
    void stop() {
        try (WarehouseSession session = warehouse.openSession()) {
            created.forEach(session::dropTable);
        } finally {
            warehouse.close();
            TimeZone.setDefault(savedZone);
            try (Stream<Path> paths = Files.walk(dataDir)) {
                paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                // best effort under the temporary directory
            }
        }
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

    // ---------------------------------------------------------------- running

    private record Answer(List<String> columns, List<List<Object>> rows, String sql) {
    }

    private Answer run(MetricQuery query) {
        MetricPlan plan = MetricPlanner.resolve(catalog, query);
        try (WarehouseSession session = warehouse.openSession()) {
            MetricSql sql = MetricSql.prepare(catalog, plan, warehouse.dialect(), session, allocator);
            try (ArrowReader reader = sql.run(session, allocator)) {
                List<List<Object>> rows = new ArrayList<>();
                for (List<Object> values : ArrowRows.readAll(reader)) {
                    rows.add(values.stream().map(MetricConformanceTest::plain).toList());
                }
                List<String> columns = reader.getVectorSchemaRoot().getSchema().getFields().stream()
                        .map(Field::getName).toList();
                assertThat(columns).isEqualTo(sql.columns());
                return new Answer(columns, rows, sql.statement().sql());
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        }
    }

    /** Numbers compared at 9 decimals; nulls kept (a list that holds null cannot come from List.of). */
    private static Object plain(Object value) {
        if (value instanceof Double d) {
            return BigDecimal.valueOf(d).setScale(9, RoundingMode.HALF_EVEN).doubleValue();
        }
        if (value instanceof BigDecimal d) {
            return d.setScale(9, RoundingMode.HALF_EVEN).doubleValue();
        }
        return value;
    }

    private static double r9(double value) {
        return BigDecimal.valueOf(value).setScale(9, RoundingMode.HALF_EVEN).doubleValue();
    }

    // ---------------------------------------------------------------- simple metrics

    @Test
    void simpleAggregationsByDayAndCountryWithBucketEdgesAndRangeBounds() {
        Answer answer = run(query(List.of("revenue", "orders", "buyers", "avg_order", "min_order", "max_order"),
                List.of("metric_time__day", "country"), "2026-03-01", "2026-03-10"));
        assertThat(answer.columns()).containsExactly("metric_time__day", "country", "revenue", "orders", "buyers",
                "avg_order", "min_order", "max_order");
        assertThat(answer.rows()).containsExactly(
                // o1 + o2: the last microsecond of 03-01 is still 03-01; o9 (02-27) is before start
                row(t("2026-03-01"), "DE", 15.0, 2L, 1L, 7.5, 5.0, 10.0),
                // o3 at 00:00 opens 03-02; o4 is refunded: out of revenue and min_order (completed only), in the rest
                row(t("2026-03-02"), "FR", 20.0, 2L, 1L, 13.5, 20.0, 20.0),
                row(t("2026-03-03"), "DE", 3.0, 1L, 1L, 3.0, 3.0, 3.0),
                // o11 only, refunded: revenue and min_order have no rows in this group, so they are null here
                row(t("2026-03-04"), "ES", null, 1L, 1L, 9.0, null, 9.0),
                row(t("2026-03-05"), null, 4.0, 1L, 1L, 4.0, 4.0, 4.0),
                row(t("2026-03-08"), "DE", 6.0, 1L, 1L, 6.0, 6.0, 6.0),
                // o10 at exactly end is outside [start, end)
                row(t("2026-03-09"), "FR", 1.0, 1L, 1L, 1.0, 1.0, 1.0));
        assertThat(answer.sql()).doesNotContain("2026-03");
    }

    @Test
    void withoutGroupByOneRowAndOverNoRowsCountAndSumAreZero() {
        // 15 + 20 + 3 + 4 + 6 + 1 (refunded o4 and o11 out, o9 and o10 outside the range)
        assertThat(run(query(List.of("revenue", "orders"), List.of(), "2026-03-01", "2026-03-10")).rows())
                .containsExactly(row(49.0, 9L));
        assertThat(run(query(List.of("revenue", "orders", "avg_order"), List.of(), "2030-01-01", "2030-02-01")).rows())
                .containsExactly(row(0.0, 0L, null));
    }

    @Test
    void emptyBucketsAreLeftOutUnlessFilled() {
        MetricQuery daily = query(List.of("revenue", "orders", "avg_order"), List.of("metric_time__day"), "2026-03-01",
                "2026-03-10");
        assertThat(run(daily).rows()).containsExactly(
                row(t("2026-03-01"), 15.0, 2L, 7.5),
                row(t("2026-03-02"), 20.0, 2L, 13.5),
                row(t("2026-03-03"), 3.0, 1L, 3.0),
                row(t("2026-03-04"), null, 1L, 9.0),
                row(t("2026-03-05"), 4.0, 1L, 4.0),
                row(t("2026-03-08"), 6.0, 1L, 6.0),
                row(t("2026-03-09"), 1.0, 1L, 1.0));
        assertThat(run(with(daily, List.of(), true, List.of(), null)).rows()).containsExactly(
                row(t("2026-03-01"), 15.0, 2L, 7.5),
                row(t("2026-03-02"), 20.0, 2L, 13.5),
                row(t("2026-03-03"), 3.0, 1L, 3.0),
                row(t("2026-03-04"), 0.0, 1L, 9.0),       // fill: 0 for sum and count, null for the rest
                row(t("2026-03-05"), 4.0, 1L, 4.0),
                row(t("2026-03-06"), 0.0, 0L, null),
                row(t("2026-03-07"), 0.0, 0L, null),
                row(t("2026-03-08"), 6.0, 1L, 6.0),
                row(t("2026-03-09"), 1.0, 1L, 1.0));
    }

    @Test
    void fillGivesEveryBucketForEveryGroup() {
        Answer answer = run(with(query(List.of("orders"), List.of("metric_time__day", "country"), "2026-03-08",
                "2026-03-10"), List.of(), true, List.of(), null));
        assertThat(answer.rows()).containsExactly(
                row(t("2026-03-08"), "DE", 1L), row(t("2026-03-08"), "FR", 0L),
                row(t("2026-03-09"), "DE", 0L), row(t("2026-03-09"), "FR", 1L));
    }

    @Test
    void isoWeeksStartOnMondayAndCrossTheYear() {
        assertThat(run(query(List.of("revenue", "orders"), List.of("metric_time__week"), "2026-02-23", "2026-03-10"))
                .rows()).containsExactly(
                row(t("2026-02-23"), 115.0, 3L),   // o9, o1, o2: Sunday 03-01 closes the week of Monday 02-23
                row(t("2026-03-02"), 33.0, 6L),    // o3 + o5 + o6 + o7 (Sunday 03-08); o4, o11 refunded
                row(t("2026-03-09"), 1.0, 1L));
        assertThat(run(query(List.of("revenue"), List.of("metric_time__week"), "2026-12-20", "2027-01-10")).rows())
                .containsExactly(row(t("2026-12-21"), 1.0), row(t("2026-12-28"), 2.0));  // Friday 2027-01-01
    }

    @Test
    void hourMonthQuarterAndYearBuckets() {
        assertThat(run(query(List.of("revenue"), List.of("metric_time__hour"), "2026-03-01", "2026-03-02T01:00:00"))
                .rows()).containsExactly(row(t("2026-03-01T10:00:00"), 10.0), row(t("2026-03-01T23:00:00"), 5.0),
                row(t("2026-03-02"), 20.0));
        // Without start and end every row counts: March = 10 + 5 + 20 + 3 + 4 + 6 + 1 + 50 = 99
        assertThat(run(query(List.of("revenue"), List.of("metric_time__month"), null, null)).rows()).containsExactly(
                row(t("2026-02-01"), 100.0), row(t("2026-03-01"), 99.0), row(t("2026-12-01"), 1.0),
                row(t("2027-01-01"), 2.0));
        assertThat(run(query(List.of("revenue"), List.of("metric_time__quarter"), null, null)).rows()).containsExactly(
                row(t("2026-01-01"), 199.0), row(t("2026-10-01"), 1.0), row(t("2027-01-01"), 2.0));
        assertThat(run(query(List.of("revenue"), List.of("metric_time__year"), null, null)).rows()).containsExactly(
                row(t("2026-01-01"), 200.0), row(t("2027-01-01"), 2.0));
    }

    // ---------------------------------------------------------------- ratio and derived

    @Test
    void ratioIsNullForAZeroOrMissingDenominatorAndZeroForAMissingNumerator() {
        assertThat(run(query(List.of("revenue_to_refunds"), List.of("metric_time__day"), "2026-03-01", "2026-03-21"))
                .rows()).containsExactly(
                row(t("2026-03-01"), null),            // no refunds that day
                row(t("2026-03-02"), r9(20.0 / 7.0)),  // o3 / o4
                row(t("2026-03-03"), null),
                row(t("2026-03-04"), 0.0),             // only the refund: no revenue rows counts 0
                row(t("2026-03-05"), null),
                row(t("2026-03-08"), null),
                row(t("2026-03-09"), null),
                row(t("2026-03-10"), null),
                row(t("2026-03-20"), null));           // o14: the refunded amount is there and 0
    }

    @Test
    void derivedWithAnOffsetReadsBucketsBeforeStart() {
        assertThat(run(query(List.of("revenue_growth", "revenue_per_order"), List.of("metric_time__day"), "2026-03-01",
                "2026-03-06")).rows()).containsExactly(
                row(t("2026-03-01"), -0.85, 7.5),        // (15 - 100) / 100: 02-27 lies before start; 15 / 2
                row(t("2026-03-02"), null, 10.0),        // nothing on 02-28; 20 / 2
                row(t("2026-03-03"), -0.8, 3.0),         // (3 - 15) / 15
                row(t("2026-03-04"), null, null),        // no revenue rows, 20 two days before; null / 1
                row(t("2026-03-05"), r9(1.0 / 3.0), 4.0)); // (4 - 3) / 3; 03-06 and 03-07 (shifted) are past end
    }

    // ---------------------------------------------------------------- cumulative

    @Test
    void cumulativeTrailingWindowReachesBeforeStartAndKeepsBucketsWithoutOwnRows() {
        assertThat(run(query(List.of("revenue_3d"), List.of("metric_time__day"), "2026-03-01", "2026-03-10")).rows())
                .containsExactly(
                        row(t("2026-03-01"), 115.0),   // 02-27 + 02-28 + 03-01 = 100 + 0 + 15
                        row(t("2026-03-02"), 35.0),    // 0 + 15 + 20
                        row(t("2026-03-03"), 38.0),
                        row(t("2026-03-04"), 23.0),
                        row(t("2026-03-05"), 7.0),
                        row(t("2026-03-06"), 4.0),     // no rows of its own, its window has o6
                        row(t("2026-03-07"), 4.0),
                        row(t("2026-03-08"), 6.0),
                        row(t("2026-03-09"), 7.0));
        assertThat(run(query(List.of("revenue_3d"), List.of("metric_time__day", "country"), "2026-03-08", "2026-03-10"))
                .rows()).containsExactly(
                row(t("2026-03-08"), "DE", 6.0),          // [03-06, 03-09): o7
                row(t("2026-03-09"), "DE", 6.0),          // [03-07, 03-10): o7 and o8
                row(t("2026-03-09"), "FR", 1.0));
    }

    @Test
    void cumulativeGrainToDateRestartsWithTheMonth() {
        assertThat(run(query(List.of("revenue_mtd"), List.of("metric_time__day"), "2026-02-27", "2026-03-03")).rows())
                .containsExactly(row(t("2026-02-27"), 100.0), row(t("2026-02-28"), 100.0), row(t("2026-03-01"), 15.0),
                        row(t("2026-03-02"), 35.0));
    }

    // ---------------------------------------------------------------- conversion

    @Test
    void conversionWindowsAtTheirEdges() {
        assertThat(run(query(List.of("lead_conversion"), List.of("metric_time__day", "referrer"), "2026-03-01",
                "2026-03-02")).rows()).containsExactly(
                row(t("2026-03-01"), "fb", 0.75),        // l1 no (t + 1d exactly), l2 yes, both l8 rows yes
                row(t("2026-03-01"), "go", r9(2.0 / 3)), // l3 yes (at t), l4 no (before), l5 yes (after end)
                row(t("2026-03-01"), null, 0.0));        // l7 never converts; l6 is after end
        assertThat(run(query(List.of("lead_conversion"), List.of(), "2026-03-01", "2026-03-02")).rows())
                .containsExactly(row(0.625));             // 5 of 8
    }

    // ---------------------------------------------------------------- point-in-time dimensions

    @Test
    void pointInTimeDimensionTakesTheValueAtEachRowsEventTime() {
        assertThat(run(query(List.of("revenue", "orders"), List.of("customer_profile__plan"), "2026-03-01",
                "2026-03-10")).rows()).containsExactly(
                row("basic", 15.0, 2L),     // o1, o2 of c1
                row("free", 21.0, 3L),      // o3, o8 (o4 refunded, still an order)
                row("team", 6.0, 1L),       // o7 at exactly the time c1 became team
                row(null, 7.0, 3L));        // c3 (o5, o6) and c4 (o11) have no profile
        assertThat(run(with(query(List.of("revenue"), List.of("metric_time__week"), "2026-03-01", "2026-03-10"),
                List.of(new MetricFilter("customer_profile__plan", MetricFilter.Op.IN, List.of("free"))), false,
                List.of(), null)).rows()).containsExactly(row(t("2026-03-02"), 20.0), row(t("2026-03-09"), 1.0));
    }

    // ---------------------------------------------------------------- where, order, limit

    @Test
    void whereItemsFilterRowsWithSqlNullLogic() {
        MetricQuery byCountry = query(List.of("revenue"), List.of("country"), "2026-03-01", "2026-03-10");
        assertThat(run(with(byCountry, List.of(new MetricFilter("country", MetricFilter.Op.IN, List.of("DE", "FR"))),
                false, List.of(), null)).rows()).containsExactly(row("DE", 24.0), row("FR", 21.0));
        // != matches no null: the null country is out; ES has no revenue rows
        assertThat(run(with(byCountry, List.of(new MetricFilter("country", MetricFilter.Op.NE, List.of("DE"))), false,
                List.of(), null)).rows()).containsExactly(row("FR", 21.0));
        assertThat(run(with(byCountry, List.of(new MetricFilter("country", MetricFilter.Op.NOT_IN, List.of("DE"))),
                false, List.of(), null)).rows()).containsExactly(row("FR", 21.0));
        assertThat(run(with(byCountry, List.of(new MetricFilter("country", MetricFilter.Op.IS_NULL, List.of())), false,
                List.of(), null)).rows()).containsExactly(row(null, 4.0));
        assertThat(run(with(byCountry, List.of(new MetricFilter("metric_time__day", MetricFilter.Op.GE,
                List.of("2026-03-05")), new MetricFilter("country", MetricFilter.Op.IS_NOT_NULL, List.of())), false,
                List.of(), null)).rows()).containsExactly(row("DE", 6.0), row("FR", 1.0));
        Answer bound = run(with(byCountry, List.of(new MetricFilter("country", MetricFilter.Op.EQ,
                List.of("FR' OR '1'='1"))), false, List.of(), null));
        assertThat(bound.rows()).isEmpty();
        assertThat(bound.sql()).doesNotContain("'1'='1");
    }

    @Test
    void severalMetricsShareGroupsAndOrderByAndLimitApply() {
        MetricQuery q = query(List.of("revenue", "orders"), List.of("country"), "2026-03-01", "2026-03-10");
        assertThat(run(q).rows()).containsExactly(row("DE", 24.0, 4L), row("ES", null, 1L), row("FR", 21.0, 3L),
                row(null, 4.0, 1L));
        assertThat(run(with(q, List.of(), false, List.of("-revenue"), 2L)).rows())
                .containsExactly(row("DE", 24.0, 4L), row("FR", 21.0, 3L));
        assertThat(run(with(q, List.of(), false, List.of("orders", "-country"), null)).rows())
                .containsExactly(row("ES", null, 1L), row(null, 4.0, 1L), row("FR", 21.0, 3L), row("DE", 24.0, 4L));
    }

    // ---------------------------------------------------------------- monitors

    @Test
    void trailingRangeOfAMonitorExcludesItsStartAndIncludesItsEnd() {
        // (03-01 10:00, 03-02 00:00]: o1 at exactly the start is out, o2 and o3 (at exactly the end) are in
        MetricQuery trailing = MetricQuery.trailing("revenue", t("2026-03-01T10:00:00"), t("2026-03-02"));
        assertThat(run(trailing).rows()).containsExactly(row(25.0));
        assertThat(run(MetricQuery.trailing("lead_conversion", t("2026-03-01T10:00:00"), t("2026-03-01T12:00:00")))
                .rows()).containsExactly(row(1.0));   // l2 and l3; l1 at exactly the start is out
    }

    private double[] drift(dev.fletcher.catalog.model.DriftMethod method, int bins) {
        dev.fletcher.catalog.model.Source scores = catalog.source("scores").orElseThrow();
        var values = dev.fletcher.engine.sql.DriftSql.columnValues(scores, "score", t("2026-02-01"), t("2026-02-02"),
                t("2026-02-03"), warehouse.dialect());
        try (WarehouseSession session = warehouse.openSession();
                ArrowReader reader = session.query(dev.fletcher.engine.sql.DriftSql.render(values, method, bins,
                        warehouse.dialect()), allocator)) {
            List<Object> only = ArrowRows.readAll(reader).get(0);
            return new double[] {only.get(0) == null ? Double.NaN : (Double) only.get(0), (Double) only.get(1),
                    (Double) only.get(2)};
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void psiOverQuantileBinsOfTheBaselineAndKsDistance() {
        // KS: F_base(x) = x / 10; F_cur at 1: .2, 2: .6, 3: .8, 8: 1. Largest gap at 3: |0.3 - 0.8| = 0.5.
        assertThat(r9(drift(dev.fletcher.catalog.model.DriftMethod.KS, 0)[0])).isEqualTo(0.5);
        if (!warehouse.capabilities().exactPercentile()) {
            // PSI cuts the baseline at exact quantiles.
            assertThatThrownBy(() -> drift(dev.fletcher.catalog.model.DriftMethod.PSI, 2))
                    .isInstanceOf(dev.fletcher.spi.NotSupportedException.class);
            return;
        }
        // Baseline 1..10, median cut 5.5: shares 0.5 / 0.5. Current 1, 2, 3, 8, 2: 4 at or below 5.5, 1 above.
        double[] psi = drift(dev.fletcher.catalog.model.DriftMethod.PSI, 2);
        assertThat(psi[1]).isEqualTo(10.0);
        assertThat(psi[2]).isEqualTo(5.0);
        double expected = (0.8 - 0.5) * Math.log(0.8 / 0.5) + (0.2 - 0.5) * Math.log(0.2 / 0.5);
        assertThat(r9(psi[0])).isEqualTo(r9(expected));
        // Five bins, cuts at 2.8, 4.6, 6.4, 8.2: current 1, 2, 2 | 3 | - | 8 | -: shares .6 .2 0 .2 0 against .2 each;
        // the empty bins count 0.0001.
        double e = 0.0001;
        double five = (0.6 - 0.2) * Math.log(0.6 / 0.2) + 0 + (e - 0.2) * Math.log(e / 0.2) + 0 + (e - 0.2) * Math.log(e / 0.2);
        assertThat(r9(drift(dev.fletcher.catalog.model.DriftMethod.PSI, 5)[0])).isEqualTo(r9(five));
    }

    // ---------------------------------------------------------------- the SQL's shape

    /**
     * The rendered SQL of representative queries, held in golden files per dialect
     * ({@code golden/metrics-<case>.<dialect>.sql}) so a reviewer sees each warehouse's shape and any change to it;
     * correctness is the business of the tests above. Rewrite them with {@code -Dfletcher.golden.dir=<folder>}.
     */
    /**
     * The middle of each golden file's name: the dialect's name, or a variant of it when the server decides a
     * capability (the files are shared with {@link EngineSqlGoldenTest}).
     */
    protected String goldenName(Dialect dialect) {
        return dialect.name();
    }

    @Test
    void renderedSqlMatchesTheGoldenFiles() {
        MetricFixtures.GOLDEN.forEach(this::golden);
    }

    private void golden(String name, MetricQuery query) {
        MetricPlan plan = MetricPlanner.resolve(catalog, query);
        String actual;
        try (WarehouseSession session = warehouse.openSession()) {
            actual = MetricSql.prepare(catalog, plan, warehouse.dialect(), session, allocator).statement().sql()
                    .replace(suffix, "{}") + "\n";
        }
        String file = "metrics-" + name + "." + goldenName(warehouse.dialect()) + ".sql";
        String update = System.getProperty("fletcher.golden.dir");
        try {
            if (update != null) {
                Files.writeString(Path.of(update, file), actual);
            }
            try (var in = MetricConformanceTest.class.getResourceAsStream("golden/" + file)) {
                assertThat(in).as("golden file " + file + " (write it with -Dfletcher.golden.dir)").isNotNull();
                assertThat(actual).isEqualTo(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    // ---------------------------------------------------------------- bad input

    @Test
    void badQueriesNameTheProblem() {
        assertThatThrownBy(() -> run(query(List.of("revenu"), List.of(), null, null))).isInstanceOf(PlanException.class)
                .hasMessageContaining("unknown metric 'revenu'").hasMessageContaining("did you mean 'revenue'");
        assertThatThrownBy(() -> run(query(List.of("revenue"), List.of("countyr"), null, null)))
                .isInstanceOf(PlanException.class).hasMessageContaining("unknown dimension 'countyr'");
        assertThatThrownBy(() -> run(query(List.of("revenue", "leads"), List.of("referrer"), null, null)))
                .isInstanceOf(PlanException.class)
                .hasMessageContaining("metric 'revenue' cannot be grouped by 'referrer'");
        assertThatThrownBy(() -> run(query(List.of("revenue"), List.of("metric_time__fortnight"), null, null)))
                .isInstanceOf(PlanException.class).hasMessageContaining("unknown time grain 'fortnight'");
        assertThatThrownBy(() -> new MetricFilter("country", MetricFilter.Op.IN, List.of()))
                .isInstanceOf(PlanException.class).hasMessageContaining("non-empty list \"values\"");
        assertThatThrownBy(() -> run(with(query(List.of("revenue"), List.of(), null, null), List.of(new MetricFilter(
                "country", MetricFilter.Op.EQ, List.of(5L))), false, List.of(), null)))
                .isInstanceOf(PlanException.class).hasMessageContaining("holds text");
        assertThatThrownBy(() -> run(with(query(List.of("revenue"), List.of(), null, null), List.of(new MetricFilter(
                "metric_time__day", MetricFilter.Op.EQ, List.of("yesterday"))), false, List.of(), null)))
                .isInstanceOf(PlanException.class).hasMessageContaining("'yesterday' is not a time");
        assertThatThrownBy(() -> run(with(query(List.of("revenue"), List.of("metric_time__day"), null, null), List.of(),
                true, List.of(), null))).isInstanceOf(PlanException.class).hasMessageContaining("fill needs start and end");
    }
}
