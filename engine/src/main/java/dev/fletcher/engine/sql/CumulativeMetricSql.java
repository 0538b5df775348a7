package dev.fletcher.engine.sql;

import dev.fletcher.catalog.model.Aggregation;
import dev.fletcher.catalog.model.Grain;
import dev.fletcher.engine.plan.AnchoredAggregate;
import dev.fletcher.engine.plan.Column;
import dev.fletcher.engine.plan.ColumnKind;
import dev.fletcher.engine.plan.Measure;
import dev.fletcher.engine.plan.MetricPlan;
import dev.fletcher.engine.plan.RelativeWindow;
import dev.fletcher.engine.plan.SourceScan;
import dev.fletcher.spi.warehouse.Dialect;
import java.util.ArrayList;
import java.util.List;

/**
 * A cumulative metric: an {@link AnchoredAggregate} whose anchors are the buckets of each group, at each bucket's
 * end, with a trailing window (or one starting at the coarser grain's start). The buckets span the rows of every
 * part, so a bucket whose window has rows appears even when the bucket itself has none.
 */
final class CumulativeMetricSql {
    private CumulativeMetricSql() {
    }

    static String render(MetricPlan.Cumulative node, MetricRender m) {
        MetricPlan plan = m.plan();
        Dialect dialect = m.dialect();
        Grain grain = plan.grain();
        List<MetricPlan.Simple> parts = node.input() instanceof MetricPlan.Ratio ratio
                ? List.of(ratio.numerator(), ratio.denominator()) : List.of((MetricPlan.Simple) node.input());
        List<MetricRows> partRows = parts.stream().map(p -> m.rows(p.source())).toList();
        String prefix = m.name("cumulative");

        List<Object> spineParameters = new ArrayList<>();
        List<String> times = partRows.stream().map(r -> Select.of(SourceRows.TS).from(r.relation()).inline()).toList();
        String spine = prefix + "_spine";
        m.add(new Sql.Cte(spine, MetricAssembly.spine(m, plan.readStart(), plan.query().end(),
                String.join(" UNION ALL ", times), spineParameters)), spineParameters);
        List<String> groupKeys = m.nonTimeKeys();
        String groups = null;
        if (!groupKeys.isEmpty()) {
            groups = prefix + "_groups";
            List<String> branches = new ArrayList<>();
            for (MetricRows r : partRows) {
                List<String> select = new ArrayList<>();
                for (int i = 0; i < m.dimensions().size(); i++) {
                    if (i != m.timeIndex()) {
                        select.add(m.dimensionExpression(m.dimensions().get(i), r) + " AS " + MetricRender.key(i));
                    }
                }
                Select branch = Select.of(select).from(r.relation());
                branches.add((parts.size() == 1 ? branch.distinct() : branch).inline());
            }
            // Each group once: UNION removes repeats across parts, DISTINCT within the only one. Without it every
            // source row would be a group, and every bucket would be anchored once per row.
            m.add(new Sql.Cte(groups, String.join("\nUNION\n", branches)));
        }
        String anchors = prefix + "_anchors";
        List<String> select = new ArrayList<>();
        for (int i = 0; i < m.dimensions().size(); i++) {
            select.add((i == m.timeIndex() ? "s._fl_b" : "g." + MetricRender.key(i)) + " AS " + MetricRender.key(i));
        }
        select.add(Sql.timestamp(dialect, dialect.nextBucket(grain.id(), "s._fl_b")) + " AS _fl_t");
        Grain toDate = node.metric().grainToDate();
        if (toDate != null) {
            select.add(Sql.timestamp(dialect, dialect.truncate(toDate.id(), "s._fl_b")) + " AS _fl_from");
        }
        if (groupKeys.isEmpty()) {
            select.add("1 AS _fl_one");
        }
        select.add(0, Sql.rowNumber(dialect, select) + " AS _fl_row");
        m.add(new Sql.Cte(anchors, Select.of(select).from(spine + " AS s"
                + (groups == null ? "" : " CROSS JOIN " + groups + " AS g")).toString(), true));
        String bounds = prefix + "_bounds";
        m.add(new Sql.Cte(bounds, AnchoredAggregateSql.bounds(anchors, "_fl_t")));
        List<String> anchorKeys = groupKeys.isEmpty() ? List.of("_fl_one") : groupKeys;
        AnchoredAggregateSql.Anchors anchorSet = new AnchoredAggregateSql.Anchors(anchors, "_fl_row", "_fl_t",
                anchorKeys, bounds, toDate != null ? "_fl_from" : null, true);
        RelativeWindow window = node.metric().window() != null
                ? RelativeWindow.preceding(node.metric().window().seconds())
                : new RelativeWindow(null, new RelativeWindow.Bound(0, false));

        List<String> values = new ArrayList<>();
        List<String> present = new ArrayList<>();
        List<String> joins = new ArrayList<>();
        for (int p = 0; p < parts.size(); p++) {
            String alias = "p" + p;
            String relation = part(m, parts.get(p), partRows.get(p), anchorSet, window, prefix + "_" + alias, node);
            joins.add("JOIN " + relation + " AS " + alias + " ON " + alias + "._fl_row = a._fl_row");
            values.add(alias + "." + m.q("_fl_m"));
            present.add(alias + "." + m.q("_fl_n"));
        }
        String value = values.size() == 1 ? values.get(0) : dialect.safeDivide(values.get(0), values.get(1));
        List<String> keys = m.keysOf("a");
        keys.add(value + " AS _fl_v");
        Select out = Select.of(keys).from(anchors, "a");
        joins.forEach(out::join);
        if (!plan.query().fill()) {
            out.where(String.join(" + ", present) + " > 0");
        }
        m.add(new Sql.Cte(prefix, out.toString()));
        return prefix;
    }

