package dev.fletcher.spi.warehouse;

import java.util.Locale;

/**
 * The few ways warehouses spell SQL differently. Shared rendering code uses standard SQL and asks the dialect
 * for the rest; one subclass per warehouse overrides what differs.
 */
public abstract class Dialect {
    /** The dialect's name, e.g. {@code duckdb}. */
    public abstract String name();

    public abstract Capabilities capabilities();

    /** Quotes an identifier, doubling any embedded quote. */
    public String quoteIdentifier(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
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

    /** An interval literal of whole seconds; the number is rendered by Fletcher, never taken from a request. */
    public String intervalSeconds(long seconds) {
        return "INTERVAL '" + seconds + " seconds'";
    }

    /** A bind parameter that holds a UTC timestamp. */
    public String timestampParameter() {
        return "CAST(? AS " + timestampType() + ")";
    }

    /** Truncates a timestamp to a grain: hour, day, week (ISO, Monday), month, quarter or year. */
    public String truncate(String grain, String timestampExpression) {
        return "date_trunc('" + grain.toLowerCase(Locale.ROOT) + "', " + timestampExpression + ")";
    }

    @Override
    public String toString() {
        return name();
    }
}
