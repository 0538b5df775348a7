package dev.fletcher.engine.plan;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

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

    /** A name made of letters, digits and underscores, as a column is named by a person rather than by data. */
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,63}");

    /**
     * A column's name as an error message may show it. Names come from the warehouse's description of a query, and a
     * query can name its columns after data (a CSV file whose first line is read as its header): a name that is not
     * plain is shown by its position only, so a message never repeats what may be a value.
     *
     * @param position the column's 1-based position among its relation's columns
     */
    public static String shown(String name, int position) {
        return PLAIN.matcher(name).matches() ? name : "column " + position + " (its name is not shown)";
    }

    /** The columns of a relation for an error message, each {@link #shown}; {@code none} when there are none. */
    public static String listed(List<Column> columns) {
        if (columns.isEmpty()) {
            return "none";
        }
        List<String> shown = new ArrayList<>(columns.size());
        for (int i = 0; i < columns.size(); i++) {
            shown.add(shown(columns.get(i).name(), i + 1));
        }
        return String.join(", ", shown);
    }
}
