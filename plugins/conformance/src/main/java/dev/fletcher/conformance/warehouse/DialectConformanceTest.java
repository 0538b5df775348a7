package dev.fletcher.conformance.warehouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fletcher.spi.NotSupportedException;
import dev.fletcher.spi.warehouse.Dialect;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The golden table: every dialect hook as each dialect renders it, side by side. A dialect's test module extends
 * this class and names its dialect; a new dialect adds its column here (to {@code DIALECTS} and every row).
 * {@code standard} is the base
 * {@link Dialect} with nothing overridden.
 */
public abstract class DialectConformanceTest {
    /** Marks a hook that must throw {@link NotSupportedException} in that dialect. */
    protected static final String NOT_SUPPORTED = "<not supported>";

    /** Redshift's five digits, 0 to 9 each, crossed into bucket numbers. */
    private static final String DIGITS = digits();

    private static String digits() {
        StringBuilder sql = new StringBuilder();
        for (int i = 0; i < 5; i++) {
            sql.append(i == 0 ? "" : " CROSS JOIN ").append("(SELECT 0 AS _fl_d UNION ALL SELECT 1 UNION ALL SELECT 2"
                    + " UNION ALL SELECT 3 UNION ALL SELECT 4 UNION ALL SELECT 5 UNION ALL SELECT 6 UNION ALL SELECT 7"
                    + " UNION ALL SELECT 8 UNION ALL SELECT 9) AS _fl_d").append(i);
        }
        return sql.toString();
    }

    protected record Golden(String hook, Function<Dialect, String> render, Map<String, String> sql) {}

    /** The golden table's columns, in the order {@link #hook} takes them. */
    private static final List<String> DIALECTS =
            List.of("standard", "duckdb", "postgres", "snowflake", "bigquery", "redshift", "trino", "spark");

    private static Golden hook(String hook, Function<Dialect, String> render, String... renderings) {
        if (renderings.length != DIALECTS.size()) {
            throw new IllegalArgumentException(hook + ": one rendering per dialect " + DIALECTS);
        }
        Map<String, String> sql = new LinkedHashMap<>();
        for (int i = 0; i < renderings.length; i++) {
            sql.put(DIALECTS.get(i), renderings[i]);
        }
        return new Golden(hook, render, sql);
    }

