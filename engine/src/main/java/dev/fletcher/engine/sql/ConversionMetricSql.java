package dev.fletcher.engine.sql;

import dev.fletcher.catalog.model.Aggregation;
import dev.fletcher.catalog.model.Source;
import dev.fletcher.engine.plan.AnchoredAggregate;
import dev.fletcher.engine.plan.Column;
import dev.fletcher.engine.plan.Measure;
import dev.fletcher.engine.plan.MetricPlan;
import dev.fletcher.engine.plan.RelativeWindow;
import dev.fletcher.engine.plan.SourceScan;
import java.util.ArrayList;
import java.util.List;

/**
 * A conversion metric: an {@link AnchoredAggregate} whose anchors are the base events, counting the entity's
 * conversion events in [t, t + window); the value is the share of base events with at least one, per group of the
 * base event's time and dimensions. The query's range bounds the base events only.
 */
final class ConversionMetricSql {
    private ConversionMetricSql() {
    }

    static String render(MetricPlan.Conversion node, MetricRender m) {
        MetricRows base = m.rows(node.base().source());
        String prefix = m.name("conversion");
        String anchors = prefix + "_anchors";
        List<String> select = new ArrayList<>(List.of(m.dialect().unorderedRowNumber() + " AS _fl_row"));
        for (int i = 0; i < m.dimensions().size(); i++) {
            select.add(m.dimensionExpression(m.dimensions().get(i), base) + " AS " + MetricRender.key(i));
        }
        String entity = node.entity().name();
        Source baseSource = node.base().source();
        List<String> baseKeys = baseSource.columnsOf(entity);
        List<String> anchorKeys = new ArrayList<>();
        for (int i = 0; i < baseKeys.size(); i++) {
            Column column = SourceRows.sourceColumn(baseSource, base.columns(), baseKeys.get(i), "key column");
            select.add(m.q(column.name()) + " AS _fl_e" + i);
            anchorKeys.add("_fl_e" + i);
        }
        select.add(SourceRows.TS + " AS _fl_t");
        List<String> where = new ArrayList<>();
        if (node.base().metric().filter() != null) {
            where.add("(" + node.base().metric().filter() + ")");
        }
        List<Object> whereParameters = new ArrayList<>();
        m.rangeConditions(base, where, whereParameters);
        m.add(new Sql.Cte(anchors, Select.of(select).from(base.relation()).where(where).toString(), true),
                whereParameters);
        String bounds = prefix + "_bounds";
        m.add(new Sql.Cte(bounds, AnchoredAggregateSql.bounds(anchors, "_fl_t")));

        Source target = node.conversion().source();
        List<Column> targetColumns = m.described().source(target.name());
        List<String> targetKeys = new ArrayList<>();
        for (String key : target.columnsOf(entity)) {
            targetKeys.add(SourceRows.sourceColumn(target, targetColumns, key, "key column").name());
        }
        Column timestamp = SourceRows.sourceColumn(target, targetColumns, target.timestamp(), "timestamp column");
        SourceScan scan = new SourceScan(target.name(), target.table(), target.sql(), targetKeys, timestamp.name(),
                null, targetColumns);
        Measure events = new Measure.Windowed("_fl_c", Aggregation.COUNT, null, null,
                node.conversion().metric().filter(), null, RelativeWindow.forward(node.metric().window().seconds()));
        AnchoredAggregateSql.Rendered rendered = AnchoredAggregateSql.render(
                new AnchoredAggregate(scan, List.of(events), false),
                new AnchoredAggregateSql.Anchors(anchors, "_fl_row", "_fl_t", anchorKeys, bounds), m.dialect(),
                prefix + "_events");
        rendered.ctes().forEach(m::add);
        List<String> out = m.keysOf("a");
        out.add(m.dialect().safeDivide("SUM(CASE WHEN c." + m.q("_fl_c") + " > 0 THEN 1 ELSE 0 END)", "COUNT(*)")
                + " AS _fl_v");
        List<String> group = m.allKeys().stream().map(key -> "a." + key).toList();
        m.add(new Sql.Cte(prefix, Select.of(out).from(anchors, "a")
                .join("JOIN " + rendered.relation() + " AS c ON c._fl_row = a._fl_row").groupBy(group).toString()));
        return prefix;
    }
}
