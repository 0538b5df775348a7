package dev.fletcher.engine.sql;

import dev.fletcher.engine.plan.Column;
import dev.fletcher.engine.plan.ColumnKind;
import dev.fletcher.engine.plan.MetricPlan;
import dev.fletcher.engine.plan.PlanException;
import java.util.List;
import java.util.Map;

/**
 * A source's rows as one rendering reads them: the common table expression holding them, its described columns and
 * the columns holding each metric's measure.
 */
record MetricRows(String relation, List<Column> columns, Map<String, String> measureColumns, long reach) {
    MetricRows {
        columns = List.copyOf(columns);
        measureColumns = Map.copyOf(measureColumns);
    }

    /** The column holding a metric's measure expression, or null for a count of rows. */
    String measure(String metric) {
        return measureColumns.get(metric);
    }

    /** The kind of a metric's measure column, null for a count of rows. */
    ColumnKind measureKind(String metric) {
        String column = measure(metric);
        return column == null ? null : Column.find(columns, column).map(Column::kind).orElse(ColumnKind.OTHER);
    }

    Column column(MetricPlan.Dimension dimension) {
        return column(dimension, columns, null);
    }

    /** A dimension's column among the rows' columns; {@code source} names them in the error, when given. */
    static Column column(MetricPlan.Dimension dimension, List<Column> columns, String source) {
        String name = dimension.feature() != null ? dimension.feature().column() : dimension.name();
        return Column.find(columns, name).orElseThrow(() -> new PlanException("dimension '" + dimension.name()
                + "' is not a column of the rows of source" + (source == null ? "" : " '" + source + "'")
                + "; they have: " + Column.listed(columns.stream().filter(c -> !c.name().startsWith("_fl_")).toList())));
    }
}