    protected static final List<Golden> GOLDEN = List.of(
            //   hook, rendering,
            //   standard | duckdb | postgres | snowflake | bigquery | redshift | trino | spark
            hook("quoteIdentifier(a\"b)", d -> d.quoteIdentifier("a\"b"),
                    "\"a\"\"b\"",
                    "\"a\"\"b\"",
                    "\"a\"\"b\"",
                    "\"a\"\"b\"",
                    "`a\"b`",
                    "\"a\"\"b\"",
                    "\"a\"\"b\"",
                    "`a\"b`"),
            hook("quoteIdentifier(a`b)", d -> d.quoteIdentifier("a`b"),
                    "\"a`b\"",
                    "\"a`b\"",
                    "\"a`b\"",
                    "\"a`b\"",
                    "`a\\`b`",
                    "\"a`b\"",
                    "\"a`b\"",
                    "`a``b`"),
            hook("tableName(analytics.txns)", d -> d.tableName("analytics.txns"),
                    "\"analytics\".\"txns\"",
                    "\"analytics\".\"txns\"",
                    "\"analytics\".\"txns\"",
                    "\"analytics\".\"txns\"",
                    "`analytics`.`txns`",
                    "\"analytics\".\"txns\"",
                    "\"analytics\".\"txns\"",
                    "`analytics`.`txns`"),
            hook("rowNumber([a, b])", d -> d.rowNumber(List.of("a", "b")),
                    "row_number() OVER ()",
                    "row_number() OVER ()",
                    "row_number() OVER ()",
                    "row_number() OVER (ORDER BY a, b)",
                    "row_number() OVER (ORDER BY TO_JSON_STRING(a), TO_JSON_STRING(b))",
                    "row_number() OVER (ORDER BY a, b)",
                    "row_number() OVER (ORDER BY a, b)",
                    "row_number() OVER (ORDER BY monotonically_increasing_id())"),
            hook("rowNumber([])", d -> d.rowNumber(List.of()),
                    "row_number() OVER ()",
                    "row_number() OVER ()",
                    "row_number() OVER ()",
                    "SEQ8()",
                    "row_number() OVER ()",
                    "row_number() OVER ()",
                    "row_number() OVER ()",
                    "row_number() OVER (ORDER BY monotonically_increasing_id())"),
            hook("doubleType()", Dialect::doubleType,
                    "DOUBLE PRECISION",
                    "DOUBLE",
                    "DOUBLE PRECISION",
                    "DOUBLE PRECISION",
                    "FLOAT64",
                    "DOUBLE PRECISION",
                    "DOUBLE",
                    "DOUBLE"),
            hook("stringType()", Dialect::stringType,
                    "VARCHAR",
                    "VARCHAR",
                    "VARCHAR",
                    "VARCHAR",
                    "STRING",
                    "VARCHAR(MAX)",
                    "VARCHAR",
                    "STRING"),
            hook("castToDouble(x)", d -> d.castToDouble("x"),
                    "CAST(x AS DOUBLE PRECISION)",
                    "CAST(x AS DOUBLE)",
                    "CAST(x AS DOUBLE PRECISION)",
                    "CAST(x AS DOUBLE PRECISION)",
                    "CAST(x AS FLOAT64)",
                    "CAST(x AS DOUBLE PRECISION)",
                    "CAST(x AS DOUBLE)",
                    "CAST(x AS DOUBLE)"),
            hook("timestampType()", Dialect::timestampType,
                    "TIMESTAMP",
                    "TIMESTAMP",
                    "TIMESTAMP",
                    "TIMESTAMP_LTZ",
                    "TIMESTAMP",
                    "TIMESTAMP",
                    "TIMESTAMP(6)",
                    "TIMESTAMP"),
            hook("timestampParameter()", Dialect::timestampParameter,
                    "CAST(? AS TIMESTAMP)",
                    "CAST(? AS TIMESTAMP)",
                    "CAST(? AS TIMESTAMP)",
                    "CAST(? AS TIMESTAMP_LTZ)",
                    "CAST(? AS TIMESTAMP)",
                    "CAST(? AS TIMESTAMP)",
                    "CAST(? AS TIMESTAMP(6))",
                    "CAST(? AS TIMESTAMP)"),
            hook("bytewise(s)", d -> d.bytewise("s"),
                    "s COLLATE \"C\"",
                    "s COLLATE \"C\"",
                    "s COLLATE \"C\"",
                    "COLLATE(s, 'utf8')",
                    "s",
                    "COLLATE(s, 'case_sensitive')",
                    "s",
                    "s"),
            hook("nullSafeEquals(a, b)", d -> d.nullSafeEquals("a", "b"),
                    "a IS NOT DISTINCT FROM b",
                    "a IS NOT DISTINCT FROM b",
                    "a IS NOT DISTINCT FROM b",
                    "a IS NOT DISTINCT FROM b",
                    "a IS NOT DISTINCT FROM b",
                    "(a = b OR (a IS NULL AND b IS NULL))",
                    "a IS NOT DISTINCT FROM b",
                    "a IS NOT DISTINCT FROM b"),
            hook("runningFrame()", Dialect::runningFrame,
                    "ROWS UNBOUNDED PRECEDING",
                    "ROWS UNBOUNDED PRECEDING",
                    "ROWS UNBOUNDED PRECEDING",
                    "ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW",
                    "ROWS UNBOUNDED PRECEDING",
                    "ROWS UNBOUNDED PRECEDING",
                    "ROWS UNBOUNDED PRECEDING",
                    "ROWS UNBOUNDED PRECEDING"),
            hook("materializedCtes()", d -> String.valueOf(d.materializedCtes()),
                    "true",
                    "true",
                    "true",
                    "false",
                    "false",
                    "false",
                    "false",
                    "false"),
            hook("stagesEntityRows()", d -> String.valueOf(d.stagesEntityRows()),
                    "false",
                    "false",
                    "false",
                    "false",
                    "false",
                    "false",
                    "true",
                    "false"),
            hook("asofJoin(r, l, [a.k = l.k], a.t >= l.t)", d -> d.asofJoin("r", "l", List.of("a.k = l.k"),
                    "a.t >= l.t"),
                    NOT_SUPPORTED,
                    "ASOF LEFT JOIN r AS l ON a.k = l.k AND a.t >= l.t",
                    NOT_SUPPORTED,
                    "ASOF JOIN r AS l MATCH_CONDITION(a.t >= l.t) ON a.k = l.k",
                    NOT_SUPPORTED,
                    NOT_SUPPORTED,
                    NOT_SUPPORTED,
                    NOT_SUPPORTED),
            hook("intervalSeconds(86400)", d -> d.intervalSeconds(86_400),
                    "INTERVAL '86400' SECOND",
                    "INTERVAL '86400' SECOND",
                    "INTERVAL '86400' SECOND",
                    "INTERVAL '86400 seconds'",
                    "INTERVAL 86400 SECOND",
                    "INTERVAL '86400 seconds'",
                    "INTERVAL '86400' SECOND",
                    "INTERVAL '86400' SECOND"),
            hook("addSeconds(ts, -3600)", d -> d.addSeconds("ts", -3_600),
                    "(ts + INTERVAL '-3600' SECOND)",
                    "(ts + INTERVAL '-3600' SECOND)",
                    "(ts + INTERVAL '-3600' SECOND)",
                    "DATEADD(second, -3600, ts)",
                    "TIMESTAMP_ADD(ts, INTERVAL -3600 SECOND)",
                    "DATEADD(second, -3600, ts)",
                    "(ts + INTERVAL -'3600' SECOND)",
                    "(ts + INTERVAL '-3600' SECOND)"),
            hook("truncate(week, ts)", d -> d.truncate("week", "ts"),
                    "date_trunc('week', ts)",
                    "date_trunc('week', ts)",
                    "date_trunc('week', ts)",
                    "date_trunc('week', ts)",
                    "TIMESTAMP_TRUNC(ts, ISOWEEK)",
                    "date_trunc('week', ts)",
                    "date_trunc('week', ts)",
                    "date_trunc('week', ts)"),
            hook("truncate(QUARTER, ts)", d -> d.truncate("QUARTER", "ts"),
                    "date_trunc('quarter', ts)",
                    "date_trunc('quarter', ts)",
                    "date_trunc('quarter', ts)",
                    "date_trunc('quarter', ts)",
                    "TIMESTAMP_TRUNC(ts, QUARTER)",
                    "date_trunc('quarter', ts)",
                    "date_trunc('quarter', ts)",
                    "date_trunc('quarter', ts)"),
            hook("nextBucket(quarter, b)", d -> d.nextBucket("quarter", "b"),
                    "(b + INTERVAL '3' MONTH)",
                    "(b + INTERVAL '3' MONTH)",
                    "(b + INTERVAL '3' MONTH)",
                    "DATEADD(month, 3, b)",
                    "TIMESTAMP(DATETIME_ADD(DATETIME(b), INTERVAL 1 QUARTER))",
                    "DATEADD(month, 3, b)",
                    "(b + INTERVAL '3' MONTH)",
                    "(b + INTERVAL '3' MONTH)"),
            hook("nextBucket(week, b)", d -> d.nextBucket("week", "b"),
                    "(b + INTERVAL '7' DAY)",
                    "(b + INTERVAL '7' DAY)",
                    "(b + INTERVAL '7' DAY)",
                    "DATEADD(day, 7, b)",
                    "TIMESTAMP_ADD(b, INTERVAL 7 DAY)",
                    "DATEADD(day, 7, b)",
                    "(b + INTERVAL '7' DAY)",
                    "(b + INTERVAL '7' DAY)"),
            hook("bucketSeries(week, f, l, b)", d -> d.bucketSeries("week", "f", "l", "b"),
                    "generate_series(f, l, INTERVAL '7' DAY) AS _fl_series(b)",
                    "generate_series(f, l, INTERVAL '7' DAY) AS _fl_series(b)",
                    "generate_series(f, l, INTERVAL '7' DAY) AS _fl_series(b)",
                    "(SELECT DATEADD(day, 7 * _fl_n.index, _fl_ends._fl_first) AS b FROM (SELECT f AS _fl_first,"
                            + " l AS _fl_last) AS _fl_ends, TABLE(FLATTEN(INPUT => ARRAY_GENERATE_RANGE(0,"
                            + " FLOOR(DATEDIFF(day, _fl_ends._fl_first, _fl_ends._fl_last) / 7) + 1))) AS _fl_n)"
                            + " AS _fl_series",
                    "UNNEST(GENERATE_TIMESTAMP_ARRAY(f, l, INTERVAL 7 DAY)) AS b",
                    "(SELECT DATEADD(day, 7 * _fl_n._fl_i, _fl_ends._fl_first) AS b FROM (SELECT f AS _fl_first,"
                            + " l AS _fl_last) AS _fl_ends CROSS JOIN (SELECT _fl_d0._fl_d + 10 * _fl_d1._fl_d"
                            + " + 100 * _fl_d2._fl_d + 1000 * _fl_d3._fl_d + 10000 * _fl_d4._fl_d AS _fl_i FROM "
                            + DIGITS + ") AS _fl_n WHERE _fl_n._fl_i <= FLOOR(DATEDIFF(day, _fl_ends._fl_first,"
                            + " _fl_ends._fl_last) / 7.0)) AS _fl_series",
                            "UNNEST(sequence(f, l, INTERVAL '7' DAY)) AS _fl_series(b)",
                            "explode(sequence(f, l, INTERVAL '7' DAY)) AS _fl_series(b)"),
            hook("bucketSeries(month, f, l, b)", d -> d.bucketSeries("month", "f", "l", "b"),
                    "generate_series(f, l, INTERVAL '1' MONTH) AS _fl_series(b)",
                    "generate_series(f, l, INTERVAL '1' MONTH) AS _fl_series(b)",
                    "generate_series(f, l, INTERVAL '1' MONTH) AS _fl_series(b)",
                    "(SELECT DATEADD(month, _fl_n.index, _fl_ends._fl_first) AS b FROM (SELECT f AS _fl_first,"
                            + " l AS _fl_last) AS _fl_ends, TABLE(FLATTEN(INPUT => ARRAY_GENERATE_RANGE(0,"
                            + " DATEDIFF(month, _fl_ends._fl_first, _fl_ends._fl_last) + 1))) AS _fl_n) AS _fl_series",
                    "UNNEST(ARRAY(SELECT TIMESTAMP(_fl_d) FROM UNNEST(GENERATE_DATE_ARRAY(DATE(f), DATE(l),"
                            + " INTERVAL 1 MONTH)) AS _fl_d ORDER BY _fl_d)) AS b",
                    "(SELECT DATEADD(month, _fl_n._fl_i, _fl_ends._fl_first) AS b FROM (SELECT f AS _fl_first,"
                            + " l AS _fl_last) AS _fl_ends CROSS JOIN (SELECT _fl_d0._fl_d + 10 * _fl_d1._fl_d"
                            + " + 100 * _fl_d2._fl_d + 1000 * _fl_d3._fl_d + 10000 * _fl_d4._fl_d AS _fl_i FROM "
                            + DIGITS + ") AS _fl_n WHERE _fl_n._fl_i <= DATEDIFF(month, _fl_ends._fl_first,"
                            + " _fl_ends._fl_last)) AS _fl_series",
                            "UNNEST(sequence(f, l, INTERVAL '1' MONTH)) AS _fl_series(b)",
                            "explode(sequence(f, l, INTERVAL '1' MONTH)) AS _fl_series(b)"),
            hook("epochSeconds(ts)", d -> d.epochSeconds("ts"),
                    "CAST(EXTRACT(EPOCH FROM ts) AS DOUBLE PRECISION)",
                    "epoch(ts)",
                    "CAST(EXTRACT(EPOCH FROM ts) AS DOUBLE PRECISION)",
                    "(CAST(DATE_PART(epoch_microsecond, ts) AS DOUBLE PRECISION) / 1000000)",
                    "(UNIX_MICROS(ts) / 1000000)",
                    "CAST(EXTRACT(EPOCH FROM ts) AS DOUBLE PRECISION)",
                    "to_unixtime(ts)",
                    "(CAST(unix_micros(ts) AS DOUBLE) / 1000000.0D)"),
            hook("safeDivide(a, b)", d -> d.safeDivide("a", "b"),
                    "CAST(a AS DOUBLE PRECISION) / NULLIF(CAST(b AS DOUBLE PRECISION), 0)",
                    "CAST(a AS DOUBLE) / NULLIF(CAST(b AS DOUBLE), 0)",
                    "CAST(a AS DOUBLE PRECISION) / NULLIF(CAST(b AS DOUBLE PRECISION), 0)",
                    "CAST(a AS DOUBLE PRECISION) / NULLIF(CAST(b AS DOUBLE PRECISION), 0)",
                    "CAST(a AS FLOAT64) / NULLIF(CAST(b AS FLOAT64), 0)",
                    "CAST(a AS DOUBLE PRECISION) / NULLIF(CAST(b AS DOUBLE PRECISION), 0)",
                    "CAST(a AS DOUBLE) / NULLIF(CAST(b AS DOUBLE), 0)",
                    "CAST(a AS DOUBLE) / NULLIF(CAST(b AS DOUBLE), 0)"),
            hook("percentile(x, 0.9)", d -> d.percentile("x", 0.9),
                    "percentile_cont(0.9) WITHIN GROUP (ORDER BY x)",
                    "percentile_cont(0.9) WITHIN GROUP (ORDER BY x)",
                    "percentile_cont(0.9) WITHIN GROUP (ORDER BY x)",
                    "percentile_cont(0.9) WITHIN GROUP (ORDER BY x)",
                    NOT_SUPPORTED,
                    "percentile_cont(0.9) WITHIN GROUP (ORDER BY x)",
                    "element_at(transform(ARRAY[array_sort(array_agg(CAST(x AS DOUBLE)) FILTER (WHERE x IS NOT NULL))], _fl_v -> _fl_v[CAST(floor(CAST(0.9 AS DOUBLE) * (cardinality(_fl_v) - 1)) AS BIGINT) + 1] + (CAST(0.9 AS DOUBLE) * (cardinality(_fl_v) - 1) - floor(CAST(0.9 AS DOUBLE) * (cardinality(_fl_v) - 1))) * (_fl_v[CAST(ceiling(CAST(0.9 AS DOUBLE) * (cardinality(_fl_v) - 1)) AS BIGINT) + 1] - _fl_v[CAST(floor(CAST(0.9 AS DOUBLE) * (cardinality(_fl_v) - 1)) AS BIGINT) + 1])), 1)",
                    "percentile(x, 0.9)"),
            hook("approxPercentile(x, 0.9)", d -> d.approxPercentile("x", 0.9),
                    NOT_SUPPORTED,
                    "CAST(approx_quantile(x, 0.9) AS DOUBLE)",
                    NOT_SUPPORTED,
                    "CAST(APPROX_PERCENTILE(x, 0.9) AS DOUBLE PRECISION)",
                    "CAST(APPROX_QUANTILES(x, 100)[SAFE_OFFSET(90)] AS FLOAT64)",
                    "CAST(APPROXIMATE PERCENTILE_DISC(0.9) WITHIN GROUP (ORDER BY x) AS DOUBLE PRECISION)",
                    "approx_percentile(CAST(x AS DOUBLE), 0.9)",
                    "CAST(approx_percentile(x, 0.9) AS DOUBLE)"),
            hook("approxPercentile(x, 0.995)", d -> d.approxPercentile("x", 0.995),
                    NOT_SUPPORTED,
                    "CAST(approx_quantile(x, 0.995) AS DOUBLE)",
                    NOT_SUPPORTED,
                    "CAST(APPROX_PERCENTILE(x, 0.995) AS DOUBLE PRECISION)",
                    "CAST(APPROX_QUANTILES(x, 1000)[SAFE_OFFSET(995)] AS FLOAT64)",
                    "CAST(APPROXIMATE PERCENTILE_DISC(0.995) WITHIN GROUP (ORDER BY x) AS DOUBLE PRECISION)",
                    "approx_percentile(CAST(x AS DOUBLE), 0.995)",
                    "CAST(approx_percentile(x, 0.995) AS DOUBLE)"));

