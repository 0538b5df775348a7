package dev.fletcher.engine.sql;

import dev.fletcher.catalog.model.Aggregation;
import dev.fletcher.catalog.model.Catalog;
import dev.fletcher.catalog.model.Entity;
import dev.fletcher.catalog.model.FeatureRef;
import dev.fletcher.catalog.model.FeatureView;
import dev.fletcher.catalog.model.Grain;
import dev.fletcher.catalog.model.Metric;
import dev.fletcher.catalog.model.Source;
import dev.fletcher.engine.plan.AnchoredAggregate;
import dev.fletcher.engine.plan.Column;
import dev.fletcher.engine.plan.ColumnKind;
import dev.fletcher.engine.plan.EntityInput;
import dev.fletcher.engine.plan.Measure;
import dev.fletcher.engine.plan.MetricFilter;
import dev.fletcher.engine.plan.MetricPlan;
import dev.fletcher.engine.plan.PlanException;
import dev.fletcher.engine.plan.RelativeWindow;
import dev.fletcher.engine.plan.ResolvedTrainingSet;
import dev.fletcher.engine.plan.SourceScan;
import dev.fletcher.engine.plan.TrainingSetPlan;
import dev.fletcher.engine.plan.TrainingSetPlanner;
import dev.fletcher.engine.plan.TrainingSetRequest;
import dev.fletcher.spi.PluginException;
import dev.fletcher.spi.warehouse.Dialect;
import dev.fletcher.spi.warehouse.Statement;
import dev.fletcher.spi.warehouse.WarehouseSession;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.ipc.ArrowReader;

/**
 * Renders a {@link MetricPlan} as one statement on the engine's primitives.
 *
 * <ul>
 *   <li>Each source is read once, over the event times the query needs, as a relation of its rows; point-in-time
 *       dimensions are joined on by the training-set engine ({@link TrainingSetSql}) with each row as an entity row
 *       anchored at its own event time, and {@code where} items filter the rows (values as bind parameters).</li>
 *   <li>A simple metric: each row is anchored at its own bucket, so the aggregation is a GROUP BY of the bucket and
 *       the dimensions, with the measure spelt as every windowed measure is
 *       ({@link AnchoredAggregateSql#aggregation}).</li>
 *   <li>A cumulative metric: an {@link AnchoredAggregate} whose anchors are the buckets of each group, at each
 *       bucket's end, with a trailing window (or one starting at the coarser grain's start).</li>
 *   <li>A conversion metric: an {@link AnchoredAggregate} whose anchors are the base events, counting the entity's
 *       conversion events in [t, t + window).</li>
 *   <li>Ratios, derived metrics and several metrics in one query share group keys: a UNION ALL of the parts grouped
 *       by the keys, which is a full outer join on them in which null keys match (offsets shift the time key).</li>
 * </ul>
 */
public final class MetricSql {
    private static final String TS = "_fl_ts";

    private final Catalog catalog;
    private final MetricPlan plan;
    private final Dialect dialect;
    private final WarehouseSession session;
    private final BufferAllocator allocator;
    private final List<Sql.Cte> ctes = new ArrayList<>();
    private final List<Object> parameters = new ArrayList<>();
    private final Map<String, Rows> rows = new LinkedHashMap<>();
    private final Map<String, List<Column>> described = new HashMap<>();
    private final Map<MetricPlan.Node, String> relations = new IdentityHashMap<>();
    private final Map<String, Long> reachBySource = new HashMap<>();
    private final int timeIndex;
    private int names;
    private Statement statement;
    private List<String> columns;

    /** A source's rows as the query reads them: its columns, the measure columns added, and how far back it reads. */
    private record Rows(String relation, List<Column> columns, Map<String, String> measureColumns, long reach) {
    }

    private MetricSql(Catalog catalog, MetricPlan plan, Dialect dialect, WarehouseSession session,
            BufferAllocator allocator) {
        this.catalog = catalog;
        this.plan = plan;
        this.dialect = dialect;
        this.session = session;
        this.allocator = allocator;
        int time = -1;
        for (int i = 0; i < plan.dimensions().size(); i++) {
            if (plan.dimensions().get(i).isTime()) {
                time = i;
            }
        }
        this.timeIndex = time;
    }

    /**
     * Describes the sources in the session (no rows are read), checks the request against their columns and renders
     * the statement.
     *
     * @throws PlanException for missing or mistyped columns and where values of the wrong type
     * @throws dev.fletcher.spi.NotSupportedException when a metric needs what the warehouse lacks
     * @throws PluginException when the warehouse fails otherwise
     */
    public static MetricSql prepare(Catalog catalog, MetricPlan plan, Dialect dialect, WarehouseSession session,
            BufferAllocator allocator) {
        MetricSql sql = new MetricSql(catalog, plan, dialect, session, allocator);
        sql.render();
        return sql;
    }

    public Statement statement() {
        return statement;
    }

    /** The answer's columns: the group_by items in order, then the metrics in request order. */
    public List<String> columns() {
        return columns;
    }

    /** Runs the statement; the reader streams record batches and its vectors come from {@code allocator}. */
    public ArrowReader run(WarehouseSession session, BufferAllocator allocator) {
        return session.query(statement, allocator);
    }

