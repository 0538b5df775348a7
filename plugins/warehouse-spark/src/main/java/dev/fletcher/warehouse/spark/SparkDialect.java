package dev.fletcher.warehouse.spark;

import dev.fletcher.spi.warehouse.Capabilities;
import dev.fletcher.spi.warehouse.Dialect;
import java.util.List;

/**
 * Spark SQL's spelling where it differs from the base dialect: backtick identifiers, {@code DOUBLE}, no CTE hints
 * (Spark computes a multiply-read non-deterministic CTE once by itself), strings ordered by bytes already, series as
 * {@code explode(sequence(...))}, epoch through {@code unix_micros}, exact and approximate percentiles.
 */
public final class SparkDialect extends Dialect {
    /**
     * No ASOF JOIN (point-in-time joins use window functions); QUALIFY (Spark 4.2) and approx_percentile. Spark
     * documents no limit on columns or parameters, but planning slows down with thousands of them: these bounds are
     * what the suite checks. A plan travels in one gRPC message, 128 MiB by default on the server.
     */
    static final Capabilities CAPABILITIES = new Capabilities(false, true, true, 2_048, 64 << 20, 8_192);

    @Override
    public String name() {
        return "spark";
    }

    @Override
    public Capabilities capabilities() {
        return CAPABILITIES;
    }

    @Override
    public String quoteIdentifier(String identifier) {
        return '`' + identifier.replace("`", "``") + '`';
    }

    @Override
    public String createTableAs(String table, String query) {
        return "CREATE TABLE " + tableName(table) + " USING parquet AS\n" + query;
    }

    /** Spark's WITH takes no MATERIALIZED hints; it inlines common table expressions. */
    @Override
    public boolean materializedCtes() {
        return false;
    }

    /** Spark's default collation (UTF8_BINARY) already orders strings by their bytes. */
    @Override
    public String bytewise(String stringExpression) {
        return stringExpression;
    }

    /**
     * Spark numbers rows only over an ordered window. The generated id orders rows as they are read; it makes the
     * relation non-deterministic, which Spark computes once however often a query reads it.
     */
    @Override
    public String rowNumber(List<String> distinguishing) {
        return "row_number() OVER (ORDER BY monotonically_increasing_id())";
    }

    /** Spark's LIMIT takes an INT, not the BIGINT a 64-bit parameter binds as. */
    @Override
    public String limitParameter() {
        return "CAST(? AS INT)";
    }

    /** Derived features written in the expression language, in Spark's spelling. */
    @Override
    public String derivedExpression(String expression) {
        return SparkExpressions.render(expression);
    }

    /** Spark's {@code /} always gives a fraction. */
    @Override
    public boolean integerDivisionTruncates() {
        return false;
    }

    /** Spark's VARCHAR needs a length; STRING has none. */
    @Override
    public String stringType() {
        return "STRING";
    }

    @Override
    public String doubleType() {
        return "DOUBLE";
    }

    @Override
    public String bucketSeries(String grain, String first, String last, String column) {
        return "explode(sequence(" + first + ", " + last + ", " + grainInterval(grain) + ")) AS _fl_series(" + column
                + ")";
    }

    @Override
    public String epochSeconds(String timestampExpression) {
        return "(" + castToDouble("unix_micros(" + timestampExpression + ")") + " / 1000000.0D)";
    }

    @Override
    public String percentile(String expression, double fraction) {
        return "percentile(" + expression + ", " + fraction(fraction) + ")";
    }

    /** Cast, because approx_percentile answers in its input's type. */
    @Override
    public String approxPercentile(String expression, double fraction) {
        return castToDouble("approx_percentile(" + expression + ", " + fraction(fraction) + ")");
    }
}
