package dev.fletcher.engine.sql;

import dev.fletcher.engine.plan.ColumnKind;
import dev.fletcher.engine.plan.MetricPlan;
import dev.fletcher.spi.warehouse.Dialect;
import dev.fletcher.spi.warehouse.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Puts a metrics query's parts together. Several metrics, the parts of a ratio and the inputs of a derived metric
 * share group keys: a UNION ALL of the parts grouped by the keys, which is a full outer join on them in which null
 * keys match (offsets shift the time key). With fill, a spine of every bucket in the range, crossed with every group,
 * joins the union. The answer renames the keys and values, keeps the requested range, sorts and limits.
 */
final class MetricAssembly {
    /** One part of a union: the relation's value goes to {@code slot}; its time key moves {@code shift} later. */
    record Branch(String relation, int slot, long shift) {
    }

    private MetricAssembly() {
    }

    static Statement statement(MetricRender m) {
        MetricPlan plan = m.plan();
        Dialect dialect = m.dialect();
        List<Branch> branches = new ArrayList<>();
        for (int i = 0; i < plan.outputs().size(); i++) {
            branches.add(new Branch(m.relation(plan.outputs().get(i)), i, 0));
        }
        int slots = plan.outputs().size();
        String union = m.name("union");
        m.add(new Sql.Cte(union, union(m, branches, slots)));
        List<String> from = new ArrayList<>(List.of(Select.of("*").from(union).inline()));
        if (plan.query().fill() && m.timeIndex() >= 0) {
            String spine = m.name("spine");
            List<Object> spineParameters = new ArrayList<>();
            m.add(new Sql.Cte(spine, spine(m, plan.query().start(), plan.query().end(), null, spineParameters)),
                    spineParameters);
            List<String> keys = new ArrayList<>();
            for (int i = 0; i < plan.dimensions().size(); i++) {
                keys.add((i == m.timeIndex() ? "s._fl_b" : "k." + MetricRender.key(i)) + " AS " + MetricRender.key(i));
            }
            for (int slot = 0; slot < slots; slot++) {
                keys.add("NULL AS " + MetricRender.slot(slot));
            }
            String grid = spine + " AS s";
            List<String> groupKeys = m.nonTimeKeys();
            if (!groupKeys.isEmpty()) {
                String distinct = m.name("groups");
                m.add(new Sql.Cte(distinct, Select.of(groupKeys).distinct().from(union).inline()));
                grid += " CROSS JOIN " + distinct + " AS k";
            }
            from.add(Select.of(keys).from(grid).inline());
        }
        String all = m.name("all");
        List<String> select = new ArrayList<>(m.allKeys());
        for (int slot = 0; slot < slots; slot++) {
            select.add("MAX(" + MetricRender.slot(slot) + ") AS " + MetricRender.slot(slot));
        }
        m.add(new Sql.Cte(all, Select.of(select).fromQuery(String.join("\nUNION ALL\n", from), "u")
                .groupBy(m.allKeys()).toString()));

        List<String> output = new ArrayList<>();
        Map<String, String> byColumn = new LinkedHashMap<>();
        for (int i = 0; i < plan.dimensions().size(); i++) {
            MetricPlan.Dimension dimension = plan.dimensions().get(i);
            String name = m.q(dimension.name());
            output.add(MetricRender.key(i) + " AS " + name);
            byColumn.put(dimension.name(), m.kindOf(dimension) == ColumnKind.STRING ? dialect.bytewise(name) : name);
        }
        for (int slot = 0; slot < slots; slot++) {
            MetricPlan.Node node = plan.outputs().get(slot);
            String value = MetricRender.slot(slot);
            output.add((plan.query().fill() && node.zeroWhenEmpty() ? "COALESCE(" + value + ", 0)" : value) + " AS "
                    + m.q(node.name()));
            byColumn.put(node.name(), m.q(node.name()));
        }
        Select body = Select.of(output).columnPerLine().from(all);
        List<Object> bodyParameters = new ArrayList<>();
        if (m.timeIndex() >= 0 && plan.reachSeconds() > 0) {
            // Offsets read buckets before start and shift some past end; only those in the range are answered.
            String time = MetricRender.key(m.timeIndex());
            if (plan.query().start() != null) {
                body.where(time + " >= " + dialect.truncate(plan.grain().id(), dialect.timestampParameter()));
                bodyParameters.add(plan.query().start());
            }
            if (plan.query().end() != null) {
                body.where(time + " < " + dialect.timestampParameter());
                bodyParameters.add(plan.query().end());
            }
        }
        List<String> order = new ArrayList<>();
        if (plan.query().orderBy().isEmpty()) {
            plan.dimensions().forEach(d -> order.add(byColumn.get(d.name()) + " ASC NULLS LAST"));
        } else {
            for (String item : plan.query().orderBy()) {
                boolean descending = item.startsWith("-");
                String column = descending ? item.substring(1) : item;
                order.add(byColumn.get(column) + (descending ? " DESC" : " ASC") + " NULLS LAST");
            }
        }
        String answer = "SELECT * FROM " + Sql.nested(body.toString()) + " AS _fl_answer"
                + (order.isEmpty() ? "" : "\nORDER BY " + String.join(", ", order));
        List<Object> parameters = new ArrayList<>(m.parameters());
        parameters.addAll(bodyParameters);
        if (plan.query().limit() != null) {
            answer += "\nLIMIT " + m.dialect().limitParameter();
            parameters.add(plan.query().limit());
        }
        return new Statement(Sql.with(dialect, m.ctes(), answer), parameters);
    }

