package dev.fletcher.catalog.syntax;

import java.util.List;

/**
 * Writes a derived expression again as SQL, every operation parenthesised, for a warehouse whose SQL spells the
 * language differently: a subclass names its types, quotes its names, and spells casts, literals and functions
 * its own way. Text the language does not read is left as written.
 */
public abstract class ExpressionWriter {
    /** The expression in this warehouse's SQL. */
    public String write(String text) {
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

    /** The warehouse's name of a cast's target type. */
    protected abstract String type(Expression.CastType type);

    /** A quoted name as the warehouse quotes it. */
    protected String quoted(String name) {
        return '"' + name.replace("\"", "\"\"") + '"';
    }

    /** A function of the language under the warehouse's name for it. */
    protected String function(String name) {
        return name;
    }

    /** A cast; a subclass spells the ones its warehouse does differently (rounding to an integer, say). */
    protected void cast(Expression.Cast cast, StringBuilder sql) {
        sql.append("CAST(");
        write(cast.operand(), sql);
        sql.append(" AS ").append(type(cast.type())).append(')');
    }

    /** A number with a fraction, as a 64-bit float literal (a bare {@code 1.5} is a DECIMAL in many warehouses). */
    protected void doubleLiteral(double value, StringBuilder sql) {
        String text = Double.toString(value);
        sql.append(text.contains("E") ? text : text + "E0");
    }

    protected final void write(Expression e, StringBuilder sql) {
        if (e instanceof Expression.Literal l) {
            literal(l.value(), sql);
        } else if (e instanceof Expression.Name n) {
            sql.append(n.quoted() ? quoted(n.name()) : n.name());
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
            caseWhen(c, sql);
        } else if (e instanceof Expression.Cast c) {
            cast(c, sql);
        } else if (e instanceof Expression.Call call) {
            sql.append(function(call.function())).append('(');
            list(call.arguments(), sql);
            sql.append(')');
        } else {
            throw new IllegalStateException("no spelling for " + e);
        }
    }

    private void caseWhen(Expression.Case c, StringBuilder sql) {
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
    }

    private void list(List<Expression> items, StringBuilder sql) {
        for (int i = 0; i < items.size(); i++) {
            if (i > 0) {
                sql.append(", ");
            }
            write(items.get(i), sql);
        }
    }

    private void literal(Object value, StringBuilder sql) {
        if (value == null) {
            sql.append("NULL");
        } else if (value instanceof Boolean b) {
            sql.append(b ? "TRUE" : "FALSE");
        } else if (value instanceof String s) {
            sql.append('\'').append(s.replace("'", "''")).append('\'');
        } else if (value instanceof Double d) {
            doubleLiteral(d, sql);
        } else {
            sql.append(value);
        }
    }
}
