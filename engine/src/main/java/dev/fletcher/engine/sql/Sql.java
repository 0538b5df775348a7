package dev.fletcher.engine.sql;

import dev.fletcher.catalog.model.Source;
import dev.fletcher.engine.plan.PlanException;
import dev.fletcher.engine.plan.SourceScan;
import dev.fletcher.engine.plan.UserSql;
import dev.fletcher.spi.warehouse.Dialect;
import java.util.List;

/** Small spelling helpers shared by the engine's renderers; everything a warehouse may spell differently is a hook. */
public final class Sql {
    private Sql() {
    }

    /**
     * A common table expression: {@code name AS (sql)}; {@code materialized} computes it once, {@code inlined}
     * ({@code NOT MATERIALIZED}) folds it into every reference, otherwise the warehouse decides.
     */
    public record Cte(String name, String sql, boolean materialized, boolean inlined) {
        public Cte {
            if (materialized && inlined) {
                throw new IllegalArgumentException("CTE " + name + " cannot be both materialized and inlined");
            }
        }

        public Cte(String name, String sql, boolean materialized) {
            this(name, sql, materialized, false);
        }

        public Cte(String name, String sql) {
            this(name, sql, false, false);
        }

        public static Cte inlined(String name, String sql) {
            return new Cte(name, sql, false, true);
        }
    }

    /** The CTEs and the select; materialization hints only where the dialect takes them. */
    public static String with(Dialect dialect, List<Cte> ctes, String select) {
        boolean hints = dialect.materializedCtes();
        StringBuilder sql = new StringBuilder("WITH ");
        for (int i = 0; i < ctes.size(); i++) {
            Cte cte = ctes.get(i);
            sql.append(i == 0 ? "" : ",\n").append(cte.name()).append(" AS ")
                    .append(!hints ? "" : cte.materialized() ? "MATERIALIZED " : cte.inlined() ? "NOT MATERIALIZED " : "")
                    .append("(\n")
                    .append(indent(cte.sql())).append("\n)");
        }
        return sql.append('\n').append(select).toString();
    }

    public static String indent(String sql) {
        return "  " + sql.replace("\n", "\n  ");
    }

    /** The dialect's row number over select items ({@code expression AS alias}), told apart by their expressions. */
    public static String rowNumber(Dialect dialect, List<String> selectItems) {
        List<String> expressions = new java.util.ArrayList<>();
        for (String item : selectItems) {
            int as = item.lastIndexOf(" AS ");
            expressions.add(as < 0 ? item : item.substring(0, as));
        }
        return dialect.rowNumber(expressions);
    }

    public static String timestamp(Dialect dialect, String expression) {
        return "CAST(" + expression + " AS " + dialect.timestampType() + ")";
    }

    /** expression + offset seconds, or the expression itself for 0. */
    public static String shifted(Dialect dialect, String expression, long seconds) {
        return seconds == 0 ? expression : dialect.addSeconds(expression, seconds);
    }

    /** A catalog author's query as a relation: trailing semicolons dropped, wrapped in parentheses. */
    public static String subquery(String sql) {
        String body = sql.strip();
        while (body.endsWith(";")) {
            body = body.substring(0, body.length() - 1).strip();
        }
        return nested(body);
    }

    /** A query the engine rendered, as a relation: parenthesised on lines of its own, indented. */
    public static String nested(String sql) {
        return "(\n" + indent(sql) + "\n)";
    }

    /**
     * A source as a relation: its table, checked and quoted by the dialect, or its author's query, checked to be one
     * query (a source stored before the check existed is refused here rather than run).
     *
     * @throws PlanException when the source's SQL is not one query
     */
    public static String relation(Dialect dialect, Source source) {
        return relation(dialect, source.name(), source.table(), source.sql());
    }

    public static String relation(Dialect dialect, SourceScan scan) {
        return relation(dialect, scan.name(), scan.table(), scan.sql());
    }

    private static String relation(Dialect dialect, String name, String table, String sql) {
        if (table != null) {
            return dialect.tableName(table);
        }
        UserSql.check("source `" + name + "`", sql);
        return subquery(sql);
    }

    public static String and(List<String> conditions) {
        return String.join(" AND ", conditions);
    }
}
