package dev.fletcher.engine.sql;

import dev.fletcher.engine.plan.MetricPlan;
import java.util.ArrayList;
import java.util.List;

/**
 * A ratio metric: numerator and denominator combined per group, each counting 0 in a group it has no rows in, so a
 * zero or missing denominator gives null and a missing numerator 0.
 */
final class RatioMetricSql {
    private RatioMetricSql() {
    }

    static String render(MetricPlan.Ratio node, MetricRender m) {
        String relation = m.name("ratio");
        List<MetricAssembly.Branch> branches = List.of(new MetricAssembly.Branch(m.relation(node.numerator()), 0, 0),
                new MetricAssembly.Branch(m.relation(node.denominator()), 1, 0));
        List<String> select = new ArrayList<>(m.allKeys());
        select.add(m.dialect().safeDivide("_fl_n", "_fl_d") + " AS _fl_v");
        m.add(new Sql.Cte(relation, Select.of(select).fromQuery(MetricAssembly.combined(m, branches,
                List.of("_fl_n", "_fl_d"), List.of(true, true)), "r").toString()));
        return relation;
    }
}
