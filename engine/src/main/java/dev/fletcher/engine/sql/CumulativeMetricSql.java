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
                branches.add(Select.of(select).from(r.relation()).inline());
            }
            m.add(new Sql.Cte(groups, String.join("\nUNION\n", branches)));
        }
        String anchors = prefix + "_anchors";
        List<String> select = new ArrayList<>(List.of(dialect.unorderedRowNumber() + " AS _fl_row"));
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
            String relation = part(m, parts.get(p), partRows.get(p), anchorSet, window, prefix + "_" + alias);
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
            AnchoredAggregateSql.Anchors anchors, RelativeWindow window, String prefix) {
        List<String> keys = new ArrayList<>();
        List<Column> scanColumns = new ArrayList<>(r.columns());
        String scanSql;
        if (m.nonTimeKeys().isEmpty()) {
            // Without group keys every anchor matches every row: a constant key says so.
            keys.add("_fl_one");
            scanColumns.add(new Column("_fl_one", ColumnKind.INTEGER));
            scanSql = Select.of("*", "1 AS _fl_one").from(r.relation()).inline();
        } else {
            for (MetricPlan.Dimension dimension : m.dimensions()) {
                if (!dimension.isTime()) {
                    keys.add(r.column(dimension).name());
                }
            }
            scanSql = Select.of("*").from(r.relation()).inline();
        }
        String filter = part.metric().filter();
        List<Measure> measures = List.of(
                new Measure.Windowed("_fl_m", part.aggregation(), r.measure(part.name()), r.measureKind(part.name()),
                        filter, null, window),
                new Measure.Windowed("_fl_n", Aggregation.COUNT, null, null, filter, null, window));
        SourceScan scan = new SourceScan(part.source().name(), null, scanSql, keys, SourceRows.TS, null, scanColumns);
        AnchoredAggregateSql.Rendered rendered = AnchoredAggregateSql.render(new AnchoredAggregate(scan, measures,
                false), anchors, m.dialect(), prefix);
        rendered.ctes().forEach(m::add);
        return rendered.relation();
    }
}
