package dev.fletcher.catalog.model;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Rows in a warehouse, either a table or a SQL query, with their event time and the entities they are about.
 *
 * @param warehouse        the configured warehouse instance ({@code default} unless given)
 * @param table            the table to read, or null when {@code sql} is given
 * @param sql              a query to read, or null when {@code table} is given
 * @param timestamp        the event-time column
 * @param createdTimestamp optional column that breaks ties on event time (newest wins) and gives "as known at"
 * @param entityColumns    entity name -> its key columns in this source, in the entity's key order
 * @param stream           optional live feed of the same rows
 */
public record Source(
        String name,
        String warehouse,
        String table,
        String sql,
        String timestamp,
        String createdTimestamp,
        Map<String, List<String>> entityColumns,
        Stream stream,
        String description,
        Map<String, String> tags) implements CatalogObject {

    public static final String DEFAULT_WAREHOUSE = "default";

    public Source {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(warehouse, "warehouse");
        Objects.requireNonNull(timestamp, "timestamp");
        if ((table == null) == (sql == null)) {
            throw new IllegalArgumentException("a source has either a table or sql");
        }
        Map<String, List<String>> columns = new LinkedHashMap<>();
        entityColumns.forEach((entity, keys) -> columns.put(entity, List.copyOf(keys)));
        entityColumns = Collections.unmodifiableMap(columns);
        tags = Tags.copy(tags);
    }

    /**
     * A stream carrying the same rows as the source, live.
     *
     * @param plugin the stream plugin, e.g. {@code kafka}
     * @param topic  where the rows arrive
     * @param format how each message is encoded ({@code json} unless given); the plugin decides what it reads
     */
    public record Stream(String plugin, String topic, String format) {
        public static final String DEFAULT_FORMAT = "json";

        public Stream {
            Objects.requireNonNull(plugin, "plugin");
            Objects.requireNonNull(topic, "topic");
            Objects.requireNonNull(format, "format");
        }
    }

    @Override
    public Kind kind() {
        return Kind.SOURCE;
    }

    /** The key columns of the entity in this source, or null when the source does not map it. */
    public List<String> columnsOf(String entity) {
        return entityColumns.get(entity);
    }

    public boolean maps(String entity) {
        return entityColumns.containsKey(entity);
    }

    @Override
    public Set<ObjectKey> references() {
        return entityColumns.keySet().stream()
                .map(e -> new ObjectKey(Kind.ENTITY, e))
                .collect(Collectors.toUnmodifiableSet());
    }
}
