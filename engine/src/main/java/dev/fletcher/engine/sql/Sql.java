package dev.fletcher.engine.sql;

import dev.fletcher.catalog.model.Source;
import dev.fletcher.engine.plan.SourceScan;
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

    public static String with(Dialect dialect, List<Cte> ctes, String select) {
        StringBuilder sql = new StringBuilder("WITH ");
        for (int i = 0; i < ctes.size(); i++) {
            Cte cte = ctes.get(i);
            sql.append(i == 0 ? "" : ",\n").append(cte.name()).append(" AS ")
                    .append(dialect.cteHint(cte.materialized(), cte.inlined())).append("(\n")
                    .append(indent(cte.sql())).append("\n)");
        }
        return sql.append('\n').append(select).toString();
    }

    public static String indent(String sql) {
        return "  " + sql.replace("\n", "\n  ");
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

    /** A source as a relation: its table, checked and quoted by the dialect, or its author's query. */
    public static String relation(Dialect dialect, Source source) {
        return relation(dialect, source.table(), source.sql());
    }

    public static String relation(Dialect dialect, SourceScan scan) {
        return relation(dialect, scan.table(), scan.sql());
    }

    private static String relation(Dialect dialect, String table, String sql) {
        return table != null ? dialect.tableName(table) : subquery(sql);
    }

    public static String and(List<String> conditions) {
        return String.join(" AND ", conditions);
    }
}