    /** The dialect under test; its {@link Dialect#name()} picks the golden column. */
    protected abstract Dialect dialect();

    @Test
    void everyHookRendersAsTheGoldenTableSays() {
        Dialect dialect = dialect();
        for (Golden golden : GOLDEN) {
            String expected = golden.sql().get(dialect.name());
            assertThat(expected).as("the golden table has no column for dialect '%s'", dialect.name()).isNotNull();
            if (expected.equals(NOT_SUPPORTED)) {
                assertThatThrownBy(() -> golden.render().apply(dialect)).as(golden.hook())
                        .isInstanceOf(NotSupportedException.class)
                        .hasMessageContaining(dialect.name());
            } else {
                assertThat(golden.render().apply(dialect)).as(golden.hook()).isEqualTo(expected);
            }
        }
    }

    @Test
    void approxPercentileRendersExactlyWhenDeclared() {
        Dialect dialect = dialect();
        boolean renders = !GOLDEN.stream().filter(g -> g.hook().startsWith("approxPercentile"))
                .findFirst().orElseThrow().sql().get(dialect.name()).equals(NOT_SUPPORTED);
        assertThat(dialect.capabilities().approxPercentile()).isEqualTo(renders);
    }

    @Test
    void exactPercentileAndAsofRenderExactlyWhenDeclared() {
        Dialect dialect = dialect();
        assertThat(dialect.capabilities().exactPercentile()).isEqualTo(!GOLDEN.stream()
                .filter(g -> g.hook().startsWith("percentile")).findFirst().orElseThrow().sql().get(dialect.name())
                .equals(NOT_SUPPORTED));
        assertThat(dialect.capabilities().asofJoin()).isEqualTo(!GOLDEN.stream()
                .filter(g -> g.hook().startsWith("asofJoin")).findFirst().orElseThrow().sql().get(dialect.name())
                .equals(NOT_SUPPORTED));
    }

    @Test
    void badArgumentsAreRefusedWithAClearMessage() {
        Dialect dialect = dialect();
        assertThatThrownBy(() -> dialect.truncate("fortnight", "ts"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("fortnight")
                .hasMessageContaining("week");
        assertThatThrownBy(() -> dialect.percentile("x", 1.5))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("between 0 and 1");
        assertThatThrownBy(() -> dialect.percentile("x", Double.NaN)).isInstanceOf(IllegalArgumentException.class);
        for (String bad : List.of("", "a b", "a;b", "1abc", "a.b.c", "a.", "x\"y", "a".repeat(64))) {
            assertThatThrownBy(() -> dialect.tableName(bad)).as(bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("not valid");
        }
        assertThat(dialect.tableName("Mixed_Case1")).isEqualTo(dialect.quoteIdentifier("Mixed_Case1"));
        assertThat(dialect.quoteIdentifier("Mixed_Case1")).contains("Mixed_Case1");
    }
}
