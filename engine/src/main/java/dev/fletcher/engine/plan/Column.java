package dev.fletcher.engine.plan;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/** A column of a relation the plan reads (entity rows or a source), by its name as the warehouse reports it. */
public record Column(String name, ColumnKind kind) {
    public Column {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
    }

    /**
     * The column called {@code name}: an exact match first, else the only case-insensitive one (warehouses fold
     * unquoted names differently).
     */
    public static Optional<Column> find(List<Column> columns, String name) {
        for (Column column : columns) {
            if (column.name().equals(name)) {
                return Optional.of(column);
            }
        }
        List<Column> folded = columns.stream()
                .filter(c -> c.name().toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT)))
                .toList();
        return folded.size() == 1 ? Optional.of(folded.get(0)) : Optional.empty();
    }

    public static List<String> names(List<Column> columns) {
        return columns.stream().map(Column::name).toList();
    }
}
