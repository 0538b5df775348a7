package dev.fletcher.engine.sql;

import dev.fletcher.engine.plan.Measure;
import dev.fletcher.engine.plan.MetricPlan;
import dev.fletcher.engine.plan.RelativeWindow;
import java.util.ArrayList;
import java.util.List;

/**
 * A simple metric: each row is anchored at its own bucket, so the aggregation is a GROUP BY of the bucket and the
 * dimensions, with the measure spelt as every windowed measure is ({@link AnchoredAggregateSql#aggregation}).
 */
final class SimpleMetricSql {
    private SimpleMetricSql() {
    }

    static String render(MetricPlan.Simple node, MetricRender m) {
        MetricRows source = m.rows(node.source());
        String relation = m.name("simple");
        List<String> select = new ArrayList<>();
        List<String> group = new ArrayList<>();
        for (int i = 0; i < m.dimensions().size(); i++) {
            String expression = m.dimensionExpression(m.dimensions().get(i), source);
            select.add(expression + " AS " + MetricRender.key(i));
            group.add(expression);
        }
        String column = source.measure(node.name());
        Measure.Windowed measure = new Measure.Windowed(node.name(), node.aggregation(), column,
                source.measureKind(node.name()), null, null, RelativeWindow.trailing(1));
        String value = AnchoredAggregateSql.aggregation(measure, column, List.of(), m.dialect());
        if (group.isEmpty() && node.zeroWhenEmpty()) {
            value = "COALESCE(" + value + ", 0)";
        }
        select.add(value + " AS _fl_v");
        List<String> where = new ArrayList<>();
        if (node.metric().filter() != null) {
            where.add("(" + node.metric().filter() + ")");
        }
        List<Object> whereParameters = new ArrayList<>();
        m.rangeConditions(source, where, whereParameters);
        m.add(new Sql.Cte(relation, Select.of(select).from(source.relation()).where(where).groupBy(group).toString()),
                whereParameters);
        return relation;
    }
}
