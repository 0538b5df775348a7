package dev.fletcher.warehouse.redshift;

import dev.fletcher.spi.warehouse.Capabilities;
import dev.fletcher.spi.warehouse.Dialect;
import java.util.List;

/**
 * Amazon Redshift's spelling where it differs from the base dialect. Timestamps are {@code TIMESTAMP} in UTC (the
 * plugin sets the session's time zone), so a {@code TIMESTAMPTZ} column converts to the same instant.
 */
public final class RedshiftDialect extends Dialect {
    /**
     * No ASOF JOIN; QUALIFY; APPROXIMATE PERCENTILE_DISC and an exact PERCENTILE_CONT. A table holds at most 1,600
     * columns and a statement's text at most 16 MB; parameters are counted in 16 bits by the wire protocol, of which
     * Redshift takes half.
     */
    static final Capabilities CAPABILITIES =
            new Capabilities(false, true, true, 1_600, 16 * 1024 * 1024, 32_767, true);

    /** The most buckets one series holds: 10^{@value #SERIES_DIGITS}. */
    static final int SERIES_DIGITS = 5;

    private final String scratchSchema;

    /** With intermediate tables in the session's search path. */
    public RedshiftDialect() {
        this(null);
    }

    /** @param scratchSchema where intermediate tables go, or null for the search path */
    public RedshiftDialect(String scratchSchema) {
        this.scratchSchema = scratchSchema;
    }

    @Override
    public String name() {
        return "redshift";
    }

    @Override
    public Capabilities capabilities() {
        return CAPABILITIES;
    }

    @Override
    public String scratchTable(String name) {
        return scratchSchema == null ? name : scratchSchema + "." + name;
    }

    /** A plain VARCHAR holds only 256 bytes in Redshift. */
    @Override
    public String stringType() {
        return "VARCHAR(MAX)";
    }

    /** The case-sensitive collation compares bytes, also on a column or database declared case-insensitive. */
    @Override
    public String bytewise(String stringExpression) {
        return "COLLATE(" + stringExpression + ", 'case_sensitive')";
    }

    /** Redshift has no IS NOT DISTINCT FROM. */
    @Override
    public String nullSafeEquals(String left, String right) {
        return "(" + left + " = " + right + " OR (" + left + " IS NULL AND " + right + " IS NULL))";
    }

    @Override
    public boolean materializedCtes() {
        return false;
    }

    /** Redshift may compute a common table expression once per read: the numbers follow what tells rows apart. */
    @Override
    public String rowNumber(List<String> distinguishing) {
        return distinguishing.isEmpty() ? super.rowNumber(distinguishing)
                : "row_number() OVER (ORDER BY " + String.join(", ", distinguishing) + ")";
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
        return "INTERVAL '" + amount(grain) + " " + unit(grain) + (amount(grain) > 1 ? "s'" : "'");
    }

    @Override
    public String nextBucket(String grain, String bucketStart) {
        return "DATEADD(" + unit(grain) + ", " + amount(grain) + ", " + bucketStart + ")";
    }

    /**
     * generate_series runs on the leader node only and cannot meet a table, so bucket numbers come from a cross join
     * of digits (at most 10^{@value #SERIES_DIGITS} buckets: over eleven years of hours), cut at the boundaries
     * between the two ends (DATEDIFF counts them) and added to the first bucket. Each end is read once.
     */
    @Override
    public String bucketSeries(String grain, String first, String last, String column) {
        String unit = unit(grain);
        int amount = amount(grain);
        StringBuilder number = new StringBuilder();
        StringBuilder digits = new StringBuilder();
        long weight = 1;
        for (int i = 0; i < SERIES_DIGITS; i++) {
            number.append(i == 0 ? "" : " + ").append(weight == 1 ? "" : weight + " * ").append("_fl_d").append(i)
                    .append("._fl_d");
            digits.append(i == 0 ? "" : " CROSS JOIN ").append("(SELECT 0 AS _fl_d");
            for (int d = 1; d < 10; d++) {
                digits.append(" UNION ALL SELECT ").append(d);
            }
            digits.append(") AS _fl_d").append(i);
            weight *= 10;
        }
        String count = "DATEDIFF(" + unit + ", _fl_ends._fl_first, _fl_ends._fl_last)";
        if (amount > 1) {
            // Numeric division, so a negative count (the last end before the first) stays negative.
            count = "FLOOR(" + count + " / " + amount + ".0)";
        }
        return "(SELECT DATEADD(" + unit + ", " + (amount > 1 ? amount + " * " : "") + "_fl_n._fl_i, _fl_ends._fl_first)"
                + " AS " + column + " FROM (SELECT " + first + " AS _fl_first, " + last + " AS _fl_last) AS _fl_ends"
                + " CROSS JOIN (SELECT " + number + " AS _fl_i FROM " + digits + ") AS _fl_n WHERE _fl_n._fl_i <= "
                + count + ") AS _fl_series";
    }

    /** Cast, because APPROXIMATE PERCENTILE_DISC answers a value of its input's type. */
    @Override
    public String approxPercentile(String expression, double fraction) {
        return castToDouble("APPROXIMATE PERCENTILE_DISC(" + fraction(fraction) + ") WITHIN GROUP (ORDER BY "
                + expression + ")");
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
