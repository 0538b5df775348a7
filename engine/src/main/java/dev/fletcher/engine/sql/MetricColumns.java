package dev.fletcher.engine.sql;

import dev.fletcher.engine.plan.Column;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the warehouse described for a metrics query: all a rendering needs to know of it.
 *
 * @param sources each read source's own columns, by source name (the metrics' sources, conversion targets and the
 *                sources of point-in-time dimensions)
 * @param rows    by source name, the columns of the rows a metrics query reads from it: its own, the point-in-time
 *                dimensions joined on, {@code _fl_ts} and one {@code _fl_x<n>} per measure expression
 */
public record MetricColumns(Map<String, List<Column>> sources, Map<String, List<Column>> rows) {
    public MetricColumns {
        sources = copy(sources);
        rows = copy(rows);
    }

    public List<Column> source(String name) {
        return described(sources, name, "source");
    }

    public List<Column> rows(String name) {
        return described(rows, name, "the rows of source");
    }

    private static List<Column> described(Map<String, List<Column>> columns, String name, String what) {
        List<Column> found = columns.get(name);
        if (found == null) {
            throw new IllegalArgumentException("no description of " + what + " '" + name + "'");
        }
        return found;
    }

    static Map<String, List<Column>> copy(Map<String, List<Column>> columns) {
        Map<String, List<Column>> copy = new LinkedHashMap<>();
        columns.forEach((name, list) -> copy.put(name, List.copyOf(list)));
        return Collections.unmodifiableMap(copy);
    }
}
