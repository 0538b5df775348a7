package dev.fletcher.engine.sql;

import java.util.ArrayList;
import java.util.List;

/**
 * One SELECT, built clause by clause. {@link #toString()} puts each clause on a line of its own, as the engine lays
 * out the common table expressions a reader inspects; {@link #inline()} keeps it on one line, for union branches
 * and scalar subqueries.
 */
final class Select {
    private final List<String> columns;
    private boolean distinct;
    private boolean columnPerLine;
    private String from;
    private final List<String> joins = new ArrayList<>();
    private final List<String> where = new ArrayList<>();
    private final List<String> groupBy = new ArrayList<>();

    private Select(List<String> columns) {
        if (columns.isEmpty()) {
            throw new IllegalArgumentException("a select needs at least one column");
        }
        this.columns = List.copyOf(columns);
    }

    static Select of(List<String> columns) {
        return new Select(columns);
    }

    static Select of(String... columns) {
        return new Select(List.of(columns));
    }

    Select distinct() {
        distinct = true;
        return this;
    }

    /** Each column on a line of its own: for wide outputs a reader scans down. */
    Select columnPerLine() {
        columnPerLine = true;
        return this;
    }

    /** A relation, with its alias and any joins that belong on the same line. */
    Select from(String relation) {
        from = relation;
        return this;
    }

    Select from(String relation, String alias) {
        return from(relation + " AS " + alias);
    }

    /** A rendered query as the relation read. */
    Select fromQuery(String sql, String alias) {
        return from(Sql.nested(sql), alias);
    }

    /** A whole join clause ({@code JOIN x AS y ON ...}), below the FROM. */
    Select join(String clause) {
        joins.add(clause);
        return this;
    }

    /** Conditions, ANDed with any given before. */
    Select where(List<String> conditions) {
        where.addAll(conditions);
        return this;
    }

    Select where(String condition) {
        return where(List.of(condition));
    }

    Select groupBy(List<String> expressions) {
        groupBy.addAll(expressions);
        return this;
    }

    @Override
    public String toString() {
        return render("\n");
    }

    String inline() {
        return render(" ");
    }

    private String render(String clauseBreak) {
        StringBuilder sql = new StringBuilder("SELECT ").append(distinct ? "DISTINCT " : "")
                .append(String.join(columnPerLine ? ",\n  " : ", ", columns));
        if (from != null) {
            sql.append(clauseBreak).append("FROM ").append(from);
        }
        joins.forEach(join -> sql.append(clauseBreak).append(join));
        if (!where.isEmpty()) {
            sql.append(clauseBreak).append("WHERE ").append(Sql.and(where));
        }
        if (!groupBy.isEmpty()) {
            sql.append(clauseBreak).append("GROUP BY ").append(String.join(", ", groupBy));
        }
        return sql.toString();
    }
}
