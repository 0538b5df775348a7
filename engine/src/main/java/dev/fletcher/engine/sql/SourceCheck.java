package dev.fletcher.engine.sql;

import dev.fletcher.catalog.model.Source;
import dev.fletcher.engine.plan.Column;
import dev.fletcher.spi.warehouse.Dialect;
import dev.fletcher.spi.warehouse.WarehouseSession;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.BufferAllocator;

/**
 * A source read against its warehouse before it is stored: the warehouse describes it the way every query reads it
 * ({@code SELECT * FROM (<sql>)}), and the columns the definition names must be among the ones it answers.
 */
public final class SourceCheck {
    private SourceCheck() {
    }

    /**
     * The source's problems by field ({@code timestamp}, {@code created_timestamp},
     * {@code entity_columns.<entity>}); empty when it reads well.
     *
     * @throws dev.fletcher.engine.plan.PlanException when its SQL is not one query
     * @throws dev.fletcher.spi.PluginException with the warehouse's message when the warehouse cannot read it
     */
    public static Map<String, String> problems(Source source, Dialect dialect, WarehouseSession session,
            BufferAllocator allocator) {
        List<Column> columns = new Describer(dialect, session, allocator).source(source);
        Map<String, String> problems = new LinkedHashMap<>();
        List<String> names = columns.stream().map(Column::name).toList();
        require(columns, names, source.timestamp(), "timestamp", "the timestamp column", problems);
        if (source.createdTimestamp() != null) {
            require(columns, names, source.createdTimestamp(), "created_timestamp", "the created timestamp column",
                    problems);
        }
        source.entityColumns().forEach((entity, keys) -> {
            List<String> missing = new ArrayList<>();
            keys.forEach(key -> {
                if (Column.find(columns, key).isEmpty()) {
                    missing.add(key);
                }
            });
            if (!missing.isEmpty()) {
                problems.put("entity_columns." + entity, "the key column(s) " + missing + " of entity '" + entity
                        + "' are not among the columns the source answers: " + names);
            }
        });
        return problems;
    }

    private static void require(List<Column> columns, List<String> names, String column, String field, String what,
            Map<String, String> problems) {
        if (Column.find(columns, column).isEmpty()) {
            problems.put(field, what + " '" + column + "' is not among the columns the source answers: " + names);
        }
    }
}
