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

/**
 * Renders the engine's primitive, an {@link AnchoredAggregate}, as common table expressions ending in one relation
 * with a row per anchor: the anchor's row id and one column per measure, named after it.
 *
 * <p>Shapes, chosen for scale (no correlated subqueries) and by capability, never by warehouse name:
 * <ul>
 *   <li>the source is read once, only over [min(anchor) + lowest offset, max(anchor) + highest offset];</li>
 *   <li>windowed aggregations: a range join of anchors and source rows on the keys and the window, grouped by
 *       anchor, each measure filtered to its own window and predicate;</li>
 *   <li>latest values (and {@code last}), by {@link LatestValueSql}: with ASOF JOIN, one ASOF join per tie order
 *       whose inequality compares (event time, created time, tiebreak) keys, so ties need no separate deduplication
 *       pass; otherwise (or as known at the anchor, which ASOF cannot express) a sweep: source rows ranked by (key,
 *       event time, created time, tiebreak) merged with the anchors in order of the time each row becomes visible,
 *       the running maximum rank at each anchor naming its newest visible row.</li>
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
        LatestValueSql latest = new LatestValueSql(aggregate, anchors, dialect, prefix, columns, predicates, ctes);
        latest.render(values, joins);
        List<String> select = new ArrayList<>(List.of("a." + anchors.rowId() + " AS _fl_row"));
        for (Measure measure : aggregate.measures()) {
            select.add(values.get(measure.name()) + " AS " + dialect.quoteIdentifier(measure.name()));
        }
        Select rendered = Select.of(select).columnPerLine().from(latest.anchorRelation());
        latest.asofJoins().forEach(rendered::join);
        joins.forEach(rendered::join);
        ctes.add(new Sql.Cte(prefix, rendered.toString()));
        return new Rendered(List.copyOf(ctes), prefix);
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
            case MIN -> "MIN(" + (text ? dialect.bytewise(x) : x) + ")";
            case MAX -> "MAX(" + (text ? dialect.bytewise(x) : x) + ")";
            case STDDEV -> "STDDEV_SAMP(" + dialect.castToDouble(x) + ")";
            case VARIANCE -> "VAR_SAMP(" + dialect.castToDouble(x) + ")";
            case APPROX_PERCENTILE -> dialect.approxPercentile(dialect.castToDouble(x), m.percentile());
            case LAST -> throw new IllegalStateException("last is rendered as a latest-value lookup");
        };
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
