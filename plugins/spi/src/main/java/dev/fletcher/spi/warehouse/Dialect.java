package dev.fletcher.spi.warehouse;

import dev.fletcher.spi.NotSupportedException;
import dev.fletcher.spi.PluginKind;
import java.math.BigDecimal;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The few ways warehouses spell SQL differently. Shared rendering code uses standard SQL and asks the dialect
 * for the rest; one subclass per warehouse overrides only what differs. Every hook takes SQL expressions that
 * Fletcher or a catalog author wrote and numbers that Fletcher computed; request values never reach a hook.
 */
public abstract class Dialect {
    /** The grains {@link #truncate} understands, finest first. */
    public static final List<String> GRAINS = List.of("hour", "day", "week", "month", "quarter", "year");

    private static final Pattern NAME_PART = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}");

    /** The dialect's name, e.g. {@code duckdb}. */
    public abstract String name();

    public abstract Capabilities capabilities();

    /** Quotes an identifier, doubling any embedded quote. */
    public String quoteIdentifier(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }

    /**
     * A table name, plain ({@code txns}) or schema-qualified ({@code analytics.txns}), checked and quoted part by
     * part. Quoting keeps the name exactly as given, so it is case-sensitive where the warehouse is.
     *
     * @throws IllegalArgumentException when a part is not letters, digits and underscores
     */
    public String tableName(String name) {
        String[] parts = checkTableName(name);
        StringBuilder sql = new StringBuilder();
        for (String part : parts) {
            if (sql.length() > 0) {
                sql.append('.');
            }
            sql.append(quoteIdentifier(part));
        }
        return sql.toString();
    }

    /** Splits a table name into its (one or two) parts after checking them. */
    public static String[] checkTableName(String name) {
        if (name == null) {
            throw new IllegalArgumentException("a table name is required");
        }
        String[] parts = name.split("\\.", -1);
        boolean valid = parts.length <= 2;
        for (String part : parts) {
            valid &= NAME_PART.matcher(part).matches();
        }
        if (!valid) {
            throw new IllegalArgumentException("table name '" + name + "' is not valid: use letters, digits and"
                    + " underscores (at most 63, not starting with a digit), optionally after a schema as schema.table");
        }
        return parts;
    }

    /**
     * Where an intermediate table named {@code name} is kept: by default in the warehouse's default schema; a
     * warehouse with a faster place for short-lived tables that every session sees names it there.
     */
    public String scratchTable(String name) {
        return name;
    }

    /**
     * Creates a table holding a query's result, for intermediate results that several later statements read (the
     * per-subject values of an experiment analysis); the caller drops it when done.
     */
    public String createTableAs(String table, String query) {
        return "CREATE TABLE " + tableName(table) + " AS\n" + query;
    }

    /**
     * Whether {@code /} of two integers truncates to an integer (standard SQL, PostgreSQL) rather than giving a
     * fraction; derived features evaluated outside the warehouse follow it.
     */
    public boolean integerDivisionTruncates() {
        return true;
    }

    /**
     * A row number that numbers the rows the same way each time the relation is read, given the expressions that
     * tell its rows apart (rows equal in all of them are interchangeable). By default {@code row_number() OVER ()}:
     * the warehouse computes a relation read twice (a materialized CTE) once. A warehouse that may compute it once
     * per read orders by the expressions.
     */
    public String rowNumber(List<String> distinguishing) {
        return "row_number() OVER ()";
    }

    /** The name of the variable-length string type. */
    public String stringType() {
        return "VARCHAR";
    }

    /**
     * Strings compared byte by byte (UTF-8 code-point order), so ties and min/max of text resolve the same in every
     * warehouse whatever its default collation.
     */
    public String bytewise(String stringExpression) {
        return stringExpression + " COLLATE \"C\"";
    }

    /** Equality that holds when both sides are null too. */
    public String nullSafeEquals(String left, String right) {
        return left + " IS NOT DISTINCT FROM " + right;
    }

    /** The window frame of a running aggregate: every row up to the current one. */
    public String runningFrame() {
        return "ROWS UNBOUNDED PRECEDING";
    }

    /**
     * Whether {@code WITH} takes {@code MATERIALIZED} and {@code NOT MATERIALIZED}; where it does not, the
     * warehouse decides how often a common table expression is computed.
     */
    public boolean materializedCtes() {
        return true;
    }

    /**
     * Whether a training set first writes its numbered entity rows to a scratch table, then reads that table
     * wherever the query needs them: for a warehouse that computes a common table expression once per read and
     * numbers rows by sorting them, where one write costs less than every read sorting again.
     */
    public boolean stagesEntityRows() {
        return false;
    }

    /**
     * Whether the warehouse's ASOF join (see {@link Capabilities#asofJoin()}) compares row values, so one join
     * orders ties by (time, created time, tiebreak); when it compares single columns only, ties are first reduced
     * to one row per key and time, and the join compares times.
     */
    public boolean asofComparesRows() {
        return true;
    }

    /**
     * An ASOF join of {@code relation} (aliased {@code alias}) that keeps every left row: on the key equalities,
     * matching the right row whose side of {@code match} (an inequality, left operand first) is greatest.
     *
     * @throws NotSupportedException unless {@link Capabilities#asofJoin()} is declared
     */
    public String asofJoin(String relation, String alias, List<String> keys, String match) {
        if (!capabilities().asofJoin()) {
            throw new NotSupportedException(PluginKind.WAREHOUSE, name(), "ASOF JOIN");
        }
        List<String> on = new java.util.ArrayList<>(keys);
        on.add(match);
        return "ASOF LEFT JOIN " + relation + " AS " + alias + " ON " + String.join(" AND ", on);
    }

    /** A bind parameter that holds a row count for LIMIT (bound as a 64-bit integer). */
    public String limitParameter() {
        return "?";
    }

    /** The name of the 64-bit floating point type. */
    public String doubleType() {
        return "DOUBLE PRECISION";
    }

    /** An expression cast to a 64-bit float; every literal and sum in statistics goes through this. */
    public String castToDouble(String expression) {
        return "CAST(" + expression + " AS " + doubleType() + ")";
    }

    /** The type of a UTC timestamp column. */
    public String timestampType() {
        return "TIMESTAMP";
    }

    /** A bind parameter that holds a UTC timestamp. */
    public String timestampParameter() {
        return "CAST(? AS " + timestampType() + ")";
    }

    /** An interval literal of whole seconds; the number is rendered by Fletcher, never taken from a request. */
    public String intervalSeconds(long seconds) {
        return "INTERVAL '" + seconds + "' SECOND";
    }

    /** A timestamp moved by whole seconds (negative moves back). */
    public String addSeconds(String timestampExpression, long seconds) {
        return "(" + timestampExpression + " + " + intervalSeconds(seconds) + ")";
    }

    /**
     * Truncates a timestamp to the start of its bucket in UTC: hour, day, week (ISO, starting Monday), month,
     * quarter or year.
     *
     * @throws IllegalArgumentException for any other grain
     */
    public String truncate(String grain, String timestampExpression) {
        return "date_trunc('" + checkGrain(grain) + "', " + timestampExpression + ")";
    }

    /** The length of one bucket of a grain as an interval literal (a week is 7 days, a quarter 3 months). */
    public String grainInterval(String grain) {
        return switch (checkGrain(grain)) {
            case "hour" -> "INTERVAL '1' HOUR";
            case "day" -> "INTERVAL '1' DAY";
            case "week" -> "INTERVAL '7' DAY";
            case "month" -> "INTERVAL '1' MONTH";
            case "quarter" -> "INTERVAL '3' MONTH";
            default -> "INTERVAL '1' YEAR";
        };
    }

    /** The start of the bucket after the one starting at {@code bucketStart}. */
    public String nextBucket(String grain, String bucketStart) {
        return "(" + bucketStart + " + " + grainInterval(grain) + ")";
    }

    /**
     * A relation of every bucket start of a grain from {@code first} to {@code last} (both bucket starts or
     * timestamps, inclusive), one column {@code column}.
     */
    public String bucketSeries(String grain, String first, String last, String column) {
        return "generate_series(" + first + ", " + last + ", " + grainInterval(grain) + ") AS _fl_series(" + column
                + ")";
    }

    /**
     * An as-of join onto the anchors, for warehouses that declare {@link Capabilities#asofJoin()}: per anchor, the
     * row of {@code relation} (aliased {@code alias}) meeting every key equality whose ordering key
     * {@code rowOrder} is the greatest not above the anchor's {@code anchorOrder}, or none.
     */
    public String asofJoin(String relation, String alias, List<String> keyEqualities, String anchorOrder,
            String rowOrder) {
        List<String> on = new java.util.ArrayList<>(keyEqualities);
        on.add(anchorOrder + " >= " + rowOrder);
        return "ASOF LEFT JOIN " + relation + " AS " + alias + " ON " + String.join(" AND ", on);
    }

    /**
     * A derived feature's expression, written in Fletcher's expression language (the SQL that DuckDB and PostgreSQL
     * read as it is), in this warehouse's spelling; by default as written.
     */
    public String derivedExpression(String expression) {
        return expression;
    }

    /** Seconds since 1970-01-01 UTC as a 64-bit float, fractions kept. */
    public String epochSeconds(String timestampExpression) {
        return castToDouble("EXTRACT(EPOCH FROM " + timestampExpression + ")");
    }

    /** numerator / denominator as 64-bit floats; null when the denominator is 0 or null (never integer division). */
    public String safeDivide(String numerator, String denominator) {
        return castToDouble(numerator) + " / NULLIF(" + castToDouble(denominator) + ", 0)";
    }

    /**
     * The exact continuous percentile aggregate (linear interpolation between the nearest values).
     *
     * @throws NotSupportedException when {@link Capabilities#exactPercentile()} is not declared
     */
    public String percentile(String expression, double fraction) {
        return "percentile_cont(" + fraction(fraction) + ") WITHIN GROUP (ORDER BY " + expression + ")";
    }

    /**
     * An approximate percentile aggregate, cheaper than {@link #percentile} on large inputs.
     *
     * @throws NotSupportedException unless {@link Capabilities#approxPercentile()} is declared
     */
    public String approxPercentile(String expression, double fraction) {
        fraction(fraction);
        throw new NotSupportedException(PluginKind.WAREHOUSE, name(), "approximate percentile");
    }

    /** Renders a fraction in [0, 1] as a SQL number. */
    protected static String fraction(double fraction) {
        if (!(fraction >= 0 && fraction <= 1)) {
            throw new IllegalArgumentException("a percentile must be between 0 and 1, got " + fraction);
        }
        return BigDecimal.valueOf(fraction).toPlainString();
    }

    protected static String checkGrain(String grain) {
        String lower = grain == null ? "" : grain.toLowerCase(Locale.ROOT);
        if (!GRAINS.contains(lower)) {
            throw new IllegalArgumentException("unknown time grain '" + grain + "': use one of " + GRAINS);
        }
        return lower;
    }

    @Override
    public String toString() {
        return name();
    }
}
