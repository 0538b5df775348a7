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
 * this class and names its dialect; a new dialect adds its column here. {@code standard} is the base
 * {@link Dialect} with nothing overridden.
 */
public abstract class DialectConformanceTest {
    /** Marks a hook that must throw {@link NotSupportedException} in that dialect. */
    protected static final String NOT_SUPPORTED = "<not supported>";

    protected record Golden(String hook, Function<Dialect, String> render, Map<String, String> sql) {}

    private static Golden hook(String hook, Function<Dialect, String> render, String standard, String duckdb,
            String postgres) {
        Map<String, String> sql = new LinkedHashMap<>();
        sql.put("standard", standard);
        sql.put("duckdb", duckdb);
        sql.put("postgres", postgres);
        return new Golden(hook, render, sql);
    }

    protected static final List<Golden> GOLDEN = List.of(
            //   hook, rendering,
            //   standard | duckdb | postgres
            hook("quoteIdentifier(a\"b)", d -> d.quoteIdentifier("a\"b"),
                    "\"a\"\"b\"",
                    "\"a\"\"b\"",
                    "\"a\"\"b\""),
            hook("tableName(analytics.txns)", d -> d.tableName("analytics.txns"),
                    "\"analytics\".\"txns\"",
                    "\"analytics\".\"txns\"",
                    "\"analytics\".\"txns\""),
            hook("doubleType()", Dialect::doubleType,
                    "DOUBLE PRECISION",
                    "DOUBLE",
                    "DOUBLE PRECISION"),
            hook("castToDouble(x)", d -> d.castToDouble("x"),
                    "CAST(x AS DOUBLE PRECISION)",
                    "CAST(x AS DOUBLE)",
                    "CAST(x AS DOUBLE PRECISION)"),
            hook("timestampType()", Dialect::timestampType,
                    "TIMESTAMP",
                    "TIMESTAMP",
                    "TIMESTAMP"),
            hook("timestampParameter()", Dialect::timestampParameter,
                    "CAST(? AS TIMESTAMP)",
                    "CAST(? AS TIMESTAMP)",
                    "CAST(? AS TIMESTAMP)"),
            hook("intervalSeconds(86400)", d -> d.intervalSeconds(86_400),
                    "INTERVAL '86400' SECOND",
                    "INTERVAL '86400' SECOND",
                    "INTERVAL '86400' SECOND"),
            hook("addSeconds(ts, -3600)", d -> d.addSeconds("ts", -3_600),
                    "(ts + INTERVAL '-3600' SECOND)",
                    "(ts + INTERVAL '-3600' SECOND)",
                    "(ts + INTERVAL '-3600' SECOND)"),
            hook("truncate(week, ts)", d -> d.truncate("week", "ts"),
                    "date_trunc('week', ts)",
                    "date_trunc('week', ts)",
                    "date_trunc('week', ts)"),
            hook("truncate(QUARTER, ts)", d -> d.truncate("QUARTER", "ts"),
                    "date_trunc('quarter', ts)",
                    "date_trunc('quarter', ts)",
                    "date_trunc('quarter', ts)"),
            hook("epochSeconds(ts)", d -> d.epochSeconds("ts"),
                    "CAST(EXTRACT(EPOCH FROM ts) AS DOUBLE PRECISION)",
                    "epoch(ts)",
                    "CAST(EXTRACT(EPOCH FROM ts) AS DOUBLE PRECISION)"),
            hook("safeDivide(a, b)", d -> d.safeDivide("a", "b"),
                    "CAST(a AS DOUBLE PRECISION) / NULLIF(CAST(b AS DOUBLE PRECISION), 0)",
                    "CAST(a AS DOUBLE) / NULLIF(CAST(b AS DOUBLE), 0)",
                    "CAST(a AS DOUBLE PRECISION) / NULLIF(CAST(b AS DOUBLE PRECISION), 0)"),
            hook("percentile(x, 0.9)", d -> d.percentile("x", 0.9),
                    "percentile_cont(0.9) WITHIN GROUP (ORDER BY x)",
                    "percentile_cont(0.9) WITHIN GROUP (ORDER BY x)",
                    "percentile_cont(0.9) WITHIN GROUP (ORDER BY x)"),
            hook("approxPercentile(x, 0.9)", d -> d.approxPercentile("x", 0.9),
                    NOT_SUPPORTED,
                    "CAST(approx_quantile(x, 0.9) AS DOUBLE)",
                    NOT_SUPPORTED));

    /** Spark's column, hook by hook in the order above. */
    static {
        column("spark",
                "`a\"b`",
                "`analytics`.`txns`",
                "DOUBLE",
                "CAST(x AS DOUBLE)",
                "TIMESTAMP",
                "CAST(? AS TIMESTAMP)",
                "INTERVAL '86400' SECOND",
                "(ts + INTERVAL '-3600' SECOND)",
                "date_trunc('week', ts)",
                "date_trunc('quarter', ts)",
                "(CAST(unix_micros(ts) AS DOUBLE) / 1000000.0D)",
                "CAST(a AS DOUBLE) / NULLIF(CAST(b AS DOUBLE), 0)",
                "percentile(x, 0.9)",
                "CAST(approx_percentile(x, 0.9) AS DOUBLE)");
    }

    /** Adds one dialect's column to the golden table, one rendering per hook in the table's order. */
    private static void column(String dialect, String... sql) {
        if (sql.length != GOLDEN.size()) {
            throw new IllegalStateException("the " + dialect + " column has " + sql.length + " entries for "
                    + GOLDEN.size() + " hooks");
        }
        for (int i = 0; i < sql.length; i++) {
            GOLDEN.get(i).sql().put(dialect, sql[i]);
        }
    }

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
        assertThat(dialect.tableName("Mixed_Case1")).isEqualTo(dialect.quoteIdentifier("Mixed_Case1"))
                .contains("Mixed_Case1");
    }
}
