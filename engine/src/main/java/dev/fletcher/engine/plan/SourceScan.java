package dev.fletcher.engine.plan;

import java.util.List;
import java.util.Objects;

/**
 * The rows of one source as the engine reads them.
 *
 * @param name             the source's catalog name
 * @param table            the table, or null when {@code sql} is given
 * @param sql              the catalog author's query, or null when {@code table} is given
 * @param keyColumns       the source columns holding the anchor's keys, in key order
 * @param timestamp        the event-time column
 * @param createdTimestamp the created-time column, or null when the source has none
 * @param columns          every column of the source as the warehouse describes it
 */
public record SourceScan(String name, String table, String sql, List<String> keyColumns, String timestamp,
        String createdTimestamp, List<Column> columns) {
    public SourceScan {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(timestamp, "timestamp");
        if ((table == null) == (sql == null)) {
            throw new IllegalArgumentException("a source scan reads either a table or sql");
        }
        keyColumns = List.copyOf(keyColumns);
        columns = List.copyOf(columns);
        if (keyColumns.isEmpty()) {
            throw new IllegalArgumentException("a source scan needs at least one key column");
        }
    }

    /** The kind of a column, OTHER when the description does not hold it. */
    public ColumnKind kindOf(String column) {
        return Column.find(columns, column).map(Column::kind).orElse(ColumnKind.OTHER);
    }
}
