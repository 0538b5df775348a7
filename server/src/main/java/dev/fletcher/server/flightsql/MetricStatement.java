package dev.fletcher.server.flightsql;

import static dev.fletcher.server.problem.RequestException.invalid;
import static dev.fletcher.server.problem.Subject.METRICS_QUERY;

import dev.fletcher.catalog.model.Catalog;
import dev.fletcher.engine.plan.MetricFilter;
import dev.fletcher.engine.plan.MetricPlanner;
import dev.fletcher.engine.plan.MetricQuery;
import dev.fletcher.engine.plan.PlanException;
import dev.fletcher.server.problem.RequestException;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.calcite.avatica.util.Casing;
import org.apache.calcite.avatica.util.Quoting;
import org.apache.calcite.sql.SqlBasicCall;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.SqlNumericLiteral;
import org.apache.calcite.sql.SqlOrderBy;
import org.apache.calcite.sql.SqlSelect;
import org.apache.calcite.sql.parser.SqlParseException;
import org.apache.calcite.sql.parser.SqlParser;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.validate.SqlConformanceEnum;

/**
 * The SQL-like form Flight SQL clients query metrics with (docs/flight-sql.md), read by Calcite's SQL parser into the
 * same {@link MetricQuery} as {@code POST /api/v1/metrics/query}; nothing of the text reaches the warehouse:
 *
 * <pre>
 * SELECT revenue, conversion_rate, country FROM metrics
 * WHERE metric_time &gt;= '2026-03-01' AND metric_time &lt; '2026-04-01' AND country IN ('DE', 'FR')
 * GROUP BY metric_time__week, country ORDER BY revenue DESC LIMIT 100
 * </pre>
 */
public final class MetricStatement {
    /** The table every statement reads; a metric's own name is a table too. */
    public static final String TABLE = "metrics";
    private static final SqlParser.Config PARSER = SqlParser.config()
            .withQuoting(Quoting.DOUBLE_QUOTE)
            .withUnquotedCasing(Casing.TO_LOWER)
            .withQuotedCasing(Casing.UNCHANGED)
            .withCaseSensitive(true)
            .withConformance(SqlConformanceEnum.LENIENT);

    /** Far above any statement a person writes, and below what a parser may take on its stack. */
    static final int MAX_CHARS = 64 * 1024;
    static final int MAX_NESTING = 32;

    private MetricStatement() {
    }

