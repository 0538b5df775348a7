package dev.fletcher.server.warehouse;

import java.util.regex.Pattern;

/**
 * A warehouse's error message as a client may read it. Warehouses quote the value they failed on ("Could not convert
 * string 'x' to DOUBLE", {@code invalid input syntax for type integer: "x"}), and that value is a row's data; the
 * message keeps its words and names and leaves the values out. The server's log keeps the whole message.
 */
public final class WarehouseMessages {
    /** A SQL string literal, as DuckDB, Trino, Spark, Snowflake and BigQuery quote values. */
    private static final Pattern STRING_LITERAL = Pattern.compile("'(?:[^']|'')*'");
    /** PostgreSQL and Redshift quote values in double quotes after these words. */
    private static final Pattern POSTGRES_VALUE = Pattern.compile(
            "((?:invalid input syntax for (?:type )?[\\w ]+|invalid input value for enum [\\w.]+): )\"(?:[^\"]|\"\")*\"");
    private static final Pattern POSTGRES_OUT_OF_RANGE = Pattern.compile("(value )\"(?:[^\"]|\"\")*\"( is out of range)");
    /** DuckDB quotes a text it cannot read as a time in double quotes. */
    private static final Pattern FORMAT_VALUE = Pattern.compile("(format: )\"(?:[^\"]|\"\")*\"");
    private static final Pattern KEY_DETAIL = Pattern.compile("(Key \\([^)]*\\)=)\\([^)]*\\)");
    static final String LEFT_OUT = "(value not shown)";

    private WarehouseMessages() {
    }

    public static String withoutValues(String message) {
        if (message == null) {
            return null;
        }
        String text = STRING_LITERAL.matcher(message).replaceAll("'" + LEFT_OUT + "'");
        text = POSTGRES_VALUE.matcher(text).replaceAll("$1\"" + LEFT_OUT + "\"");
        text = FORMAT_VALUE.matcher(text).replaceAll("$1\"" + LEFT_OUT + "\"");
        text = POSTGRES_OUT_OF_RANGE.matcher(text).replaceAll("$1\"" + LEFT_OUT + "\"$2");
        return KEY_DETAIL.matcher(text).replaceAll("$1(" + LEFT_OUT + ")");
    }
}
