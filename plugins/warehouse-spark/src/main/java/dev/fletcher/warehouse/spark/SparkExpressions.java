package dev.fletcher.warehouse.spark;

import dev.fletcher.catalog.syntax.Expression;
import dev.fletcher.catalog.syntax.ExpressionWriter;

/**
 * Derived expressions in Spark SQL: its type names ({@code STRING}, since Spark's VARCHAR needs a length),
 * backtick-quoted names, fractional numbers as DOUBLE literals (a bare {@code 1.5} is a DECIMAL in Spark), and casts
 * to an integer rounding halves to even as the language does (Spark's own cast truncates).
 */
final class SparkExpressions extends ExpressionWriter {
    private static final SparkExpressions WRITER = new SparkExpressions();

    private SparkExpressions() {
    }

    /** The expression in Spark's SQL; text the language does not read is left as written. */
    static String render(String text) {
        return WRITER.write(text);
    }

    @Override
    protected String type(Expression.CastType type) {
        switch (type) {
            case DOUBLE:
                return "DOUBLE";
            case LONG:
                return "BIGINT";
            case STRING:
                return "STRING";
            default:
                return "BOOLEAN";
        }
    }

    @Override
    protected String quoted(String name) {
        return '`' + name.replace("`", "``") + '`';
    }

    @Override
    protected void cast(Expression.Cast cast, StringBuilder sql) {
        if (cast.type() != Expression.CastType.LONG) {
            super.cast(cast, sql);
            return;
        }
        sql.append("CAST(bround(CAST(");
        write(cast.operand(), sql);
        sql.append(" AS DOUBLE), 0) AS BIGINT)");
    }
}
