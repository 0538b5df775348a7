package dev.fletcher.engine.sql;

import dev.fletcher.engine.plan.Column;
import dev.fletcher.engine.plan.ColumnKind;
import dev.fletcher.engine.plan.MetricFilter;
import dev.fletcher.engine.plan.MetricPlan;
import dev.fletcher.engine.plan.MetricPlanner;
import dev.fletcher.engine.plan.PlanException;
import dev.fletcher.spi.warehouse.Dialect;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A metrics query's where items over a source's described rows: each value checked against the dimension's kind
 * and bound as a parameter, never written into the SQL.
 */
final class WhereSql {
    private WhereSql() {
    }

    /**
     * The condition of one where item.
     *
     * @param source     the source the rows come from, named in errors
     * @param columns    the rows' described columns
     * @param eventTime  the rows' event time as a timestamp expression
     * @param parameters receives the item's values in placeholder order
     * @throws PlanException for a dimension the rows lack or a value of the wrong type
     */
    static String condition(MetricPlan.Filter filter, String source, List<Column> columns, String eventTime,
            List<Object> parameters, Dialect dialect) {
        MetricPlan.Dimension dimension = filter.dimension();
        String target;
        ColumnKind kind;
        if (dimension.isTime()) {
            target = dialect.truncate(dimension.grain().id(), eventTime);
            kind = ColumnKind.TIMESTAMP;
        } else {
            Column column = MetricRows.column(dimension, columns, source);
            target = "e." + dialect.quoteIdentifier(column.name());
            kind = column.kind();
        }
        String placeholder = kind.isTime() ? dialect.timestampParameter() : "?";
        List<Object> values = new ArrayList<>();
        for (Object value : filter.values()) {
            values.add(checked(filter, kind, value));
        }
        MetricFilter.Op op = filter.op();
        switch (op) {
            case IS_NULL:
                return target + " IS NULL";
            case IS_NOT_NULL:
                return target + " IS NOT NULL";
            case IN:
            case NOT_IN:
                parameters.addAll(values);
                return target + (op == MetricFilter.Op.IN ? " IN (" : " NOT IN (")
                        + String.join(", ", values.stream().map(v -> placeholder).toList()) + ")";
            default:
                parameters.add(values.get(0));
                String sqlOp = op == MetricFilter.Op.NE ? "<>" : op.id();
                return target + " " + sqlOp + " " + placeholder;
        }
    }

    /** A where value as a parameter of the dimension's type, or a PlanException naming the mismatch. */
    private static Object checked(MetricPlan.Filter filter, ColumnKind kind, Object value) {
        String dimension = filter.dimension().name();
        if (kind.isTime()) {
            if (value instanceof Instant) {
                return value;
            }
            if (value instanceof String text) {
                return MetricPlanner.time(text, "where item on '" + dimension + "'");
            }
            throw new PlanException("where item on '" + dimension + "': it holds times; compare it with a time such as"
                    + " \"2026-03-01\", not " + value);
        }
        boolean ok = switch (kind) {
            case STRING -> value instanceof String;
            case INTEGER, FLOATING, DECIMAL -> value instanceof Long || value instanceof Double;
            case BOOLEAN -> value instanceof Boolean;
            default -> true;
        };
        if (!ok) {
            String expected = switch (kind) {
                case STRING -> "text: give a string, e.g. \"DE\"";
                case BOOLEAN -> "booleans: give true or false";
                default -> "numbers: give a number, e.g. 10";
            };
            throw new PlanException("where item on '" + dimension + "': the dimension holds " + expected + ", not "
                    + (value instanceof String ? "\"" + value + "\"" : value));
        }
        return value;
    }
}