    /** Parentheses nested past {@link #MAX_NESTING} (outside quotes) are refused before the parser recurses on them. */
    private static void refuseDeepNesting(String sql) {
        int depth = 0;
        char quote = 0;
        for (int i = 0; i < sql.length(); i++) {
            char c = sql.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                }
            } else if (c == '\'' || c == '"' || c == '`') {
                quote = c;
            } else if (c == '(' && ++depth > MAX_NESTING) {
                throw invalid(METRICS_QUERY, "the statement nests parentheses deeper than " + MAX_NESTING);
            } else if (c == ')') {
                depth = Math.max(0, depth - 1);
            }
        }
    }

    /** @throws RequestException (invalid) naming the problem and where in the text it is */
    public static MetricQuery parse(String sql, Catalog catalog) {
        if (sql.length() > MAX_CHARS) {
            throw invalid(METRICS_QUERY, "the statement is longer than " + MAX_CHARS + " characters; a metrics"
                    + " statement names metrics, dimensions and a few conditions");
        }
        refuseDeepNesting(sql);
        SqlNode node;
        try {
            node = SqlParser.create(sql, PARSER).parseQuery();
        } catch (SqlParseException e) {
            SqlParserPos pos = e.getPos();
            String first = e.getMessage() == null ? "" : e.getMessage().lines().findFirst().orElse("");
            throw invalid(METRICS_QUERY, "the statement does not parse" + (pos == null ? "" : " at line "
                    + pos.getLineNum() + ", column " + pos.getColumnNum()) + ": " + first
                    + " Write SELECT <metrics and dimensions> FROM metrics"
                    + " [WHERE ...] [GROUP BY ...] [ORDER BY ...] [LIMIT n]");
        }
        List<String> orderBy = new ArrayList<>();
        Long limit = null;
        if (node instanceof SqlOrderBy ordered) {
            for (SqlNode item : ordered.orderList) {
                boolean descending = item.getKind() == SqlKind.DESCENDING;
                SqlNode target = descending || item.getKind() == SqlKind.NULLS_LAST || item.getKind() == SqlKind.NULLS_FIRST
                        ? ((SqlCall) item).operand(0) : item;
                if (target.getKind() == SqlKind.DESCENDING) {
                    descending = true;
                    target = ((SqlCall) target).operand(0);
                }
                orderBy.add((descending ? "-" : "") + name(target, "ORDER BY"));
            }
            if (ordered.offset != null) {
                throw error(ordered.offset, "OFFSET is not supported");
            }
            if (ordered.fetch != null) {
                limit = wholeNumber(ordered.fetch, "LIMIT");
            }
            node = ordered.query;
        }
        if (!(node instanceof SqlSelect select)) {
            throw error(node, "only SELECT statements are answered");
        }
        if (select.getFrom() == null || !(select.getFrom() instanceof SqlIdentifier from)
                || !(name(from, "FROM").equals(TABLE) || catalog.metric(name(from, "FROM")).isPresent())) {
            throw error(select.getFrom() == null ? select : select.getFrom(), "select FROM " + TABLE
                    + " (or FROM a metric's name)");
        }
        if (select.getHaving() != null || select.isDistinct() || select.getWindowList() != null
                && !select.getWindowList().isEmpty()) {
            throw error(select, "HAVING, DISTINCT and WINDOW are not supported");
        }
        if (select.getFetch() != null) {
            limit = wholeNumber(select.getFetch(), "LIMIT");
        }
        List<String> metrics = new ArrayList<>();
        List<String> selected = new ArrayList<>();
        for (SqlNode item : select.getSelectList()) {
            if (item instanceof SqlIdentifier id && id.isStar()) {
                throw error(item, "name the metrics and dimensions to select; * is not supported");
            }
            String name = name(item, "SELECT");
            if (catalog.metric(name).isPresent()) {
                metrics.add(name);
            } else {
                selected.add(name);
            }
        }
        if (metrics.isEmpty()) {
            List<String> names = catalog.metrics().stream().map(m -> m.name()).toList();
            String first = selected.isEmpty() ? "" : selected.get(0);
            throw invalid(METRICS_QUERY, "the statement selects no metric" + (first.isEmpty() ? ""
                    : ": '" + first + "' is not a metric" + dev.fletcher.catalog.syntax.Suggestions.hint(first, names))
                    + "; metrics: " + String.join(", ", names));
        }
        List<String> groupBy = new ArrayList<>();
        if (select.getGroup() != null) {
            for (SqlNode item : select.getGroup()) {
                groupBy.add(name(item, "GROUP BY"));
            }
            for (String name : selected) {
                if (!groupBy.contains(name)) {
                    throw invalid(METRICS_QUERY, "'" + name + "' is selected but neither a metric nor in GROUP BY");
                }
            }
        } else {
            groupBy.addAll(selected);
        }
        Range range = new Range();
        List<MetricFilter> where = new ArrayList<>();
        if (select.getWhere() != null) {
            conditions(select.getWhere(), where, range);
        }
        try {
            return new MetricQuery(metrics, groupBy, where, range.start, range.end, false, orderBy, limit, false);
        } catch (PlanException e) {
            throw invalid(METRICS_QUERY, e.getMessage());
        }
    }

    private static final class Range {
        Instant start;
        Instant end;
    }

    private static void conditions(SqlNode node, List<MetricFilter> where, Range range) {
        if (node.getKind() == SqlKind.AND) {
            for (SqlNode operand : ((SqlCall) node).getOperandList()) {
                conditions(operand, where, range);
            }
            return;
        }
        if (!(node instanceof SqlBasicCall call)) {
            throw error(node, "a WHERE condition compares a dimension with a value");
        }
        SqlKind kind = call.getKind();
        if (kind == SqlKind.IS_NULL || kind == SqlKind.IS_NOT_NULL) {
            where.add(new MetricFilter(name(call.operand(0), "WHERE"), kind == SqlKind.IS_NULL
                    ? MetricFilter.Op.IS_NULL : MetricFilter.Op.IS_NOT_NULL, List.of()));
            return;
        }
        if (kind == SqlKind.IN || kind == SqlKind.NOT_IN) {
            if (!(call.operand(1) instanceof SqlNodeList list)) {
                throw error(call.operand(1), "IN takes a list of values");
            }
            List<Object> values = new ArrayList<>();
            for (SqlNode value : list) {
                values.add(value(value));
            }
            where.add(new MetricFilter(name(call.operand(0), "WHERE"), kind == SqlKind.IN ? MetricFilter.Op.IN
                    : MetricFilter.Op.NOT_IN, values));
            return;
        }
        MetricFilter.Op op = switch (kind) {
            case EQUALS -> MetricFilter.Op.EQ;
            case NOT_EQUALS -> MetricFilter.Op.NE;
            case LESS_THAN -> MetricFilter.Op.LT;
            case LESS_THAN_OR_EQUAL -> MetricFilter.Op.LE;
            case GREATER_THAN -> MetricFilter.Op.GT;
            case GREATER_THAN_OR_EQUAL -> MetricFilter.Op.GE;
            default -> throw error(node, "'" + call.getOperator().getName() + "' is not supported in WHERE; use AND of"
                    + " = <> < <= > >= IN NOT IN IS NULL IS NOT NULL");
        };
        String dimension = name(call.operand(0), "WHERE");
        Object value = value(call.operand(1));
        if (dimension.equals("metric_time")) {
            Instant time = MetricPlanner.time(String.valueOf(value), "metric_time");
            if (op == MetricFilter.Op.GE) {
                range.start = time;
            } else if (op == MetricFilter.Op.LT) {
                range.end = time;
            } else {
                throw error(node, "bound metric_time with >= (start) and < (end); for buckets compare"
                        + " metric_time__<grain>");
            }
            return;
        }
        where.add(new MetricFilter(dimension, op, List.of(value)));
    }

    private static Object value(SqlNode node) {
        if (node.getKind() == SqlKind.MINUS_PREFIX && ((SqlCall) node).operand(0) instanceof SqlNumericLiteral n) {
            Object value = value(n);
            return value instanceof Long l ? (Object) (-l) : (Object) (-(Double) value);
        }
        if (!(node instanceof SqlLiteral literal)) {
            throw error(node, "compare with a literal value (a string, number, boolean or TIMESTAMP '...')");
        }
        if (literal instanceof SqlNumericLiteral number) {
            BigDecimal decimal = number.getValueAs(BigDecimal.class);
            if (!number.isInteger()) {
                double value = decimal.doubleValue();
                if (Double.isInfinite(value)) {
                    throw error(node, "the number is out of range");
                }
                return value;
            }
            try {
                return decimal.longValueExact();
            } catch (ArithmeticException e) {
                throw error(node, "the whole number is out of range (at most " + Long.MAX_VALUE + ")");
            }
        }
        if (literal instanceof org.apache.calcite.sql.SqlUnknownLiteral typed) {
            // TIMESTAMP '...' and DATE '...' arrive untyped until validation, which is not needed here.
            return typed.getValue().toString().replace(' ', 'T');
        }
        return switch (literal.getTypeName()) {
            case BOOLEAN -> literal.booleanValue();
            case CHAR, VARCHAR -> literal.getValueAs(String.class);
            case TIMESTAMP, TIMESTAMP_WITH_LOCAL_TIME_ZONE, DATE -> literal.toValue().replace(' ', 'T');
            default -> throw error(node, "values are strings, numbers, booleans or TIMESTAMP '...'");
        };
    }

    private static long wholeNumber(SqlNode node, String clause) {
        if (node instanceof SqlNumericLiteral number && number.isInteger()) {
            try {
                long value = number.getValueAs(BigDecimal.class).longValueExact();
                if (value >= 0) {
                    return value;
                }
            } catch (ArithmeticException e) {
                // out of range: refused below
            }
            throw error(node, clause + " takes a whole number from 0 to " + Long.MAX_VALUE);
        }
        throw error(node, clause + " takes a whole number");
    }

    private static String name(SqlNode node, String clause) {
        if (node instanceof SqlBasicCall call && call.getKind() == SqlKind.AS) {
            throw error(node, "aliases are not supported in " + clause + "; name metrics and dimensions as they are");
        }
        if (!(node instanceof SqlIdentifier id)) {
            throw error(node, clause + " takes metric and dimension names, not expressions");
        }
        return id.names.get(id.names.size() - 1);
    }

    private static RequestException error(SqlNode node, String message) {
        SqlParserPos pos = node.getParserPosition();
        return invalid(METRICS_QUERY, message + " (line " + pos.getLineNum() + ", column " + pos.getColumnNum()
                + ")");
    }

    static String lower(String text) {
        return text.toLowerCase(Locale.ROOT);
    }

    static Set<String> set(List<String> list) {
        return new LinkedHashSet<>(list);
    }
}
