package dev.fletcher.sdk;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The answer of a metrics query: the group keys, then the metrics, one row per group.
 *
 * <p>Values are as the server's JSON gives them: whole numbers as {@link Long}, other numbers as {@link Double},
 * booleans as {@link Boolean}, text and times as {@link String} (times ISO-8601 in UTC; read them with
 * {@link #time}), null as null.
 *
 * @param columns the column names: {@code metric_time__<grain>} and dimensions as asked for in {@code group_by}, then
 *                the metrics
 * @param rows    the rows, each with one value per column
 * @param sql     the SQL that ran, with {@code ?} where the query's values were bound
 */
public record MetricQueryResult(List<String> columns, List<List<Object>> rows, String sql) {

    public MetricQueryResult {
        columns = List.copyOf(columns);
        List<List<Object>> copy = new ArrayList<>(rows.size());
        for (List<Object> row : rows) {
            if (row.size() != columns.size()) {
                throw new IllegalArgumentException("a row has " + row.size() + " values for " + columns.size()
                        + " columns " + columns);
            }
            // Values may be null, which List.copyOf refuses.
            copy.add(Collections.unmodifiableList(new ArrayList<>(row)));
        }
        rows = Collections.unmodifiableList(copy);
    }

    static MetricQueryResult fromJson(JsonNode answer) {
        JsonNode columns = answer.path("columns");
        JsonNode rows = answer.path("rows");
        if (!columns.isArray() || !rows.isArray()) {
            throw new UncheckedIOException(new IOException("Fletcher's answer to a metrics query has no 'columns' and"
                    + " 'rows' lists"));
        }
        List<String> names = new ArrayList<>();
        columns.forEach(c -> names.add(c.asText()));
        List<List<Object>> values = new ArrayList<>();
        for (JsonNode row : rows) {
            List<Object> out = new ArrayList<>(row.size());
            row.forEach(value -> out.add(plain(value)));
            values.add(out);
        }
        JsonNode sql = answer.get("sql");
        return new MetricQueryResult(names, values, sql == null || sql.isNull() ? null : sql.asText());
    }

    private static Object plain(JsonNode value) {
        if (value == null || value.isNull()) {
            return null;
        }
        if (value.isIntegralNumber() && value.canConvertToLong()) {
            return value.longValue();
        }
        if (value.isNumber()) {
            return value.doubleValue();
        }
        if (value.isBoolean()) {
            return value.booleanValue();
        }
        return value.isTextual() ? value.textValue() : value.toString();
    }

    public int rowCount() {
        return rows.size();
    }

    /** The position of a column. */
    public int column(String name) {
        int index = columns.indexOf(name);
        if (index < 0) {
            throw new IllegalArgumentException("the answer has no column '" + name + "'; its columns: " + columns);
        }
        return index;
    }

    /** One value, as described above. */
    public Object value(int row, String column) {
        return rows.get(row).get(column(column));
    }

    /** One value as text, or null. */
    public String text(int row, String column) {
        Object value = value(row, column);
        return value == null ? null : value.toString();
    }

    /** One numeric value (a count, sum, ratio, ...) as a double, or null. */
    public Double number(int row, String column) {
        Object value = value(row, column);
        if (value == null) {
            return null;
        }
        if (value instanceof Number number) {
            return number.doubleValue();
        }
        throw new IllegalStateException("column '" + column + "' holds " + value + " in row " + row
                + ", not a number");
    }

    /** One time value, e.g. a {@code metric_time__day} bucket's start, or null; a date is its midnight UTC. */
    public Instant time(int row, String column) {
        String text = text(row, column);
        if (text == null) {
            return null;
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException notAnInstant) {
            try {
                return LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant();
            } catch (DateTimeParseException notADate) {
                throw new IllegalStateException("column '" + column + "' holds '" + text + "' in row " + row
                        + ", not a time", notAnInstant);
            }
        }
    }

    /** One row by column name, in column order. */
    public Map<String, Object> row(int row) {
        Map<String, Object> out = new LinkedHashMap<>();
        List<Object> values = rows.get(row);
        for (int i = 0; i < columns.size(); i++) {
            out.put(columns.get(i), values.get(i));
        }
        return Collections.unmodifiableMap(out);
    }
}
