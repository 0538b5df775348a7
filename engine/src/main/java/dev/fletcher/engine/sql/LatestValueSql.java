package dev.fletcher.engine.sql;

import dev.fletcher.engine.plan.AnchoredAggregate;
import dev.fletcher.engine.plan.ColumnKind;
import dev.fletcher.engine.plan.Measure;
import dev.fletcher.engine.plan.RelativeWindow;
import dev.fletcher.engine.plan.SourceScan;
import dev.fletcher.spi.warehouse.Dialect;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The latest-value measures of an {@link AnchoredAggregateSql} (and {@code last}), one pass per tie order and
 * visibility they share: with ASOF JOIN, a join chained onto the anchors; otherwise (or as known at the anchor,
 * which ASOF cannot express) a sweep joined back on the anchor's row id.
 */
final class LatestValueSql {
    private final AnchoredAggregate aggregate;
    private final AnchoredAggregateSql.Anchors anchors;
    private final Dialect dialect;
    private final String prefix;
    private final SourceScan source;
    private final Map<String, String> columns;
    private final Map<String, String> predicates;
    private final List<Sql.Cte> ctes;
    private final List<String> asofJoins = new ArrayList<>();
    private final Set<Boolean> anchorOrders = new TreeSet<>();

    /**
     * @param columns    the source columns the source relation {@code <prefix>_src} carries, by their aliases there
     * @param predicates the measure filters it carries as columns, likewise
     * @param ctes       where the passes' expressions are added
     */
    LatestValueSql(AnchoredAggregate aggregate, AnchoredAggregateSql.Anchors anchors, Dialect dialect, String prefix,
            Map<String, String> columns, Map<String, String> predicates, List<Sql.Cte> ctes) {
        this.aggregate = aggregate;
        this.anchors = anchors;
        this.dialect = dialect;
        this.prefix = prefix;
        this.source = aggregate.source();
        this.columns = columns;
        this.predicates = predicates;
        this.ctes = ctes;
    }

    /**
     * Renders every pass.
     *
     * @param values receives each latest-value measure's value, for the anchors aliased {@code a}
     * @param joins  receives the joins of sweep passes back onto the anchors
     */
    void render(Map<String, String> values, List<String> joins) {
        Map<LatestPass, List<Measure.Latest>> passes = new LinkedHashMap<>();
        for (Measure.Latest latest : aggregate.latest()) {
            passes.computeIfAbsent(new LatestPass(latest.filter(), latest.tiebreak(),
                    latest.window().upper().inclusive()), p -> new ArrayList<>()).add(latest);
        }
        boolean asof = dialect.capabilities().asofJoin() && !aggregate.usesCreatedTime();
        int passNumber = 0;
        for (Map.Entry<LatestPass, List<Measure.Latest>> pass : passes.entrySet()) {
            String name = prefix + "_l" + passNumber;
            String alias = "l" + passNumber;
            passNumber++;
            if (asof) {
                asofJoins.add(asofSql(name, alias, pass.getKey(), pass.getValue()));
                anchorOrders.add(pass.getKey().upperInclusive());
            } else {
                latestSql(name, pass.getKey(), pass.getValue());
                joins.add("LEFT JOIN " + name + " AS " + alias + " ON " + alias + "._fl_row = a." + anchors.rowId());
            }
            for (Measure.Latest m : pass.getValue()) {
                String value = alias + "." + columns.get(m.column());
                RelativeWindow.Bound lower = m.window().lower();
                values.put(m.name(), lower == null ? value : "CASE WHEN " + alias + "._fl_ts "
                        + (lower.inclusive() ? ">= " : "> ") + Sql.shifted(dialect, "a." + anchors.time(),
                        lower.offsetSeconds()) + " THEN " + value + " END");
            }
        }
    }

    /**
     * The anchors as the aggregate's last expression reads them, aliased {@code a}. ASOF joins keep each anchor
     * exactly once, so they chain straight onto the anchors (no join back on the row id); each anchor then carries
     * the ordering key its passes compare with.
     */
    String anchorRelation() {
        if (asofJoins.isEmpty()) {
            return anchors.relation() + " AS a";
        }
        List<String> keyed = new ArrayList<>(List.of("*"));
        for (boolean inclusive : anchorOrders) {
            keyed.add("CASE WHEN " + anchors.time() + " IS NOT NULL THEN ROW(" + anchors.time() + ", "
                    + (inclusive ? 1 : 0) + ", NULL) END AS " + anchorOrder(inclusive));
        }
        return "(" + Select.of(keyed).from(anchors.relation()).inline() + ") AS a";
    }

    /** The ASOF joins onto {@link #anchorRelation()}, in pass order. */
    List<String> asofJoins() {
        return asofJoins;
    }

    /** The tied-row order and visibility a latest-value lookup shares with others. */
    private record LatestPass(String filter, List<String> tiebreak, boolean upperInclusive) {
    }


    private static String anchorOrder(boolean inclusive) {
        return inclusive ? "_fl_o1" : "_fl_o0";
    }

