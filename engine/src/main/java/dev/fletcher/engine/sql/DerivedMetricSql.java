package dev.fletcher.engine.sql;

import dev.fletcher.engine.plan.MetricPlan;
import java.util.ArrayList;
import java.util.List;

/**
 * A derived metric: its expression over the listed metrics combined per group, each under the name the expression
 * gives it; an input with an offset is the value of the bucket that far earlier, its time key moved later to meet
 * the bucket it serves.
 */
final class DerivedMetricSql {
    private DerivedMetricSql() {
    }

    static String render(MetricPlan.Derived node, MetricRender m) {
        String relation = m.name("derived");
        List<MetricAssembly.Branch> branches = new ArrayList<>();
        List<String> references = new ArrayList<>();
        List<Boolean> zero = new ArrayList<>();
        for (int i = 0; i < node.inputs().size(); i++) {
            MetricPlan.Input input = node.inputs().get(i);
            branches.add(new MetricAssembly.Branch(m.relation(input.node()), i, input.offsetSeconds()));
            references.add(m.q(input.reference()));
            zero.add(m.plan().query().fill() && input.node().zeroWhenEmpty());
        }
        List<String> select = new ArrayList<>(m.allKeys());
        select.add("(" + node.metric().expr() + ") AS _fl_v");
        m.add(new Sql.Cte(relation, Select.of(select).fromQuery(MetricAssembly.combined(m, branches, references, zero),
                "d").toString()));
        return relation;
    }
}