    // ---------------------------------------------------------------- the statement

    private void render() {
        for (MetricPlan.Node output : plan.outputs()) {
            reach(output, 0);
        }
        List<Branch> branches = new ArrayList<>();
        for (int i = 0; i < plan.outputs().size(); i++) {
            branches.add(new Branch(relation(plan.outputs().get(i)), i, 0));
        }
        int slots = plan.outputs().size();
        String union = name("union");
        add(new Sql.Cte(union, unionSql(branches, slots)));
        List<String> from = new ArrayList<>(List.of("SELECT * FROM " + union));
        List<Object> fromParameters = new ArrayList<>();
        if (plan.query().fill() && timeIndex >= 0) {
            String spine = name("spine");
            List<Object> spineParameters = new ArrayList<>();
            add(new Sql.Cte(spine, spineSql(plan.query().start(), plan.query().end(), null, spineParameters)),
                    spineParameters);
            StringBuilder grid = new StringBuilder("SELECT ");
            List<String> keys = new ArrayList<>();
            for (int i = 0; i < plan.dimensions().size(); i++) {
                keys.add((i == timeIndex ? "s._fl_b" : "k." + key(i)) + " AS " + key(i));
            }
            for (int slot = 0; slot < slots; slot++) {
                keys.add("NULL AS " + slot(slot));
            }
            grid.append(String.join(", ", keys)).append(" FROM ").append(spine).append(" AS s");
            List<String> groupKeys = nonTimeKeys();
            if (!groupKeys.isEmpty()) {
                String distinct = name("groups");
                add(new Sql.Cte(distinct, "SELECT DISTINCT " + String.join(", ", groupKeys) + " FROM " + union));
                grid.append(" CROSS JOIN ").append(distinct).append(" AS k");
            }
            from.add(grid.toString());
        }
        String all = name("all");
        List<String> select = new ArrayList<>(allKeys());
        for (int slot = 0; slot < slots; slot++) {
            select.add("MAX(" + slot(slot) + ") AS " + slot(slot));
        }
        add(new Sql.Cte(all, "SELECT " + String.join(", ", select) + "\nFROM (\n" + Sql.indent(String.join(
                "\nUNION ALL\n", from)) + "\n) AS u" + groupBy(allKeys())), fromParameters);

        List<String> output = new ArrayList<>();
        columns = new ArrayList<>();
        Map<String, String> byColumn = new LinkedHashMap<>();
        for (int i = 0; i < plan.dimensions().size(); i++) {
            MetricPlan.Dimension dimension = plan.dimensions().get(i);
            output.add(key(i) + " AS " + q(dimension.name()));
            columns.add(dimension.name());
            byColumn.put(dimension.name(), kindOf(dimension) == ColumnKind.STRING ? Sql.bytewise(q(dimension.name()))
                    : q(dimension.name()));
        }
        for (int slot = 0; slot < slots; slot++) {
            MetricPlan.Node node = plan.outputs().get(slot);
            String value = plan.query().fill() && node.zeroWhenEmpty() ? "COALESCE(" + slot(slot) + ", 0)" : slot(slot);
            output.add(value + " AS " + q(node.name()));
            columns.add(node.name());
            byColumn.put(node.name(), q(node.name()));
        }
        StringBuilder body = new StringBuilder("SELECT " + String.join(",\n  ", output) + "\nFROM " + all);
        List<Object> bodyParameters = new ArrayList<>();
        if (timeIndex >= 0 && plan.reachSeconds() > 0) {
            // Offsets read buckets before start and shift some past end; only those in the range are answered.
            List<String> range = new ArrayList<>();
            if (plan.query().start() != null) {
                range.add(key(timeIndex) + " >= " + dialect.truncate(plan.grain().id(), dialect.timestampParameter()));
                bodyParameters.add(plan.query().start());
            }
            if (plan.query().end() != null) {
                range.add(key(timeIndex) + " < " + dialect.timestampParameter());
                bodyParameters.add(plan.query().end());
            }
            if (!range.isEmpty()) {
                body.append("\nWHERE ").append(Sql.and(range));
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
        String ordered = "SELECT * FROM (\n" + Sql.indent(body.toString()) + "\n) AS _fl_answer"
                + (order.isEmpty() ? "" : "\nORDER BY " + String.join(", ", order));
        if (plan.query().limit() != null) {
            ordered += "\nLIMIT ?";
        }
        List<Object> all2 = new ArrayList<>(parameters);
        all2.addAll(bodyParameters);
        if (plan.query().limit() != null) {
            all2.add(plan.query().limit());
        }
        statement = new Statement(Sql.with(ctes, ordered), all2);
    }

    /** One part of a union: the relation's value goes to {@code slot}; its time key moves {@code shift} later. */
    private record Branch(String relation, int slot, long shift) {
    }

    private String unionSql(List<Branch> branches, int slots) {
        List<String> parts = new ArrayList<>();
        // First a branch of no rows that types every column: a bare NULL would be text to PostgreSQL.
        List<String> typed = new ArrayList<>();
        for (int i = 0; i < plan.dimensions().size(); i++) {
            typed.add("b0." + key(i));
        }
        List<String> joined = new ArrayList<>();
        for (int b = 0; b < branches.size(); b++) {
            typed.add("b" + b + "._fl_v AS " + slot(branches.get(b).slot()));
            joined.add(branches.get(b).relation() + " AS b" + b);
        }
        parts.add("SELECT " + String.join(", ", typed) + " FROM " + String.join(" CROSS JOIN ", joined)
                + " WHERE 1 = 0");
        for (Branch branch : branches) {
            List<String> select = new ArrayList<>();
            for (int i = 0; i < plan.dimensions().size(); i++) {
                select.add(i == timeIndex && branch.shift() != 0
                        ? Sql.shifted(dialect, key(i), branch.shift()) + " AS " + key(i) : key(i));
            }
            for (int slot = 0; slot < slots; slot++) {
                select.add((slot == branch.slot() ? "_fl_v" : "NULL") + " AS " + slot(slot));
            }
            parts.add("SELECT " + String.join(", ", select) + " FROM " + branch.relation());
        }
        return String.join("\nUNION ALL\n", parts);
    }

    /** Parts of a ratio or derived metric combined per group: slot columns named as given. */
    private String combined(List<Branch> branches, List<String> names, List<Boolean> zeroFilled) {
        String union = unionSql(branches, names.size());
        List<String> select = new ArrayList<>(allKeys());
        for (int slot = 0; slot < names.size(); slot++) {
            String max = "MAX(" + slot(slot) + ")";
            select.add((zeroFilled.get(slot) ? "COALESCE(" + max + ", 0)" : max) + " AS " + names.get(slot));
        }
        return "SELECT " + String.join(", ", select) + "\nFROM (\n" + Sql.indent(union) + "\n) AS u"
                + groupBy(allKeys());
    }

    // ---------------------------------------------------------------- metrics

    /** Records how far before the read start each source's rows must go for cumulative windows. */
    private void reach(MetricPlan.Node node, long extra) {
        if (node instanceof MetricPlan.Simple simple) {
            reachBySource.merge(simple.source().name(), extra, Math::max);
        } else if (node instanceof MetricPlan.Ratio ratio) {
            reach(ratio.numerator(), extra);
            reach(ratio.denominator(), extra);
        } else if (node instanceof MetricPlan.Derived derived) {
            derived.inputs().forEach(input -> reach(input.node(), extra));
        } else if (node instanceof MetricPlan.Cumulative cumulative) {
            reach(cumulative.input(), extra + cumulativeReach(cumulative.metric()));
        } else if (node instanceof MetricPlan.Conversion conversion) {
            reach(conversion.base(), extra);
        }
    }

    /** How far before a bucket's start a cumulative window reaches, at most. */
    private static long cumulativeReach(Metric.Cumulative metric) {
        if (metric.window() != null) {
            return metric.window().seconds();
        }
        if (metric.grainToDate() != null) {
            return switch (metric.grainToDate()) {
                case HOUR -> 3_600L;
                case DAY -> 86_400L;
                case WEEK -> 7 * 86_400L;
                case MONTH -> 31 * 86_400L;
                case QUARTER -> 92 * 86_400L;
                case YEAR -> 366 * 86_400L;
            };
        }
        return Long.MAX_VALUE / 4;
    }

    private String relation(MetricPlan.Node node) {
        String known = relations.get(node);
        if (known != null) {
            return known;
        }
        String relation;
        if (node instanceof MetricPlan.Simple simple) {
            relation = simple(simple);
        } else if (node instanceof MetricPlan.Ratio ratio) {
            relation = name("ratio");
            List<Branch> branches = List.of(new Branch(relation(ratio.numerator()), 0, 0),
                    new Branch(relation(ratio.denominator()), 1, 0));
            add(new Sql.Cte(relation, "SELECT " + keysThen(allKeys()) + dialect.safeDivide("_fl_n", "_fl_d")
                    + " AS _fl_v\nFROM (\n" + Sql.indent(combined(branches, List.of("_fl_n", "_fl_d"),
                    List.of(true, true))) + "\n) AS r"));
        } else if (node instanceof MetricPlan.Derived derived) {
            relation = name("derived");
            List<Branch> branches = new ArrayList<>();
            List<String> references = new ArrayList<>();
            List<Boolean> zero = new ArrayList<>();
            for (int i = 0; i < derived.inputs().size(); i++) {
                MetricPlan.Input input = derived.inputs().get(i);
                branches.add(new Branch(relation(input.node()), i, input.offsetSeconds()));
                references.add(q(input.reference()));
                zero.add(plan.query().fill() && input.node().zeroWhenEmpty());
            }
            add(new Sql.Cte(relation, "SELECT " + keysThen(allKeys()) + "(" + derived.metric().expr() + ") AS _fl_v"
                    + "\nFROM (\n" + Sql.indent(combined(branches, references, zero)) + "\n) AS d"));
        } else if (node instanceof MetricPlan.Cumulative cumulative) {
            relation = cumulative(cumulative);
        } else {
            relation = conversion((MetricPlan.Conversion) node);
        }
        relations.put(node, relation);
        return relation;
    }

    private String simple(MetricPlan.Simple node) {
        Rows source = rows(node.source());
        String relation = name("simple");
        List<String> select = new ArrayList<>();
        List<String> group = new ArrayList<>();
        for (int i = 0; i < plan.dimensions().size(); i++) {
            String expression = dimensionExpression(plan.dimensions().get(i), source, null);
            select.add(expression + " AS " + key(i));
            group.add(expression);
        }
        String value = aggregation(node, source, null);
        if (group.isEmpty() && node.zeroWhenEmpty()) {
            value = "COALESCE(" + value + ", 0)";
        }
        select.add(value + " AS _fl_v");
        List<String> where = new ArrayList<>();
        if (node.metric().filter() != null) {
            where.add("(" + node.metric().filter() + ")");
        }
        List<Object> whereParameters = new ArrayList<>();
        rangeConditions(source, where, whereParameters);
        add(new Sql.Cte(relation, "SELECT " + String.join(", ", select) + "\nFROM " + source.relation()
                + (where.isEmpty() ? "" : "\nWHERE " + Sql.and(where)) + groupBy(group)), whereParameters);
        return relation;
    }

    /** A reader of rows that read further back than the query's own range keeps only the query's range. */
    private void rangeConditions(Rows source, List<String> where, List<Object> parameters) {
        if (source.reach() > 0 && plan.readStart() != null) {
            where.add(TS + (plan.query().trailing() ? " > " : " >= ") + dialect.timestampParameter());
            parameters.add(plan.readStart());
        }
    }

    private String aggregation(MetricPlan.Simple node, Rows source, String alias) {
        Aggregation aggregation = node.aggregation();
        String column = source.measureColumns().get(node.name());
        ColumnKind kind = column == null ? null : Column.find(source.columns(), column).map(Column::kind)
                .orElse(ColumnKind.OTHER);
        Measure.Windowed measure = new Measure.Windowed(node.name(), aggregation, column, kind, null, null,
                RelativeWindow.trailing(1));
        return AnchoredAggregateSql.aggregation(measure, column == null ? null : (alias == null ? "" : alias + ".")
                + column, List.of(), dialect);
    }

    private String cumulative(MetricPlan.Cumulative node) {
        Grain grain = plan.grain();
        List<MetricPlan.Simple> parts = node.input() instanceof MetricPlan.Ratio ratio
                ? List.of(ratio.numerator(), ratio.denominator()) : List.of((MetricPlan.Simple) node.input());
        List<Rows> partRows = parts.stream().map(p -> rows(p.source())).toList();
        String prefix = name("cumulative");

        List<Object> spineParameters = new ArrayList<>();
        List<String> timeSources = partRows.stream().map(r -> "SELECT " + TS + " FROM " + r.relation()).toList();
        String spine = prefix + "_spine";
        add(new Sql.Cte(spine, spineSql(plan.readStart(), plan.query().end(), String.join(" UNION ALL ", timeSources),
                spineParameters)), spineParameters);
        List<String> groupKeys = nonTimeKeys();
        String groups = null;
        if (!groupKeys.isEmpty()) {
            groups = prefix + "_groups";
            List<String> branches = new ArrayList<>();
            for (Rows r : partRows) {
                List<String> select = new ArrayList<>();
                for (int i = 0; i < plan.dimensions().size(); i++) {
                    if (i != timeIndex) {
                        select.add(dimensionExpression(plan.dimensions().get(i), r, null) + " AS " + key(i));
                    }
                }
                branches.add("SELECT " + String.join(", ", select) + " FROM " + r.relation());
            }
            add(new Sql.Cte(groups, String.join("\nUNION\n", branches)));
        }
        String anchors = prefix + "_anchors";
        List<String> select = new ArrayList<>(List.of("row_number() OVER () AS _fl_row"));
        for (int i = 0; i < plan.dimensions().size(); i++) {
            select.add((i == timeIndex ? "s._fl_b" : "g." + key(i)) + " AS " + key(i));
        }
        select.add(Sql.timestamp(dialect, dialect.nextBucket(grain.id(), "s._fl_b")) + " AS _fl_t");
        Grain toDate = node.metric().grainToDate();
        if (toDate != null) {
            select.add(Sql.timestamp(dialect, dialect.truncate(toDate.id(), "s._fl_b")) + " AS _fl_from");
        }
        if (groupKeys.isEmpty()) {
            select.add("1 AS _fl_one");
        }
        add(new Sql.Cte(anchors, "SELECT " + String.join(", ", select) + "\nFROM " + spine + " AS s"
                + (groups == null ? "" : " CROSS JOIN " + groups + " AS g"), true));
        String bounds = prefix + "_bounds";
        add(new Sql.Cte(bounds, "SELECT MIN(_fl_t) AS _fl_lo, MAX(_fl_t) AS _fl_hi FROM " + anchors));
        List<String> anchorKeys = groupKeys.isEmpty() ? List.of("_fl_one") : groupKeys;
        AnchoredAggregateSql.Anchors anchorSet = new AnchoredAggregateSql.Anchors(anchors, "_fl_row", "_fl_t",
                anchorKeys, bounds, toDate != null ? "_fl_from" : null, true);
        RelativeWindow window = node.metric().window() != null ? RelativeWindow.preceding(node.metric().window().seconds())
                : new RelativeWindow(null, new RelativeWindow.Bound(0, false));

        List<String> values = new ArrayList<>();
        List<String> present = new ArrayList<>();
        StringBuilder joins = new StringBuilder();
        for (int p = 0; p < parts.size(); p++) {
            MetricPlan.Simple part = parts.get(p);
            Rows r = partRows.get(p);
            List<String> keys = new ArrayList<>();
            List<Column> scanColumns = new ArrayList<>(r.columns());
            String scanSql = "SELECT * FROM " + r.relation();
            if (groupKeys.isEmpty()) {
                keys.add("_fl_one");
                scanColumns.add(new Column("_fl_one", ColumnKind.INTEGER));
                scanSql = "SELECT *, 1 AS _fl_one FROM " + r.relation();
            } else {
                for (MetricPlan.Dimension dimension : plan.dimensions()) {
                    if (!dimension.isTime()) {
                        keys.add(columnOf(dimension, r).name());
                    }
                }
            }
            String column = r.measureColumns().get(part.name());
            ColumnKind kind = column == null ? null : Column.find(r.columns(), column).map(Column::kind)
                    .orElse(ColumnKind.OTHER);
            List<Measure> measures = List.of(
                    new Measure.Windowed("_fl_m", part.aggregation(), column, kind, part.metric().filter(), null, window),
                    new Measure.Windowed("_fl_n", Aggregation.COUNT, null, null, part.metric().filter(), null, window));
            SourceScan scan = new SourceScan(part.source().name(), null, scanSql, keys, TS, null, scanColumns);
            AnchoredAggregateSql.Rendered rendered = AnchoredAggregateSql.render(new AnchoredAggregate(scan, measures,
                    false), anchorSet, dialect, prefix + "_p" + p);
            rendered.ctes().forEach(this::add);
            String alias = "p" + p;
            joins.append("\nJOIN ").append(rendered.relation()).append(" AS ").append(alias).append(" ON ").append(alias)
                    .append("._fl_row = a._fl_row");
            values.add(alias + "." + q("_fl_m"));
            present.add(alias + "." + q("_fl_n"));
        }
        String value = values.size() == 1 ? values.get(0) : dialect.safeDivide(values.get(0), values.get(1));
        List<String> out = new ArrayList<>();
        for (int i = 0; i < plan.dimensions().size(); i++) {
            out.add("a." + key(i) + " AS " + key(i));
        }
        out.add(value + " AS _fl_v");
        String relation = prefix;
        add(new Sql.Cte(relation, "SELECT " + String.join(", ", out) + "\nFROM " + anchors + " AS a" + joins
                + (plan.query().fill() ? "" : "\nWHERE " + String.join(" + ", present) + " > 0")));
        return relation;
    }

    private String conversion(MetricPlan.Conversion node) {
        Rows base = rows(node.base().source());
        String prefix = name("conversion");
        String anchors = prefix + "_anchors";
        List<String> select = new ArrayList<>(List.of("row_number() OVER () AS _fl_row"));
        for (int i = 0; i < plan.dimensions().size(); i++) {
            select.add(dimensionExpression(plan.dimensions().get(i), base, null) + " AS " + key(i));
        }
        Entity entity = node.entity();
        List<String> baseKeys = node.base().source().columnsOf(entity.name());
        List<String> anchorKeys = new ArrayList<>();
        for (int i = 0; i < baseKeys.size(); i++) {
            Column column = sourceColumn(node.base().source(), base.columns(), baseKeys.get(i), "key column");
            select.add(q(column.name()) + " AS _fl_e" + i);
            anchorKeys.add("_fl_e" + i);
        }
        select.add(TS + " AS _fl_t");
        List<String> where = new ArrayList<>();
        if (node.base().metric().filter() != null) {
            where.add("(" + node.base().metric().filter() + ")");
        }
        List<Object> whereParameters = new ArrayList<>();
        rangeConditions(base, where, whereParameters);
        add(new Sql.Cte(anchors, "SELECT " + String.join(", ", select) + "\nFROM " + base.relation()
                + (where.isEmpty() ? "" : "\nWHERE " + Sql.and(where)), true), whereParameters);
        String bounds = prefix + "_bounds";
        add(new Sql.Cte(bounds, "SELECT MIN(_fl_t) AS _fl_lo, MAX(_fl_t) AS _fl_hi FROM " + anchors));

        Source target = node.conversion().source();
        List<Column> targetColumns = describeSource(target);
        List<String> targetKeys = new ArrayList<>();
        for (String key : target.columnsOf(entity.name())) {
            targetKeys.add(sourceColumn(target, targetColumns, key, "key column").name());
        }
        Column timestamp = sourceColumn(target, targetColumns, target.timestamp(), "timestamp column");
        SourceScan scan = new SourceScan(target.name(), target.table(), target.sql(), targetKeys, timestamp.name(), null,
                targetColumns);
        Measure events = new Measure.Windowed("_fl_c", Aggregation.COUNT, null, null, node.conversion().metric().filter(),
                null, RelativeWindow.forward(node.metric().window().seconds()));
        AnchoredAggregateSql.Rendered rendered = AnchoredAggregateSql.render(new AnchoredAggregate(scan, List.of(events),
                false), new AnchoredAggregateSql.Anchors(anchors, "_fl_row", "_fl_t", anchorKeys, bounds), dialect,
                prefix + "_events");
        rendered.ctes().forEach(this::add);
        List<String> out = new ArrayList<>();
        List<String> group = new ArrayList<>();
        for (int i = 0; i < plan.dimensions().size(); i++) {
            out.add("a." + key(i) + " AS " + key(i));
            group.add("a." + key(i));
        }
        out.add(dialect.safeDivide("SUM(CASE WHEN c." + q("_fl_c") + " > 0 THEN 1 ELSE 0 END)", "COUNT(*)") + " AS _fl_v");
        String relation = prefix;
        add(new Sql.Cte(relation, "SELECT " + String.join(", ", out) + "\nFROM " + anchors + " AS a\nJOIN "
                + rendered.relation() + " AS c ON c._fl_row = a._fl_row" + groupBy(group)));
        return relation;
    }

    // ---------------------------------------------------------------- source rows

    /**
     * The rows of a source the query reads: in the event-time range (widened by cumulative windows), with
     * point-in-time dimensions joined on and the where items applied; each measure's expression as a column.
     */
    private Rows rows(Source source) {
        Rows known = rows.get(source.name());
        if (known != null) {
            return known;
        }
        long reach = reachBySource.getOrDefault(source.name(), 0L);
        List<Column> sourceColumns = describeSource(source);
        Column timestamp = sourceColumn(source, sourceColumns, source.timestamp(), "timestamp column");
        if (!timestamp.kind().isTime() && timestamp.kind() != ColumnKind.OTHER) {
            throw new PlanException("the timestamp column '" + timestamp.name() + "' of source '" + source.name()
                    + "' is not a timestamp or date");
        }
        String ts = "s." + q(timestamp.name());
        List<String> select = new ArrayList<>(List.of("s.*"));
        List<FeatureRef> features = plan.features();
        for (FeatureRef ref : features) {
            FeatureView view = catalog.featureView(ref.view()).orElseThrow();
            Entity entity = catalog.entity(view.entity()).orElseThrow(() -> new PlanException("feature view '"
                    + view.name() + "' names entity '" + view.entity() + "', which is not in the catalog"));
            List<String> mapped = source.columnsOf(entity.name());
            for (int i = 0; i < entity.keys().size(); i++) {
                String key = entity.keys().get(i);
                Column column = sourceColumn(source, sourceColumns, mapped.get(i), "key column");
                if (!column.name().equals(key)) {
                    if (Column.find(sourceColumns, key).isPresent()) {
                        throw new PlanException("source '" + source.name() + "' maps entity '" + entity.name()
                                + "' key '" + key + "' to column '" + column.name() + "' but also has a column '" + key
                                + "': point-in-time dimensions cannot tell them apart");
                    }
                    String alias = "s." + q(column.name()) + " AS " + q(key);
                    if (!select.contains(alias)) {
                        select.add(alias);
                    }
                }
            }
        }
        List<String> range = new ArrayList<>();
        List<Object> rangeParameters = new ArrayList<>();
        // A cumulative metric over all time reads every row before the range too.
        Instant lower = plan.readStart() == null || reach >= Long.MAX_VALUE / 8 ? null
                : plan.readStart().minusSeconds(reach);
        if (lower != null) {
            range.add(ts + (plan.query().trailing() && reach == 0 ? " > " : " >= ") + dialect.timestampParameter());
            rangeParameters.add(lower);
        }
        if (plan.query().end() != null) {
            range.add(ts + (plan.query().trailing() ? " <= " : " < ") + dialect.timestampParameter());
            rangeParameters.add(plan.query().end());
        }
        Statement entityRows = new Statement("SELECT " + String.join(", ", select) + "\nFROM " + relation(source)
                + " AS s" + (range.isEmpty() ? "" : "\nWHERE " + Sql.and(range)), rangeParameters);
        Statement inner = features.isEmpty() ? entityRows : enrich(source, features, entityRows, timestamp.name());

        Map<String, String> measureColumns = new LinkedHashMap<>();
        List<String> outer = new ArrayList<>(List.of("e.*", Sql.timestamp(dialect, "e." + q(timestamp.name())) + " AS "
                + TS));
        Map<String, String> byExpression = new LinkedHashMap<>();
        for (Metric.Simple metric : simpleMetricsOf(source)) {
            if (metric.measure().expr() != null) {
                String alias = byExpression.computeIfAbsent(metric.measure().expr(), expr -> {
                    String next = "_fl_x" + byExpression.size();
                    outer.add("(" + expr + ") AS " + next);
                    return next;
                });
                measureColumns.put(metric.name(), alias);
            }
        }
        String base = "SELECT " + String.join(", ", outer) + "\nFROM (\n" + Sql.indent(inner.sql()) + "\n) AS e";
        List<Column> columns;
        try {
            columns = ArrowColumns.of(session.describe(new Statement(base, inner.parameters()), allocator));
        } catch (PluginException e) {
            throw new PluginException("the rows of source '" + source.name() + "' with the measures of its metrics"
                    + " cannot be read: " + e.getMessage(), e);
        }
        List<String> where = new ArrayList<>();
        List<Object> whereParameters = new ArrayList<>(inner.parameters());
        for (MetricPlan.Filter filter : plan.filters()) {
            where.add(condition(filter, source, columns, Sql.timestamp(dialect, "e." + q(timestamp.name())),
                    whereParameters));
        }
        String relation = name("rows");
        String sql = base + (where.isEmpty() ? "" : "\nWHERE " + Sql.and(where));
        // Inlined when it is a plain read, so the warehouse pushes the range and where filters into the table scan.
        add(features.isEmpty() ? Sql.Cte.inlined(relation, sql) : new Sql.Cte(relation, sql), whereParameters);
        Rows result = new Rows(relation, columns, measureColumns, reach);
        rows.put(source.name(), result);
        return result;
    }

    /** The rows with each point-in-time feature as of the row's own event time, by the training-set engine. */
    private Statement enrich(Source source, List<FeatureRef> features, Statement entityRows, String timestamp) {
        TrainingSetRequest request = new TrainingSetRequest(features, new EntityInput.Query(entityRows.sql()),
                timestamp, false);
        ResolvedTrainingSet resolved = TrainingSetPlanner.resolve(catalog, request);
        if (!resolved.warehouse().equals(source.warehouse())) {
            throw new PlanException("point-in-time dimensions " + features + " live in warehouse '" + resolved.warehouse()
                    + "', source '" + source.name() + "' in '" + source.warehouse() + "'");
        }
        List<Column> entityColumns = ArrowColumns.of(session.describe(entityRows, allocator));
        Map<String, List<Column>> sourceColumns = new LinkedHashMap<>();
        for (Source featureSource : resolved.sources()) {
            sourceColumns.put(featureSource.name(), describeSource(featureSource));
        }
        TrainingSetPlan trainingSet = TrainingSetPlanner.plan(resolved, entityColumns, sourceColumns);
        return TrainingSetSql.render(trainingSet, entityRows, dialect);
    }

    private List<Metric.Simple> simpleMetricsOf(Source source) {
        List<Metric.Simple> metrics = new ArrayList<>();
        for (Metric metric : catalog.metrics()) {
            if (metric instanceof Metric.Simple simple && simple.source().equals(source.name()) && used(simple.name())) {
                metrics.add(simple);
            }
        }
        return metrics;
    }

    private boolean used(String metric) {
        for (MetricPlan.Node output : plan.outputs()) {
            if (uses(output, metric)) {
                return true;
            }
        }
        return false;
    }

    private static boolean uses(MetricPlan.Node node, String metric) {
        return node.name().equals(metric)
                || dev.fletcher.engine.plan.MetricPlanner.parts(node).stream().anyMatch(p -> uses(p, metric));
    }

    private String condition(MetricPlan.Filter filter, Source source, List<Column> columns, String eventTime,
            List<Object> parameters) {
        MetricPlan.Dimension dimension = filter.dimension();
        String target;
        ColumnKind kind;
        if (dimension.isTime()) {
            target = dialect.truncate(dimension.grain().id(), eventTime);
            kind = ColumnKind.TIMESTAMP;
        } else {
            Column column = columnOf(dimension, new Rows(null, columns, Map.of(), 0), source);
            target = "e." + q(column.name());
            kind = column.kind();
        }
        String placeholder = kind.isTime() ? dialect.timestampParameter() : "?";
        List<Object> values = new ArrayList<>();
        for (Object value : filter.values()) {
            values.add(checked(filter, kind, value));
        }
        MetricFilter.Op op = filter.op();
        switch (op) {
            case IS_NULL:
                return target + " IS NULL";
            case IS_NOT_NULL:
                return target + " IS NOT NULL";
            case IN:
            case NOT_IN:
                parameters.addAll(values);
                return target + (op == MetricFilter.Op.IN ? " IN (" : " NOT IN (")
                        + String.join(", ", values.stream().map(v -> placeholder).toList()) + ")";
            default:
                parameters.add(values.get(0));
                String sqlOp = op == MetricFilter.Op.NE ? "<>" : op.id();
                return target + " " + sqlOp + " " + placeholder;
        }
    }

    /** A where value as a parameter of the dimension's type, or a PlanException naming the mismatch. */
    private static Object checked(MetricPlan.Filter filter, ColumnKind kind, Object value) {
        String dimension = filter.dimension().name();
        if (kind.isTime()) {
            if (value instanceof Instant) {
                return value;
            }
            if (value instanceof String text) {
                return dev.fletcher.engine.plan.MetricPlanner.time(text, "where item on '" + dimension + "'");
            }
            throw new PlanException("where item on '" + dimension + "': it holds times; compare it with a time such as"
                    + " \"2026-03-01\", not " + value);
        }
        boolean ok = switch (kind) {
            case STRING -> value instanceof String;
            case INTEGER, FLOATING, DECIMAL -> value instanceof Long || value instanceof Double;
            case BOOLEAN -> value instanceof Boolean;
            default -> true;
        };
        if (!ok) {
            String expected = switch (kind) {
                case STRING -> "text: give a string, e.g. \"DE\"";
                case BOOLEAN -> "booleans: give true or false";
                default -> "numbers: give a number, e.g. 10";
            };
            throw new PlanException("where item on '" + dimension + "': the dimension holds " + expected + ", not "
                    + (value instanceof String ? "\"" + value + "\"" : value));
        }
        return value;
    }

    /** A group key's expression over a rows relation (alias-qualified when {@code alias} is set). */
    private String dimensionExpression(MetricPlan.Dimension dimension, Rows source, String alias) {
        String prefix = alias == null ? "" : alias + ".";
        if (dimension.isTime()) {
            return dialect.truncate(dimension.grain().id(), prefix + TS);
        }
        return prefix + q(columnOf(dimension, source).name());
    }

    private Column columnOf(MetricPlan.Dimension dimension, Rows source) {
        return columnOf(dimension, source, null);
    }

    private Column columnOf(MetricPlan.Dimension dimension, Rows source, Source named) {
        String name = dimension.feature() != null ? dimension.feature().column() : dimension.name();
        return Column.find(source.columns(), name).orElseThrow(() -> new PlanException("dimension '" + dimension.name()
                + "' is not a column of the rows of source" + (named == null ? "" : " '" + named.name() + "'")
                + "; they have: " + String.join(", ", Column.names(source.columns()).stream()
                .filter(c -> !c.startsWith("_fl_")).toList())));
    }

    private ColumnKind kindOf(MetricPlan.Dimension dimension) {
        if (dimension.isTime()) {
            return ColumnKind.TIMESTAMP;
        }
        for (Rows r : rows.values()) {
            String name = dimension.feature() != null ? dimension.feature().column() : dimension.name();
            var found = Column.find(r.columns(), name);
            if (found.isPresent()) {
                return found.get().kind();
            }
        }
        return ColumnKind.OTHER;
    }

    private List<Column> describeSource(Source source) {
        return described.computeIfAbsent(source.name(), name -> ArrowColumns.of(session.describe(
                Statement.of("SELECT * FROM " + relation(source) + " AS s"), allocator)));
    }

    private String relation(Source source) {
        return Sql.relation(dialect, source);
    }

    private static Column sourceColumn(Source source, List<Column> columns, String name, String role) {
        return Column.find(columns, name).orElseThrow(() -> new PlanException("source '" + source.name() + "' has no "
                + role + " '" + name + "'; its columns: " + String.join(", ", Column.names(columns))));
    }

    /**
     * Every bucket start from the bucket of {@code first} to before {@code end}; open ends come from the event times
     * of {@code times} (a query of one column {@code _fl_ts}).
     */
    private String spineSql(Instant first, Instant end, String times, List<Object> spineParameters) {
        String grain = plan.grain().id();
        String lo;
        if (first != null) {
            lo = dialect.truncate(grain, dialect.timestampParameter());
            spineParameters.add(first);
        } else {
            lo = "(SELECT " + dialect.truncate(grain, "MIN(" + TS + ")") + " FROM (" + times + ") AS _fl_t)";
        }
        String hi;
        if (end != null) {
            hi = dialect.timestampParameter();
            spineParameters.add(end);
        } else {
            hi = "(SELECT MAX(" + TS + ") FROM (" + times + ") AS _fl_t)";
        }
        String sql = "SELECT " + Sql.timestamp(dialect, "_fl_b") + " AS _fl_b\nFROM "
                + dialect.bucketSeries(grain, lo, hi, "_fl_b");
        if (end != null) {
            sql += "\nWHERE _fl_b < " + dialect.timestampParameter();
            spineParameters.add(end);
        }
        return sql;
    }

    // ---------------------------------------------------------------- small helpers

    private void add(Sql.Cte cte) {
        ctes.add(cte);
    }

    private void add(Sql.Cte cte, List<Object> cteParameters) {
        ctes.add(cte);
        parameters.addAll(cteParameters);
    }

    private String name(String what) {
        return "_fl_" + what + (names++);
    }

    private static String key(int index) {
        return "_fl_g" + index;
    }

    private static String slot(int index) {
        return "_fl_s" + index;
    }

    private List<String> allKeys() {
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < plan.dimensions().size(); i++) {
            keys.add(key(i));
        }
        return keys;
    }

    private List<String> nonTimeKeys() {
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < plan.dimensions().size(); i++) {
            if (i != timeIndex) {
                keys.add(key(i));
            }
        }
        return keys;
    }

    private static String keysThen(List<String> keys) {
        return keys.isEmpty() ? "" : String.join(", ", keys) + ", ";
    }

    private static String groupBy(List<String> expressions) {
        return expressions.isEmpty() ? "" : "\nGROUP BY " + String.join(", ", expressions);
    }

    private String q(String identifier) {
        return dialect.quoteIdentifier(identifier);
    }
}