    /** One part's value ({@code _fl_m}) and number of rows ({@code _fl_n}) in each anchor's window. */
    private static String part(MetricRender m, MetricPlan.Simple part, MetricRows r,
            AnchoredAggregateSql.Anchors anchors, RelativeWindow window, String prefix,
            MetricPlan.Cumulative node) {
        List<String> keys = new ArrayList<>();
        List<Column> keyColumns = new ArrayList<>();
        String relation = r.relation();
        if (m.nonTimeKeys().isEmpty()) {
            // Without group keys every anchor matches every row: a constant key says so.
            keys.add("_fl_one");
            keyColumns.add(new Column("_fl_one", ColumnKind.INTEGER));
            relation = "(" + Select.of("*", "1 AS _fl_one").from(r.relation()).inline() + ") AS r";
        } else {
            for (MetricPlan.Dimension dimension : m.dimensions()) {
                if (!dimension.isTime()) {
                    keys.add(r.column(dimension).name());
                    keyColumns.add(r.column(dimension));
                }
            }
        }
        String filter = part.metric().filter();
        Aggregation aggregation = part.aggregation();
        String measure = r.measure(part.name());
        ColumnKind kind = r.measureKind(part.name());
        Measure.Windowed value = new Measure.Windowed("_fl_m", aggregation, measure, kind, filter, null, window);
        Measure.Windowed rows = new Measure.Windowed("_fl_n", Aggregation.COUNT, null, null, filter, null, window);
        List<Measure> measures;
        SourceScan scan;
        Grain grain = m.plan().grain();
        if (rollsUp(aggregation, grain, node)) {
            // Each bucket's rows summed once, then the buckets in each window: the range join then meets one row
            // per group and bucket instead of every source row, and its cost no longer grows with the window.
            List<String> quotedKeys = keys.stream().map(m::q).toList();
            List<String> select = new ArrayList<>(quotedKeys);
            String bucket = Sql.timestamp(m.dialect(), m.dialect().truncate(grain.id(), SourceRows.TS));
            select.add(bucket + " AS " + SourceRows.TS);
            List<String> conditions = filter == null ? List.of() : List.of("(" + filter + ")");
            select.add(AnchoredAggregateSql.aggregation(value, measure, conditions, m.dialect()) + " AS _fl_pm");
            select.add(AnchoredAggregateSql.aggregation(rows, null, conditions, m.dialect()) + " AS _fl_pn");
            List<String> groupBy = new ArrayList<>(quotedKeys);
            groupBy.add(bucket);
            String rolled = Select.of(select).from(relation).groupBy(groupBy).inline();
            ColumnKind rolledKind = switch (aggregation) {
                case SUM -> kind == ColumnKind.INTEGER ? ColumnKind.INTEGER : ColumnKind.FLOATING;
                case COUNT -> ColumnKind.INTEGER;
                default -> kind;
            };
            List<Column> columns = new ArrayList<>(keyColumns);
            columns.add(new Column(SourceRows.TS, ColumnKind.TIMESTAMP));
            columns.add(new Column("_fl_pm", rolledKind));
            columns.add(new Column("_fl_pn", ColumnKind.INTEGER));
            Aggregation combine = aggregation == Aggregation.COUNT ? Aggregation.SUM : aggregation;
            measures = List.of(
                    new Measure.Windowed("_fl_m", combine, "_fl_pm", rolledKind, null, null, window),
                    new Measure.Windowed("_fl_n", Aggregation.SUM, "_fl_pn", ColumnKind.INTEGER, null, null, window));
            scan = new SourceScan(part.source().name(), null, rolled, keys, SourceRows.TS, null, columns);
        } else {
            List<Column> scanColumns = new ArrayList<>(r.columns());
            if (m.nonTimeKeys().isEmpty()) {
                scanColumns.add(keyColumns.get(0));
            }
            measures = List.of(value, rows);
            scan = new SourceScan(part.source().name(), null, Select.of("*").from(relation).inline(), keys,
                    SourceRows.TS, null, scanColumns);
        }
        AnchoredAggregateSql.Rendered rendered = AnchoredAggregateSql.render(new AnchoredAggregate(scan, measures,
                false), anchors, m.dialect(), prefix);
        rendered.ctes().forEach(m::add);
        return rendered.relation();
    }

