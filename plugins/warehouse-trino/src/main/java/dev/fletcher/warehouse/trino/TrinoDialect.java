package dev.fletcher.warehouse.trino;

import dev.fletcher.spi.warehouse.Capabilities;
import dev.fletcher.spi.warehouse.Dialect;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Trino's spelling. Timestamps are {@code TIMESTAMP(6)} (a bare {@code TIMESTAMP} keeps milliseconds only), series
 * come from {@code UNNEST(sequence(...))}, epoch seconds from {@code to_unixtime}, and strings already compare by
 * code point, so no collation is named. There is no {@code percentile_cont}: the exact percentile interpolates
 * between the two nearest values of the sorted, non-null inputs, gathered with {@code array_agg}.
 *
 * <p>Trino has no session-private tables: a registered table is a uniquely named table in the staging schema, and
 * while it is registered the dialect renders its name as that table (see {@link #tableName}).
 */
public final class TrinoDialect extends Dialect {
    /**
     * No ASOF JOIN before 481 and no QUALIFY; approx_percentile exists. A query's text, with its parameters
     * spelled as literals, is limited by the server's {@code query.max-length} (1,000,000 characters by default);
     * half of that is left for the parameters' literals. Neither columns nor parameters have a fixed limit;
     * these are the numbers the conformance suite checks.
     */
    static final Capabilities CAPABILITIES = new Capabilities(false, true, false, 4096, 500_000, 10_000);

    /** Trino 481 and later: as-of lookups through {@code LEFT JOIN NEAREST}. */
    static final Capabilities NEAREST_CAPABILITIES = new Capabilities(true, true, false, 4096, 500_000, 10_000);

    private final boolean nearestJoin;
    private final String stagingCatalog;
    private final String stagingSchema;
    private final Map<String, String> registered;

    /** The dialect alone, without a staging schema: for rendering and golden files. */
    public TrinoDialect() {
        this(false);
    }

    /** @param nearestJoin whether the server has {@code LEFT JOIN NEAREST} (Trino 481 and later) */
    public TrinoDialect(boolean nearestJoin) {
        this(nearestJoin, null, null, new ConcurrentHashMap<>());
    }

    TrinoDialect(boolean nearestJoin, String stagingCatalog, String stagingSchema, Map<String, String> registered) {
        this.nearestJoin = nearestJoin;
        this.stagingCatalog = stagingCatalog;
        this.stagingSchema = stagingSchema;
        this.registered = registered;
    }

    @Override
    public String name() {
        return "trino";
    }

    @Override
    public Capabilities capabilities() {
        return nearestJoin ? NEAREST_CAPABILITIES : CAPABILITIES;
    }

    /**
     * {@code LEFT JOIN NEAREST (FROM relation AS alias WHERE keys MATCH anchorOrder >= rowOrder) AS alias ON TRUE}:
     * per anchor, among the rows of equal keys, the row whose ordering key is the nearest not above the anchor's.
     * Trino compares rows field by field.
     */
    @Override
    public String asofJoin(String relation, String alias, List<String> keyEqualities, String anchorOrder,
            String rowOrder) {
        return nearest(relation, alias, keyEqualities, anchorOrder + " >= " + rowOrder);
    }

    @Override
    public String asofJoin(String relation, String alias, List<String> keys, String match) {
        if (!nearestJoin) {
            return super.asofJoin(relation, alias, keys, match);
        }
        return nearest(relation, alias, keys, match);
    }

    /** The relation keeps its alias inside and outside the join, so the conditions name it as the caller does. */
    private static String nearest(String relation, String alias, List<String> keys, String match) {
        return "LEFT JOIN NEAREST (FROM " + relation + " AS " + alias
                + (keys.isEmpty() ? "" : " WHERE " + String.join(" AND ", keys)) + " MATCH " + match + ") AS "
                + alias + " ON TRUE";
    }

    /** Whether point-in-time lookups may use {@code LEFT JOIN NEAREST}, decided from the server's version. */
    public boolean nearestJoin() {
        return nearestJoin;
    }

    /** Whether a server of this version has {@code LEFT JOIN NEAREST}: Trino 481 and later. */
    public static boolean hasNearestJoin(String serverVersion) {
        if (serverVersion == null) {
            return false;
        }
        String digits = serverVersion.strip().replaceFirst("^(\\d+).*$", "$1");
        try {
            return !digits.isEmpty() && Character.isDigit(digits.charAt(0)) && Integer.parseInt(digits) >= 481;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /**
     * A plain name that a session registered is its staging table, fully qualified; every other name as the base
     * dialect quotes it, resolved in the session's catalog and schema.
     */
    @Override
    public String tableName(String name) {
        String[] parts = checkTableName(name);
        if (parts.length == 1 && stagingCatalog != null) {
            String physical = registered.get(name);
            if (physical != null) {
                return quoteIdentifier(stagingCatalog) + "." + quoteIdentifier(stagingSchema) + "."
                        + quoteIdentifier(physical);
            }
        }
        return super.tableName(name);
    }

    /** The name as any other table's, even while a session has it registered. */
    String unregisteredTableName(String name) {
        return super.tableName(name);
    }

    /** The expression language read and written again in Trino's SQL ({@code x::double} is a CAST here). */
    @Override
    public String derivedExpression(String expression) {
        return TrinoExpressions.render(expression);
    }

    @Override
    public String doubleType() {
        return "DOUBLE";
    }

    @Override
    public String timestampType() {
        return "TIMESTAMP(6)";
    }

    /** Trino takes a sign before the literal, not inside it. */
    @Override
    public String intervalSeconds(long seconds) {
        return seconds < 0 ? "INTERVAL -'" + Math.negateExact(seconds) + "' SECOND"
                : "INTERVAL '" + seconds + "' SECOND";
    }

    @Override
    public String bucketSeries(String grain, String first, String last, String column) {
        return "UNNEST(sequence(" + first + ", " + last + ", " + grainInterval(grain) + ")) AS _fl_series(" + column
                + ")";
    }

    /** to_unixtime reads a timestamp in the session's zone, which is always UTC. */
    @Override
    public String epochSeconds(String timestampExpression) {
        return "to_unixtime(" + timestampExpression + ")";
    }

    /** Varchar compares by code point already. */
    @Override
    public String bytewise(String stringExpression) {
        return stringExpression;
    }

    /** CTEs are not materialized: a relation read twice is computed twice, so the numbering must not vary. */
    @Override
    public boolean materializedCtes() {
        return false;
    }

    /** Every read of the numbered entity rows would sort them again; one write to the memory schema does not. */
    @Override
    public boolean stagesEntityRows() {
        return true;
    }

    @Override
    public String rowNumber(List<String> distinguishing) {
        return distinguishing.isEmpty() ? "row_number() OVER ()"
                : "row_number() OVER (ORDER BY " + String.join(", ", distinguishing) + ")";
    }

    /**
     * percentile_cont by hand: the non-null values sorted, position {@code f * (n - 1)}, and linear interpolation
     * between the values at its floor and ceiling. The lambda binds the sorted array once.
     */
    @Override
    public String percentile(String expression, double fraction) {
        String f = "CAST(" + fraction(fraction) + " AS DOUBLE)";
        String position = f + " * (cardinality(_fl_v) - 1)";
        String low = "_fl_v[CAST(floor(" + position + ") AS BIGINT) + 1]";
        String high = "_fl_v[CAST(ceiling(" + position + ") AS BIGINT) + 1]";
        return "element_at(transform(ARRAY[array_sort(array_agg(" + castToDouble(expression) + ") FILTER (WHERE "
                + expression + " IS NOT NULL))], _fl_v -> " + low + " + (" + position + " - floor(" + position
                + ")) * (" + high + " - " + low + ")), 1)";
    }

    @Override
    public String approxPercentile(String expression, double fraction) {
        return "approx_percentile(" + castToDouble(expression) + ", " + fraction(fraction) + ")";
    }
}
