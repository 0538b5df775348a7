package dev.fletcher.warehouse.trino;

import dev.fletcher.catalog.syntax.Expression;
import dev.fletcher.catalog.syntax.ExpressionWriter;
import java.util.Map;

/**
 * Derived expressions in Trino's SQL: casts as {@code CAST(x AS type)}, fractional numbers as DOUBLE literals,
 * casts to an integer rounding halves to even as the language does, and the language's function names as Trino's.
 */
final class TrinoExpressions extends ExpressionWriter {
    private static final Map<String, String> FUNCTIONS = Map.of("ifnull", "coalesce", "pow", "power");
    private static final TrinoExpressions WRITER = new TrinoExpressions();

    private TrinoExpressions() {
    }

    /** The expression in Trino's SQL; text the language does not read is left as written. */
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
                return "VARCHAR";
            default:
                return "BOOLEAN";
        }
    }

    @Override
    protected String function(String name) {
        return FUNCTIONS.getOrDefault(name, name);
    }

    /**
     * Trino rounds halves away from zero when it casts a fraction to an integer; the language (as PostgreSQL and
     * DuckDB) rounds them to even. Through DOUBLE, whatever the operand's type.
     */
    @Override
    protected void cast(Expression.Cast cast, StringBuilder sql) {
        if (cast.type() != Expression.CastType.LONG) {
            super.cast(cast, sql);
            return;
        }
        StringBuilder operand = new StringBuilder("CAST(");
        write(cast.operand(), operand);
        String d = operand.append(" AS DOUBLE)").toString();
        sql.append("CAST(CASE WHEN abs(").append(d).append(" - truncate(").append(d).append(")) = 0.5E0 THEN 2 * round(")
                .append(d).append(" / 2) ELSE round(").append(d).append(") END AS BIGINT)");
    }
}
