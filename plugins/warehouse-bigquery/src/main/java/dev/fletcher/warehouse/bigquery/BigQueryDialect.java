package dev.fletcher.warehouse.bigquery;

import dev.fletcher.spi.NotSupportedException;
import dev.fletcher.spi.PluginKind;
import dev.fletcher.spi.warehouse.Capabilities;
import dev.fletcher.spi.warehouse.Dialect;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;

/**
 * BigQuery's GoogleSQL where it differs from the base dialect. Tables are {@code dataset.table} in the configured
 * project, quoted part by part with backticks. Timestamps are {@code TIMESTAMP}, an absolute instant.
 */
public final class BigQueryDialect extends Dialect {
    /**
     * No ASOF JOIN; QUALIFY; APPROX_QUANTILES; no exact percentile aggregate (PERCENTILE_CONT is an analytic
     * function only). A table holds at most 10,000 columns; a query's text at most 1,024K characters (counted in
     * UTF-8 bytes here, the safe side); a query at most 10,000 parameters.
     */
    static final Capabilities CAPABILITIES =
            new Capabilities(false, true, true, 10_000, 1024 * 1024, 10_000, false);

    /** The finest approximate quantile grid: fractions are rounded to this many decimals. */
    private static final int QUANTILE_DECIMALS = 4;

    private final String scratchDataset;

    /** With intermediate tables in the default dataset of the connection. */
    public BigQueryDialect() {
        this(null);
    }

    /** @param scratchDataset where intermediate tables go, or null for unqualified names */
    public BigQueryDialect(String scratchDataset) {
        this.scratchDataset = scratchDataset;
    }

    @Override
    public String name() {
        return "bigquery";
    }

    @Override
    public Capabilities capabilities() {
        return CAPABILITIES;
    }

    /** Backticks; an embedded backtick or backslash is escaped with a backslash. */
    @Override
    public String quoteIdentifier(String identifier) {
        return '`' + identifier.replace("\\", "\\\\").replace("`", "\\`") + '`';
    }

    @Override
    public String scratchTable(String name) {
        return scratchDataset == null ? name : scratchDataset + "." + name;
    }

    /**
     * BigQuery computes a common table expression once per reference, so the numbers follow what tells the rows
     * apart, each as JSON text (which every type has, where ORDER BY refuses arrays and structs): rows equal in
     * all of it are the only ones that may trade numbers, which changes no result.
     */
    @Override
    public String rowNumber(List<String> distinguishing) {
        if (distinguishing.isEmpty()) {
            return super.rowNumber(distinguishing);
        }
        return "row_number() OVER (ORDER BY " + String.join(", ", distinguishing.stream()
                .map(e -> "TO_JSON_STRING(" + e + ")").toList()) + ")";
    }

    /** GoogleSQL's {@code /} always gives a FLOAT64 ({@code DIV} truncates). */
    @Override
    public boolean integerDivisionTruncates() {
        return false;
    }

    @Override
    public String doubleType() {
        return "FLOAT64";
    }

    @Override
    public String stringType() {
        return "STRING";
    }

    /** Strings compare by their UTF-8 bytes unless a collation was given; none is. */
    @Override
    public String bytewise(String stringExpression) {
        return stringExpression;
    }

    @Override
    public boolean materializedCtes() {
        return false;
    }

    @Override
    public String intervalSeconds(long seconds) {
        return "INTERVAL " + seconds + " SECOND";
    }

    @Override
    public String addSeconds(String timestampExpression, long seconds) {
        return "TIMESTAMP_ADD(" + timestampExpression + ", " + intervalSeconds(seconds) + ")";
    }

    /** In UTC, the default time zone of TIMESTAMP_TRUNC; weeks are ISO weeks (from Monday). */
    @Override
    public String truncate(String grain, String timestampExpression) {
        String part = checkGrain(grain).equals("week") ? "ISOWEEK" : checkGrain(grain).toUpperCase();
        return "TIMESTAMP_TRUNC(" + timestampExpression + ", " + part + ")";
    }

    @Override
    public String grainInterval(String grain) {
        return switch (checkGrain(grain)) {
            case "hour" -> "INTERVAL 1 HOUR";
            case "day" -> "INTERVAL 1 DAY";
            case "week" -> "INTERVAL 7 DAY";
            case "month" -> "INTERVAL 1 MONTH";
            case "quarter" -> "INTERVAL 1 QUARTER";
            default -> "INTERVAL 1 YEAR";
        };
    }

    /** TIMESTAMP_ADD takes days at most; months and longer move the UTC civil time. */
    @Override
    public String nextBucket(String grain, String bucketStart) {
        if (fixedLength(grain)) {
            return "TIMESTAMP_ADD(" + bucketStart + ", " + grainInterval(grain) + ")";
        }
        return "TIMESTAMP(DATETIME_ADD(DATETIME(" + bucketStart + "), " + grainInterval(grain) + "))";
    }

    /**
     * GENERATE_TIMESTAMP_ARRAY steps by days at most; months and longer step over dates (in UTC) and turn each back
     * into a timestamp. Each end is read once.
     */
    @Override
    public String bucketSeries(String grain, String first, String last, String column) {
        if (fixedLength(grain)) {
            return "UNNEST(GENERATE_TIMESTAMP_ARRAY(" + first + ", " + last + ", " + grainInterval(grain) + ")) AS "
                    + column;
        }
        return "UNNEST(ARRAY(SELECT TIMESTAMP(_fl_d) FROM UNNEST(GENERATE_DATE_ARRAY(DATE(" + first + "), DATE("
                + last + "), " + grainInterval(grain) + ")) AS _fl_d ORDER BY _fl_d)) AS " + column;
    }

    /** Microseconds since the epoch, so fractions of a second are kept. */
    @Override
    public String epochSeconds(String timestampExpression) {
        return "(UNIX_MICROS(" + timestampExpression + ") / 1000000)";
    }

    /** PERCENTILE_CONT exists only as an analytic function, which an aggregation cannot use. */
    @Override
    public String percentile(String expression, double fraction) {
        fraction(fraction);
        throw new NotSupportedException(PluginKind.WAREHOUSE, name(), "exact percentile");
    }

    /**
     * The quantile of APPROX_QUANTILES on a grid of 100 steps, finer (up to 10,000) when the fraction needs it; a
     * fraction finer still is rounded to that grid, which the approximation's own error exceeds anyway.
     */
    @Override
    public String approxPercentile(String expression, double fraction) {
        BigDecimal f = new BigDecimal(fraction(fraction)).setScale(QUANTILE_DECIMALS, RoundingMode.HALF_EVEN)
                .stripTrailingZeros();
        int decimals = Math.max(2, f.scale());
        BigDecimal steps = BigDecimal.TEN.pow(decimals);
        return castToDouble("APPROX_QUANTILES(" + expression + ", " + steps.toPlainString() + ")[SAFE_OFFSET("
                + f.multiply(steps).toBigInteger() + ")]");
    }

    private static boolean fixedLength(String grain) {
        String g = checkGrain(grain);
        return g.equals("hour") || g.equals("day") || g.equals("week");
    }
}