    /**
     * Whether a window's rows can be combined from per-bucket partial aggregates: the aggregation must combine
     * (sums, counts, least and greatest; not averages or distinct counts), and every window bound must fall on a
     * bucket boundary, so that a row is in a window exactly when its bucket is. Windows end at bucket ends; a
     * trailing window starts on a boundary when it is a whole number of fixed-length buckets, and a grain-to-date
     * one when the coarser grain's periods start on the grain's boundaries.
     */
    static boolean rollsUp(Aggregation aggregation, Grain grain, MetricPlan.Cumulative node) {
        if (grain == null || !(aggregation == Aggregation.SUM || aggregation == Aggregation.COUNT
                || aggregation == Aggregation.MIN || aggregation == Aggregation.MAX)) {
            return false;
        }
        if (node.metric().window() != null) {
            long bucket = switch (grain) {
                case HOUR -> 3_600L;
                case DAY -> 86_400L;
                case WEEK -> 7 * 86_400L;
                default -> 0L;
            };
            return bucket > 0 && node.metric().window().seconds() % bucket == 0;
        }
        Grain toDate = node.metric().grainToDate();
        return toDate != null && switch (grain) {
            case HOUR, DAY -> true;
            case WEEK -> toDate == Grain.WEEK;
            case MONTH -> toDate == Grain.MONTH || toDate == Grain.QUARTER || toDate == Grain.YEAR;
            case QUARTER -> toDate == Grain.QUARTER || toDate == Grain.YEAR;
            case YEAR -> toDate == Grain.YEAR;
        };
    }
}
