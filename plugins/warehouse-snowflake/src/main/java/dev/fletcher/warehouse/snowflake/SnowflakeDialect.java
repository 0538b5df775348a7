package dev.fletcher.warehouse.snowflake;

import dev.fletcher.spi.warehouse.Capabilities;
import dev.fletcher.spi.warehouse.Dialect;
import java.util.List;

/**
 * Snowflake's spelling where it differs from the base dialect. Timestamps are {@code TIMESTAMP_LTZ} read in the
 * session's time zone, which the plugin sets to UTC: a column of any of Snowflake's three timestamp types then
 * compares, truncates and converts as the same UTC instant.
 */
public final class SnowflakeDialect extends Dialect {
    /**
     * ASOF JOIN (comparing single columns), QUALIFY, APPROX_PERCENTILE and an exact PERCENTILE_CONT. A statement's
     * text may be 1 MB; Snowflake documents no limit on result columns or bind parameters, so the columns are what
     * the conformance suite runs and the parameters are bounded by the text.
     */
    static final Capabilities CAPABILITIES =
            new Capabilities(true, true, true, 10_000, 1 << 20, Integer.MAX_VALUE, true);

    private final String scratchSchema;

    /** With intermediate tables in the session's current schema. */
    public SnowflakeDialect() {
        this(null);
    }

    /** @param scratchSchema where intermediate tables go, or null for the current schema */
    public SnowflakeDialect(String scratchSchema) {
        this.scratchSchema = scratchSchema;
    }

    @Override
    public String name() {
        return "snowflake";
    }

    @Override
    public Capabilities capabilities() {
        return CAPABILITIES;
    }

    @Override
    public String scratchTable(String name) {
        return scratchSchema == null ? name : scratchSchema + "." + name;
    }

    /** Transient: an intermediate result needs no fail-safe storage. */
    @Override
    public String createTableAs(String table, String query) {
        return "CREATE TRANSIENT TABLE " + tableName(table) + " AS\n" + query;
    }

    /**
     * ROW_NUMBER needs an ORDER BY in Snowflake; ordering by what tells the rows apart also keeps the numbers where
     * a common table expression is computed once per read. Without such expressions SEQ8 numbers the rows.
     */
    @Override
    public String rowNumber(List<String> distinguishing) {
        return distinguishing.isEmpty() ? "SEQ8()"
                : "row_number() OVER (ORDER BY " + String.join(", ", distinguishing) + ")";
    }

    /** Snowflake's {@code /} of two integers gives a decimal. */
    @Override
    public boolean integerDivisionTruncates() {
        return false;
    }

    @Override
    public String timestampType() {
        return "TIMESTAMP_LTZ";
    }

    /** The {@code utf8} collation compares the UTF-8 bytes, whatever collation a column was given. */
    @Override
    public String bytewise(String stringExpression) {
        return "COLLATE(" + stringExpression + ", 'utf8')";
    }

    /** Snowflake spells a cumulative frame with BETWEEN only. */
    @Override
    public String runningFrame() {
        return "ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW";
    }

    @Override
    public boolean materializedCtes() {
        return false;
    }

    /** MATCH_CONDITION compares one column of each side; ties are reduced beforehand. */
    @Override
    public boolean asofComparesRows() {
        return false;
    }

    /** Snowflake's ASOF JOIN keeps every left row; the key equalities go into ON. */
    @Override
    public String asofJoin(String relation, String alias, List<String> keys, String match) {
        return "ASOF JOIN " + relation + " AS " + alias + " MATCH_CONDITION(" + match + ")"
                + (keys.isEmpty() ? "" : " ON " + String.join(" AND ", keys));
    }

    @Override
    public String intervalSeconds(long seconds) {
        return "INTERVAL '" + seconds + " seconds'";
    }

    @Override
    public String addSeconds(String timestampExpression, long seconds) {
        return "DATEADD(second, " + seconds + ", " + timestampExpression + ")";
    }

    @Override
    public String grainInterval(String grain) {
        return "INTERVAL '" + amount(grain) + " " + unit(grain) + "'";
    }

    @Override
    public String nextBucket(String grain, String bucketStart) {
        return "DATEADD(" + unit(grain) + ", " + amount(grain) + ", " + bucketStart + ")";
    }

    /**
     * Snowflake has no series of timestamps: a range of bucket numbers, as long as the boundaries between the two
     * ends (DATEDIFF counts them), is flattened and added to the first bucket. Each end is read once, so a bind
     * parameter in it stays one.
     */
    @Override
    public String bucketSeries(String grain, String first, String last, String column) {
        String unit = unit(grain);
        int amount = amount(grain);
        String count = "DATEDIFF(" + unit + ", _fl_ends._fl_first, _fl_ends._fl_last)";
        if (amount > 1) {
            count = "FLOOR(" + count + " / " + amount + ")";
        }
        String step = amount > 1 ? amount + " * _fl_n.index" : "_fl_n.index";
        return "(SELECT DATEADD(" + unit + ", " + step + ", _fl_ends._fl_first) AS " + column
                + " FROM (SELECT " + first + " AS _fl_first, " + last + " AS _fl_last) AS _fl_ends,"
                + " TABLE(FLATTEN(INPUT => ARRAY_GENERATE_RANGE(0, " + count + " + 1))) AS _fl_n) AS _fl_series";
    }

    /** Microseconds since the epoch, so fractions of a second are kept. */
    @Override
    public String epochSeconds(String timestampExpression) {
        return "(" + castToDouble("DATE_PART(epoch_microsecond, " + timestampExpression + ")") + " / 1000000)";
    }

    @Override
    public String approxPercentile(String expression, double fraction) {
        return castToDouble("APPROX_PERCENTILE(" + expression + ", " + fraction(fraction) + ")");
    }

    /** The DATEADD / DATEDIFF part of a grain; weeks count days and quarters months. */
    static String unit(String grain) {
        return switch (checkGrain(grain)) {
            case "hour" -> "hour";
            case "day", "week" -> "day";
            case "month", "quarter" -> "month";
            default -> "year";
        };
    }

    /** How many {@link #unit}s one bucket of a grain spans. */
    static int amount(String grain) {
        return switch (checkGrain(grain)) {
            case "week" -> 7;
            case "quarter" -> 3;
            default -> 1;
        };
    }
}
