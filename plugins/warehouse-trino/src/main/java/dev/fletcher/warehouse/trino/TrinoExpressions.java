package dev.fletcher.warehouse.trino;

import dev.fletcher.catalog.syntax.Expression;
import dev.fletcher.catalog.syntax.ExpressionException;
import dev.fletcher.catalog.syntax.ExpressionParser;
import java.util.List;
import java.util.Map;

/**
 * Derived expressions in Trino's SQL: read by the expression language, written again with every operation
 * parenthesised, casts as {@code CAST(x AS type)}, fractional numbers as DOUBLE literals (a bare {@code 1.5} is a
 * DECIMAL in Trino), casts to an integer rounding halves to even as the language does, and the language's function
 * names as Trino's.
 */
final class TrinoExpressions {
    private static final Map<String, String> FUNCTIONS = Map.of("ifnull", "coalesce", "pow", "power");

    private TrinoExpressions() {
    }

    /** The expression in Trino's SQL; text the language does not read is left as written. */
    static String render(String text) {
        Expression expression;
        try {
            expression = ExpressionParser.parse(text);
        } catch (ExpressionException e) {
            return text;
        }
        StringBuilder sql = new StringBuilder();
        write(expression, sql);
        return sql.toString();
    }

    private static void write(Expression e, StringBuilder sql) {
        if (e instanceof Expression.Literal l) {
            literal(l.value(), sql);
        } else if (e instanceof Expression.Name n) {
            sql.append(n.quoted() ? '"' + n.name().replace("\"", "\"\"") + '"' : n.name());
        } else if (e instanceof Expression.Unary u) {
            sql.append(u.operator() == Expression.UnaryOperator.NEGATE ? "(-" : "(NOT ");
            write(u.operand(), sql);
            sql.append(')');
        } else if (e instanceof Expression.Binary b) {
            sql.append('(');
            write(b.left(), sql);
            sql.append(' ').append(b.operator().symbol()).append(' ');
            write(b.right(), sql);
            sql.append(')');
        } else if (e instanceof Expression.IsNull i) {
            sql.append('(');
            write(i.operand(), sql);
            sql.append(i.negated() ? " IS NOT NULL)" : " IS NULL)");
        } else if (e instanceof Expression.Between b) {
            sql.append('(');
            write(b.operand(), sql);
            sql.append(b.negated() ? " NOT BETWEEN " : " BETWEEN ");
            write(b.low(), sql);
            sql.append(" AND ");
            write(b.high(), sql);
            sql.append(')');
        } else if (e instanceof Expression.In in) {
            sql.append('(');
            write(in.operand(), sql);
            sql.append(in.negated() ? " NOT IN (" : " IN (");
            list(in.items(), sql);
            sql.append("))");
        } else if (e instanceof Expression.Case c) {
            sql.append("CASE");
            if (c.subject() != null) {
                sql.append(' ');
                write(c.subject(), sql);
            }
            for (Expression.When when : c.branches()) {
                sql.append(" WHEN ");
                write(when.when(), sql);
                sql.append(" THEN ");
                write(when.then(), sql);
            }
            if (c.otherwise() != null) {
                sql.append(" ELSE ");
                write(c.otherwise(), sql);
            }
            sql.append(" END");
        } else if (e instanceof Expression.Cast c && c.type() == Expression.CastType.LONG) {
            // Trino rounds halves away from zero when it casts a fraction to an integer; the language (as
            // PostgreSQL and DuckDB) rounds them to even. Through DOUBLE, whatever the operand's type.
            StringBuilder operand = new StringBuilder("CAST(");
            write(c.operand(), operand);
            String d = operand.append(" AS DOUBLE)").toString();
            sql.append("CAST(CASE WHEN abs(").append(d).append(" - truncate(").append(d).append(")) = 0.5E0 THEN 2 * round(")
                    .append(d).append(" / 2) ELSE round(").append(d).append(") END AS BIGINT)");
        } else if (e instanceof Expression.Cast c) {
            sql.append("CAST(");
            write(c.operand(), sql);
            sql.append(" AS ").append(type(c.type())).append(')');
        } else if (e instanceof Expression.Call call) {
            sql.append(FUNCTIONS.getOrDefault(call.function(), call.function())).append('(');
            list(call.arguments(), sql);
            sql.append(')');
        } else {
            throw new IllegalStateException("no Trino spelling for " + e);
        }
    }

    private static void list(List<Expression> items, StringBuilder sql) {
        for (int i = 0; i < items.size(); i++) {
            if (i > 0) {
                sql.append(", ");
            }
            write(items.get(i), sql);
        }
    }

    private static void literal(Object value, StringBuilder sql) {
        if (value == null) {
            sql.append("NULL");
        } else if (value instanceof Boolean b) {
            sql.append(b ? "TRUE" : "FALSE");
        } else if (value instanceof String s) {
            sql.append('\'').append(s.replace("'", "''")).append('\'');
        } else if (value instanceof Double d) {
            String text = Double.toString(d);
            sql.append(text.contains("E") ? text : text + "E0");
        } else {
            sql.append(value);
        }
    }

    private static String type(Expression.CastType type) {
        switch (type) {
            case DOUBLE:
                return "DOUBLE";
            case LONG:
                return "BIGINT";
            case STRING:
                return "VARCHAR";
            default:
                return "BOOLEAN";
        }
    }
}