    /** The branches' values each in its own slot column, beside the group keys; the first branch types them all. */
    private static String union(MetricRender m, List<Branch> branches, int slots) {
        List<String> parts = new ArrayList<>();
        // First a branch of no rows that types every column: a bare NULL would be text to PostgreSQL.
        List<String> typed = new ArrayList<>();
        for (int i = 0; i < m.dimensions().size(); i++) {
            typed.add("b0." + MetricRender.key(i));
        }
        List<String> joined = new ArrayList<>();
        for (int b = 0; b < branches.size(); b++) {
            typed.add("b" + b + "._fl_v AS " + MetricRender.slot(branches.get(b).slot()));
            joined.add(branches.get(b).relation() + " AS b" + b);
        }
        parts.add(Select.of(typed).from(String.join(" CROSS JOIN ", joined)).where("1 = 0").inline());
        for (Branch branch : branches) {
            List<String> select = new ArrayList<>();
            for (int i = 0; i < m.dimensions().size(); i++) {
                String key = MetricRender.key(i);
                select.add(i == m.timeIndex() && branch.shift() != 0
                        ? Sql.shifted(m.dialect(), key, branch.shift()) + " AS " + key : key);
            }
            for (int slot = 0; slot < slots; slot++) {
                select.add((slot == branch.slot() ? "_fl_v" : "NULL") + " AS " + MetricRender.slot(slot));
            }
            parts.add(Select.of(select).from(branch.relation()).inline());
        }
        return String.join("\nUNION ALL\n", parts);
    }

    /** Parts of a ratio or derived metric combined per group: slot columns named as given. */
    static String combined(MetricRender m, List<Branch> branches, List<String> names, List<Boolean> zeroFilled) {
        List<String> select = new ArrayList<>(m.allKeys());
        for (int slot = 0; slot < names.size(); slot++) {
            String max = "MAX(" + MetricRender.slot(slot) + ")";
            select.add((zeroFilled.get(slot) ? "COALESCE(" + max + ", 0)" : max) + " AS " + names.get(slot));
        }
        return Select.of(select).fromQuery(union(m, branches, names.size()), "u").groupBy(m.allKeys()).toString();
    }

    /**
     * Every bucket start from the bucket of {@code first} to before {@code end}; open ends come from the event times
     * of {@code times} (a query of one column {@code _fl_ts}).
     */
    static String spine(MetricRender m, Instant first, Instant end, String times, List<Object> spineParameters) {
        Dialect dialect = m.dialect();
        String grain = m.plan().grain().id();
        String lo;
        if (first != null) {
            lo = dialect.truncate(grain, dialect.timestampParameter());
            spineParameters.add(first);
        } else {
            lo = "(" + Select.of(dialect.truncate(grain, "MIN(" + SourceRows.TS + ")")).from("(" + times + ")", "_fl_t")
                    .inline() + ")";
        }
        String hi;
        if (end != null) {
            hi = dialect.timestampParameter();
            spineParameters.add(end);
        } else {
            hi = "(" + Select.of("MAX(" + SourceRows.TS + ")").from("(" + times + ")", "_fl_t").inline() + ")";
        }
        Select spine = Select.of(Sql.timestamp(dialect, "_fl_b") + " AS _fl_b")
                .from(dialect.bucketSeries(grain, lo, hi, "_fl_b"));
        if (end != null) {
            spine.where("_fl_b < " + dialect.timestampParameter());
            spineParameters.add(end);
        }
        return spine.toString();
    }
}
