package dev.fletcher.engine.sql;

import dev.fletcher.catalog.model.Aggregation;
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
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Renders the engine's primitive, an {@link AnchoredAggregate}, as common table expressions ending in one relation
 * with a row per anchor: the anchor's row id and one column per measure, named after it.
 *
 * <p>Shapes, chosen for scale (no correlated subqueries) and by capability, never by warehouse name:
 * <ul>
 *   <li>the source is read once, only over [min(anchor) + lowest offset, max(anchor) + highest offset];</li>
 *   <li>windowed aggregations: a range join of anchors and source rows on the keys and the window, grouped by
 *       anchor, each measure filtered to its own window and predicate;</li>
 *   <li>latest values (and {@code last}): with ASOF JOIN, one ASOF join per tie order whose inequality compares
 *       (event time, created time, tiebreak) keys, so ties need no separate deduplication pass; otherwise (or as known at the anchor, which ASOF cannot express) a sweep: source rows ranked
 *       by (key, event time, created time, tiebreak) merged with the anchors in order of the time each row becomes
 *       visible, the running maximum rank at each anchor naming its newest visible row.</li>
 * </ul>
 * Anchors without keys or time match no rows; count and sum give 0 for an anchor with no rows in its window.
 */
public final class AnchoredAggregateSql {
    /**
     * The anchor relation the aggregate is computed for.
     *
     * @param relation a relation (CTE) with one row per anchor
     * @param rowId    its unique row id column
     * @param time     its anchor-time column, a timestamp
     * @param keys     its key columns, in the order of the source's key columns
     * @param bounds   a one-row relation with {@code _fl_lo} and {@code _fl_hi}, the least and greatest anchor time
     * @param from     null, or a column of each anchor's own earliest event time: windows without a lower bound
     *                 start there (a metric's grain to date)
     * @param nullSafe keys match when both are null too (group keys of metrics, not entity keys)
     */
    public record Anchors(String relation, String rowId, String time, List<String> keys, String bounds, String from,
            boolean nullSafe) {
        public Anchors {
            keys = List.copyOf(keys);
        }

        public Anchors(String relation, String rowId, String time, List<String> keys, String bounds) {
            this(relation, rowId, time, keys, bounds, null, false);
        }
    }

    /** A one-row relation of the least and greatest anchor time, as {@link Anchors#bounds} is read. */
    public static String bounds(String anchors, String time) {
        return "SELECT MIN(" + time + ") AS _fl_lo, MAX(" + time + ") AS _fl_hi FROM " + anchors;
    }

    /** The rendered expressions; {@code relation} is the last one's name. */
    public record Rendered(List<Sql.Cte> ctes, String relation) {
    }

    private final AnchoredAggregate aggregate;
    private final Anchors anchors;
    private final Dialect dialect;
    private final String prefix;
    private final SourceScan source;
    private final Map<String, String> columns = new LinkedHashMap<>();
    private final Map<String, String> predicates = new LinkedHashMap<>();
    private final List<Sql.Cte> ctes = new ArrayList<>();

    private AnchoredAggregateSql(AnchoredAggregate aggregate, Anchors anchors, Dialect dialect, String prefix) {
        this.aggregate = aggregate;
        this.anchors = anchors;
        this.dialect = dialect;
        this.prefix = prefix;
        this.source = aggregate.source();
        if (anchors.keys().size() != source.keyColumns().size()) {
            throw new IllegalArgumentException("anchors have " + anchors.keys().size() + " keys, source '"
                    + source.name() + "' " + source.keyColumns().size());
        }
    }

    /**
     * Renders the aggregate.
     *
     * @param prefix names every expression rendered here ({@code prefix_src}, ..., and {@code prefix} itself)
     * @throws dev.fletcher.spi.NotSupportedException when a measure needs what the warehouse lacks
     */
    public static Rendered render(AnchoredAggregate aggregate, Anchors anchors, Dialect dialect, String prefix) {
        return new AnchoredAggregateSql(aggregate, anchors, dialect, prefix).render();
    }

