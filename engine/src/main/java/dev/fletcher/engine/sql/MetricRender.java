package dev.fletcher.engine.sql;

import dev.fletcher.catalog.model.Catalog;
import dev.fletcher.catalog.model.Source;
import dev.fletcher.engine.plan.Column;
import dev.fletcher.engine.plan.ColumnKind;
import dev.fletcher.engine.plan.MetricPlan;
import dev.fletcher.spi.warehouse.Dialect;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One metrics query being rendered: the common table expressions so far and their parameters, the names handed
 * out, each source's rows and each metric's relation, each rendered once however many metrics share it. The
 * renderer of each metric type adds its expressions here and answers the relation holding its value per group:
 * the group keys {@code _fl_g<i>} and the value {@code _fl_v}.
 */
final class MetricRender {
    private final Catalog catalog;
    private final MetricPlan plan;
    private final Dialect dialect;
    private final MetricColumns described;
    private final Map<String, Long> reach;
    private final int timeIndex;
    private final List<Sql.Cte> ctes = new ArrayList<>();
    private final List<Object> parameters = new ArrayList<>();
    private final Map<String, MetricRows> rows = new LinkedHashMap<>();
    private final Map<MetricPlan.Node, String> relations = new IdentityHashMap<>();
    private int names;

    MetricRender(Catalog catalog, MetricPlan plan, Dialect dialect, MetricColumns described) {
        this.catalog = catalog;
        this.plan = plan;
        this.dialect = dialect;
        this.described = described;
        this.reach = SourceRows.reach(plan);
        int time = -1;
        for (int i = 0; i < plan.dimensions().size(); i++) {
            if (plan.dimensions().get(i).isTime()) {
                time = i;
            }
        }
        this.timeIndex = time;
    }

    MetricPlan plan() {
        return plan;
    }

    Dialect dialect() {
        return dialect;
    }

    MetricColumns described() {
        return described;
    }

    List<Sql.Cte> ctes() {
        return ctes;
    }

    List<Object> parameters() {
        return parameters;
    }

    /** The relation holding a metric's value per group, rendered on first use. */
    String relation(MetricPlan.Node node) {
        String known = relations.get(node);
        if (known != null) {
            return known;
        }
        String relation;
        if (node instanceof MetricPlan.Simple simple) {
            relation = SimpleMetricSql.render(simple, this);
        } else if (node instanceof MetricPlan.Ratio ratio) {
            relation = RatioMetricSql.render(ratio, this);
        } else if (node instanceof MetricPlan.Derived derived) {
            relation = DerivedMetricSql.render(derived, this);
        } else if (node instanceof MetricPlan.Cumulative cumulative) {
            relation = CumulativeMetricSql.render(cumulative, this);
        } else {
            relation = ConversionMetricSql.render((MetricPlan.Conversion) node, this);
        }
        relations.put(node, relation);
        return relation;
    }

    /** A source's rows with the where items applied, rendered on first use. */
    MetricRows rows(Source source) {
        MetricRows known = rows.get(source.name());
        if (known != null) {
            return known;
        }
        long sourceReach = reach.getOrDefault(source.name(), 0L);
        SourceRows.Read read = SourceRows.read(catalog, plan, dialect, source, sourceReach,
                s -> described.source(s.name()));
        List<Column> columns = described.rows(source.name());
        List<String> where = new ArrayList<>();
        List<Object> whereParameters = new ArrayList<>(read.inner().parameters());
        String eventTime = Sql.timestamp(dialect, "e." + q(read.eventTime()));
        for (MetricPlan.Filter filter : plan.filters()) {
            where.add(WhereSql.condition(filter, source.name(), columns, eventTime, whereParameters, dialect));
        }
        String relation = name("rows");
        String sql = read.sql(where);
        // Inlined when it is a plain read, so the warehouse pushes the range and where filters into the table scan.
        add(read.enriched() ? new Sql.Cte(relation, sql) : Sql.Cte.inlined(relation, sql), whereParameters);
        MetricRows result = new MetricRows(relation, columns, read.measureColumns(), sourceReach);
        rows.put(source.name(), result);
        return result;
    }

    /** A reader of rows that read further back than the query's own range keeps only the query's range. */
    void rangeConditions(MetricRows source, List<String> where, List<Object> whereParameters) {
        if (source.reach() > 0 && plan.readStart() != null) {
            where.add(SourceRows.TS + (plan.query().trailing() ? " > " : " >= ") + dialect.timestampParameter());
            whereParameters.add(plan.readStart());
        }
    }

    void add(Sql.Cte cte) {
        ctes.add(cte);
    }

    void add(Sql.Cte cte, List<Object> cteParameters) {
        ctes.add(cte);
        parameters.addAll(cteParameters);
    }

    String name(String what) {
        return "_fl_" + what + (names++);
    }

    // ---------------------------------------------------------------- group keys

    static String key(int index) {
        return "_fl_g" + index;
    }

    static String slot(int index) {
        return "_fl_s" + index;
    }

    /** The index of the time dimension among the group keys, or -1. */
    int timeIndex() {
        return timeIndex;
    }

    List<MetricPlan.Dimension> dimensions() {
        return plan.dimensions();
    }

    List<String> allKeys() {
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < plan.dimensions().size(); i++) {
            keys.add(key(i));
        }
        return keys;
    }

    /** Every group key of the relation aliased {@code alias}, under its own name. */
    List<String> keysOf(String alias) {
        List<String> keys = new ArrayList<>();
        for (String key : allKeys()) {
            keys.add(alias + "." + key + " AS " + key);
        }
        return keys;
    }

    List<String> nonTimeKeys() {
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < plan.dimensions().size(); i++) {
            if (i != timeIndex) {
                keys.add(key(i));
            }
        }
        return keys;
    }

    /** A group key's expression over a rows relation. */
    String dimensionExpression(MetricPlan.Dimension dimension, MetricRows source) {
        if (dimension.isTime()) {
            return dialect.truncate(dimension.grain().id(), SourceRows.TS);
        }
        return q(source.column(dimension).name());
    }

    /** A dimension's kind as the first rows holding it describe it. */
    ColumnKind kindOf(MetricPlan.Dimension dimension) {
        if (dimension.isTime()) {
            return ColumnKind.TIMESTAMP;
        }
        String name = dimension.feature() != null ? dimension.feature().column() : dimension.name();
        for (MetricRows r : rows.values()) {
            var found = Column.find(r.columns(), name);
            if (found.isPresent()) {
                return found.get().kind();
            }
        }
        return ColumnKind.OTHER;
    }

    String q(String identifier) {
        return dialect.quoteIdentifier(identifier);
    }
}