    /**
     * A latest-value pass as one ASOF join with no separate deduplication: each source row carries the ordering key
     * (event time, side, (created time, tiebreak columns)), each anchor (its time, side, null), and the join takes
     * per key the greatest source key not above the anchor's: the newest visible row, ties on event time going to
     * the newest created time and then the tiebreak columns (each led by a not-null flag, so nulls rank lowest as
     * everywhere else). The side puts source rows at the anchor's own time below the anchor when that time counts
     * and above it when it does not, and so decides every comparison before the anchor's null is reached.
     *
     * @return the join clause, for the anchors aliased {@code a}
     */
    private String asofSql(String name, String alias, LatestPass pass, List<Measure.Latest> measures) {
        String rows = name + "_rows";
        String filter = pass.filter() == null ? null : predicates.get(pass.filter());
        List<String> fetched = new ArrayList<>(keyColumns());
        fetched.add("_fl_ts");
        for (Measure.Latest m : measures) {
            String column = columns.get(m.column());
            if (!fetched.contains(column)) {
                fetched.add(column);
            }
        }
        List<String> ties = new ArrayList<>();
        if (source.createdTimestamp() != null) {
            ties.add("_fl_ct IS NOT NULL");
            ties.add("_fl_ct");
        }
        for (String column : pass.tiebreak()) {
            ties.add(columns.get(column) + " IS NOT NULL");
            ties.add(ordered(column));
        }
        String order = "ROW(_fl_ts, " + (pass.upperInclusive() ? 0 : 1) + ", ROW(" + String.join(", ", ties) + "))";
        ctes.add(new Sql.Cte(rows, "SELECT " + String.join(", ", fetched) + ", " + order + " AS _fl_o\nFROM "
                + prefix + "_src" + (filter == null ? "" : "\nWHERE " + filter)));
        List<String> on = new ArrayList<>();
        for (int i = 0; i < anchors.keys().size(); i++) {
            on.add("a." + anchors.keys().get(i) + " = " + alias + "._fl_k" + i);
        }
        on.add("a." + anchorOrder(pass.upperInclusive()) + " >= " + alias + "._fl_o");
        return "ASOF LEFT JOIN " + rows + " AS " + alias + " ON " + Sql.and(on);
    }

    private void latestSql(String name, LatestPass pass, List<Measure.Latest> measures) {
        String rows = name + "_rows";
        String src = prefix + "_src";
        String filter = pass.filter() == null ? null : predicates.get(pass.filter());
        List<String> fetched = new ArrayList<>();
        fetched.add("_fl_ts");
        for (Measure.Latest m : measures) {
            String alias = columns.get(m.column());
            if (!fetched.contains(alias)) {
                fetched.add(alias);
            }
        }
        List<String> order = new ArrayList<>(keyColumns());
        order.add("_fl_ts");
        if (source.createdTimestamp() != null) {
            order.add("_fl_ct NULLS FIRST");
        }
        for (String column : pass.tiebreak()) {
            order.add(ordered(column) + " NULLS FIRST");
        }
        ctes.add(new Sql.Cte(rows, "SELECT *, row_number() OVER (ORDER BY " + String.join(", ", order)
                + ") AS _fl_rank\nFROM " + src + (filter == null ? "" : "\nWHERE " + filter)));
        // A row becomes visible at its event time, or as known at the anchor once it is also created.
        String visible = aggregate.usesCreatedTime() ? "CASE WHEN _fl_ct > _fl_ts THEN _fl_ct ELSE _fl_ts END" : "_fl_ts";
        // At equal times source rows sort before anchors when the anchor's own time counts, after when it does not.
        String sourceSide = pass.upperInclusive() ? "0" : "1";
        String anchorSide = pass.upperInclusive() ? "1" : "0";
        List<String> anchorKeys = new ArrayList<>();
        List<String> notNull = new ArrayList<>();
        for (String key : anchors.keys()) {
            anchorKeys.add(key);
            notNull.add(key + " IS NOT NULL");
        }
        notNull.add(anchors.time() + " IS NOT NULL");
        String sweep = name + "_sweep";
        ctes.add(new Sql.Cte(sweep, "SELECT _fl_row, _fl_side, MAX(_fl_rank) OVER (PARTITION BY "
                + String.join(", ", keyColumns()) + " ORDER BY _fl_at, _fl_side"
                + " ROWS UNBOUNDED PRECEDING) AS _fl_best\nFROM (\n  SELECT " + String.join(", ", keyColumns()) + ", "
                + visible + " AS _fl_at, " + sourceSide + " AS _fl_side, _fl_rank, CAST(NULL AS BIGINT) AS _fl_row FROM "
                + rows + "\n  UNION ALL\n  SELECT " + aliasList(anchorKeys) + ", " + anchors.time() + ", " + anchorSide
                + ", CAST(NULL AS BIGINT), " + anchors.rowId() + " FROM " + anchors.relation() + " WHERE "
                + Sql.and(notNull) + "\n) AS u"));
        ctes.add(new Sql.Cte(name, "SELECT w._fl_row, " + String.join(", ", fetched.stream().map(c -> "l." + c).toList())
                + "\nFROM " + sweep + " AS w\nLEFT JOIN " + rows + " AS l ON l._fl_rank = w._fl_best\nWHERE w._fl_side = "
                + anchorSide));
    }

    private String aliasList(List<String> anchorKeys) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < anchorKeys.size(); i++) {
            out.add(anchorKeys.get(i) + " AS _fl_k" + i);
        }
        return String.join(", ", out);
    }

    private String ordered(String column) {
        String alias = columns.get(column);
        return source.kindOf(column) == ColumnKind.STRING ? dialect.bytewise(alias) : alias;
    }

    private List<String> keyColumns() {
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < source.keyColumns().size(); i++) {
            keys.add("_fl_k" + i);
        }
        return keys;
    }
}