    private Rendered render() {
        for (Measure measure : aggregate.measures()) {
            if (measure instanceof Measure.Windowed w && w.column() != null) {
                column(w.column());
            } else if (measure instanceof Measure.Latest l) {
                column(l.column());
                l.tiebreak().forEach(this::column);
            }
            if (measure.filter() != null) {
                predicates.computeIfAbsent(measure.filter(), f -> "_fl_p" + predicates.size());
            }
        }
        String src = prefix + "_src";
        // Folded into each reader rather than computed once: each join then scans the table itself, so the
        // warehouse pushes the join's key and time-range filters into that scan instead of first copying every
        // source row into a temporary result.
        ctes.add(Sql.Cte.inlined(src, sourceSql()));

        List<String> joins = new ArrayList<>();
        Map<String, String> values = new LinkedHashMap<>();
        List<Measure.Windowed> windowed = aggregate.windowed();
        if (!windowed.isEmpty()) {
            String win = prefix + "_win";
            ctes.add(new Sql.Cte(win, windowedSql(src, windowed)));
            joins.add("LEFT JOIN " + win + " AS w ON w._fl_row = a." + anchors.rowId());
            for (int i = 0; i < windowed.size(); i++) {
                Measure.Windowed m = windowed.get(i);
                String value = "w._fl_m" + i;
                values.put(m.name(), m.aggregation().isZeroWhenEmpty() ? "COALESCE(" + value + ", 0)" : value);
            }
        }
        Map<LatestPass, List<Measure.Latest>> passes = new LinkedHashMap<>();
        for (Measure.Latest latest : aggregate.latest()) {
            passes.computeIfAbsent(new LatestPass(latest.filter(), latest.tiebreak(), latest.window().upper().inclusive()),
                    p -> new ArrayList<>()).add(latest);
        }
        boolean asof = dialect.capabilities().asofJoin() && !aggregate.usesCreatedTime();
        List<String> asofJoins = new ArrayList<>();
        Set<Boolean> anchorOrders = new TreeSet<>();
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
                        + (lower.inclusive() ? ">= " : "> ") + anchorShifted(lower.offsetSeconds()) + " THEN " + value
                        + " END");
            }
        }
        StringBuilder select = new StringBuilder("SELECT a." + anchors.rowId() + " AS _fl_row");
        for (Measure measure : aggregate.measures()) {
            select.append(",\n  ").append(values.get(measure.name())).append(" AS ")
                    .append(dialect.quoteIdentifier(measure.name()));
        }
        if (asofJoins.isEmpty()) {
            select.append("\nFROM ").append(anchors.relation()).append(" AS a");
        } else {
            // ASOF joins keep each anchor exactly once, so they chain straight onto the anchors (no join back on the
            // row id); each anchor carries the ordering key its passes compare with.
            StringBuilder keyed = new StringBuilder("SELECT *");
            for (boolean inclusive : anchorOrders) {
                keyed.append(", CASE WHEN ").append(anchors.time()).append(" IS NOT NULL THEN ROW(").append(anchors.time())
                        .append(", ").append(inclusive ? 1 : 0).append(", NULL) END AS ").append(anchorOrder(inclusive));
            }
            select.append("\nFROM (").append(keyed).append(" FROM ").append(anchors.relation()).append(") AS a");
            asofJoins.forEach(join -> select.append('\n').append(join));
        }
        joins.forEach(join -> select.append('\n').append(join));
        ctes.add(new Sql.Cte(prefix, select.toString()));
        return new Rendered(List.copyOf(ctes), prefix);
    }

    /** The tied-row order and visibility a latest-value lookup shares with others. */
    private record LatestPass(String filter, List<String> tiebreak, boolean upperInclusive) {
    }

    private void column(String name) {
        columns.computeIfAbsent(name, n -> "_fl_c" + columns.size());
    }

    private String sourceSql() {
        List<String> select = new ArrayList<>();
        for (int i = 0; i < source.keyColumns().size(); i++) {
            select.add("s." + q(source.keyColumns().get(i)) + " AS _fl_k" + i);
        }
        select.add(Sql.timestamp(dialect, "s." + q(source.timestamp())) + " AS _fl_ts");
        if (source.createdTimestamp() != null) {
            select.add(Sql.timestamp(dialect, "s." + q(source.createdTimestamp())) + " AS _fl_ct");
        }
        columns.forEach((column, alias) -> select.add("s." + q(column) + " AS " + alias));
        predicates.forEach((filter, alias) -> select.add("(" + filter + ") AS " + alias));
        // Read only the event times some anchor can see; compared on the raw column so an index on it serves.
        RelativeWindow scan = aggregate.scanWindow();
        String ts = "s." + q(source.timestamp());
        List<String> where = new ArrayList<>();
        if (scan.lower() != null) {
            where.add(ts + " >= (SELECT " + Sql.shifted(dialect, "_fl_lo", scan.lower().offsetSeconds()) + " FROM "
                    + anchors.bounds() + ")");
        }
        where.add(ts + " <= (SELECT " + Sql.shifted(dialect, "_fl_hi", scan.upper().offsetSeconds()) + " FROM "
                + anchors.bounds() + ")");
        return Select.of(select).columnPerLine().from(Sql.relation(dialect, source), "s").where(where).toString();
    }

    private String windowedSql(String src, List<Measure.Windowed> windowed) {
        RelativeWindow join = hull(windowed.stream().map(Measure::window).toList());
        List<String> on = keyMatch("s");
        if (join.lower() != null) {
            on.add(lowerCondition("s._fl_ts", join.lower()));
        } else if (anchors.from() != null) {
            on.add("s._fl_ts >= a." + anchors.from());
        }
        on.add(upperCondition("s._fl_ts", join.upper()));
        if (aggregate.usesCreatedTime()) {
            on.add(visibleCondition());
        }
        StringBuilder sql = new StringBuilder("SELECT a." + anchors.rowId() + " AS _fl_row");
        for (int i = 0; i < windowed.size(); i++) {
            Measure.Windowed m = windowed.get(i);
            List<String> conditions = new ArrayList<>();
            if (m.filter() != null) {
                conditions.add("s." + predicates.get(m.filter()));
            }
            if (m.window().lower() != null && !Objects.equals(m.window().lower(), join.lower())) {
                conditions.add(lowerCondition("s._fl_ts", m.window().lower()));
            }
            if (!Objects.equals(m.window().upper(), join.upper())) {
                conditions.add(upperCondition("s._fl_ts", m.window().upper()));
            }
            sql.append(",\n  ").append(aggregation(m, conditions)).append(" AS _fl_m").append(i);
        }
        return sql.append("\nFROM ").append(anchors.relation()).append(" AS a\nJOIN ").append(src).append(" AS s ON ")
                .append(Sql.and(on)).append("\nGROUP BY a.").append(anchors.rowId()).toString();
    }

    private String aggregation(Measure.Windowed m, List<String> conditions) {
        return aggregation(m, m.column() == null ? null : "s." + columns.get(m.column()), conditions, dialect);
    }

    /**
     * A windowed measure's aggregation of {@code value} (null for a count of rows) over the rows meeting every
     * condition: the one spelling of each aggregation that every use of the engine shares. Over no rows, count
     * gives 0 and every other aggregation null.
     */
    public static String aggregation(Measure.Windowed m, String column, List<String> conditions, Dialect dialect) {
        String value = column == null ? "1" : column;
        String x = conditions.isEmpty() ? value : "CASE WHEN " + Sql.and(conditions) + " THEN " + value + " END";
        boolean text = m.kind() == ColumnKind.STRING;
        Aggregation aggregation = m.aggregation();
        return switch (aggregation) {
            case COUNT -> "CAST(" + (column == null && conditions.isEmpty() ? "COUNT(*)" : "COUNT(" + x + ")")
                    + " AS BIGINT)";
            case COUNT_DISTINCT -> "CAST(COUNT(DISTINCT " + x + ") AS BIGINT)";
            case SUM -> m.kind() == ColumnKind.INTEGER ? "CAST(SUM(" + x + ") AS BIGINT)"
                    : dialect.castToDouble("SUM(" + x + ")");
            case AVG -> "AVG(" + dialect.castToDouble(x) + ")";
            case MIN -> "MIN(" + (text ? Sql.bytewise(x) : x) + ")";
            case MAX -> "MAX(" + (text ? Sql.bytewise(x) : x) + ")";
            case STDDEV -> "STDDEV_SAMP(" + dialect.castToDouble(x) + ")";
            case VARIANCE -> "VAR_SAMP(" + dialect.castToDouble(x) + ")";
            case APPROX_PERCENTILE -> dialect.approxPercentile(dialect.castToDouble(x), m.percentile());
            case LAST -> throw new IllegalStateException("last is rendered as a latest-value lookup");
        };
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
        return source.kindOf(column) == ColumnKind.STRING ? Sql.bytewise(alias) : alias;
    }

    private List<String> keyColumns() {
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < source.keyColumns().size(); i++) {
            keys.add("_fl_k" + i);
        }
        return keys;
    }

    private List<String> keyMatch(String alias) {
        List<String> on = new ArrayList<>();
        for (int i = 0; i < anchors.keys().size(); i++) {
            on.add(alias + "._fl_k" + i + (anchors.nullSafe() ? " IS NOT DISTINCT FROM a." : " = a.")
                    + anchors.keys().get(i));
        }
        return on;
    }

    private String visibleCondition() {
        return "(s._fl_ct IS NULL OR s._fl_ct <= a." + anchors.time() + ")";
    }

    private String lowerCondition(String column, RelativeWindow.Bound lower) {
        return column + (lower.inclusive() ? " >= " : " > ") + anchorShifted(lower.offsetSeconds());
    }

    private String upperCondition(String column, RelativeWindow.Bound upper) {
        return column + (upper.inclusive() ? " <= " : " < ") + anchorShifted(upper.offsetSeconds());
    }

    private String anchorShifted(long seconds) {
        return Sql.shifted(dialect, "a." + anchors.time(), seconds);
    }

    /** The smallest window holding all of them. */
    private static RelativeWindow hull(List<RelativeWindow> windows) {
        boolean unbounded = windows.stream().anyMatch(w -> w.lower() == null);
        RelativeWindow.Bound lower = null;
        RelativeWindow.Bound upper = null;
        for (RelativeWindow w : windows) {
            if (!unbounded && (lower == null || w.lower().offsetSeconds() < lower.offsetSeconds()
                    || (w.lower().offsetSeconds() == lower.offsetSeconds() && w.lower().inclusive()))) {
                lower = w.lower();
            }
            if (upper == null || w.upper().offsetSeconds() > upper.offsetSeconds()
                    || (w.upper().offsetSeconds() == upper.offsetSeconds() && w.upper().inclusive())) {
                upper = w.upper();
            }
        }
        return new RelativeWindow(lower, upper);
    }

    private String q(String identifier) {
        return dialect.quoteIdentifier(identifier);
    }
}
