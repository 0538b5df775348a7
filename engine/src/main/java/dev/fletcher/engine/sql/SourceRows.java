package dev.fletcher.engine.sql;

import dev.fletcher.catalog.model.Catalog;
import dev.fletcher.catalog.model.Entity;
import dev.fletcher.catalog.model.FeatureRef;
import dev.fletcher.catalog.model.FeatureView;
import dev.fletcher.catalog.model.Metric;
import dev.fletcher.catalog.model.Source;
import dev.fletcher.engine.plan.Column;
import dev.fletcher.engine.plan.ColumnKind;
import dev.fletcher.engine.plan.EntityInput;
import dev.fletcher.engine.plan.MetricPlan;
import dev.fletcher.engine.plan.MetricPlanner;
import dev.fletcher.engine.plan.PlanException;
import dev.fletcher.engine.plan.ResolvedTrainingSet;
import dev.fletcher.engine.plan.TrainingSetPlan;
import dev.fletcher.engine.plan.TrainingSetPlanner;
import dev.fletcher.engine.plan.TrainingSetRequest;
import dev.fletcher.spi.warehouse.Dialect;
import dev.fletcher.spi.warehouse.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The rows of a source a metrics query reads: those in the event-time range (widened by cumulative windows), with
 * point-in-time dimensions joined on by the training-set engine, each row as an entity row anchored at its own event
 * time, and each measure's expression as a column. Both passes render them: describing asks the warehouse for
 * their columns, rendering reads them before the where items.
 */
final class SourceRows {
    static final String TS = "_fl_ts";

    /**
     * A source's rows before the where items.
     *
     * @param columns        the select list over the relation {@code e}
     * @param inner          the relation {@code e}: the source's rows in range, with any point-in-time dimensions
     * @param eventTime      the rows' event-time column
     * @param measureColumns by metric name, the column holding its measure expression
     * @param enriched       whether point-in-time dimensions are joined on
     */
    record Read(List<String> columns, Statement inner, String eventTime, Map<String, String> measureColumns,
            boolean enriched) {
        /** The rows as the warehouse describes them. */
        Statement statement() {
            return new Statement(sql(List.of()), inner.parameters());
        }

        String sql(List<String> where) {
            return Select.of(columns).fromQuery(inner.sql(), "e").where(where).toString();
        }
    }

    private SourceRows() {
    }

    /**
     * @param reach     how far before the query's read start the rows go, for cumulative windows
     * @param described a source's columns as the warehouse describes them
     */
    static Read read(Catalog catalog, MetricPlan plan, Dialect dialect, Source source, long reach,
            Function<Source, List<Column>> described) {
        List<Column> sourceColumns = described.apply(source);
        Column timestamp = sourceColumn(source, sourceColumns, source.timestamp(), "timestamp column");
        if (!timestamp.kind().isTime() && timestamp.kind() != ColumnKind.OTHER) {
            throw new PlanException("the timestamp column '" + timestamp.name() + "' of source '" + source.name()
                    + "' is not a timestamp or date");
        }
        String ts = "s." + dialect.quoteIdentifier(timestamp.name());
        List<String> select = new ArrayList<>(List.of("s.*"));
        // The entity rows are the source's own columns and the key aliases below, so their kinds are the source's.
        List<Column> entityColumns = new ArrayList<>(sourceColumns);
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
                    String alias = "s." + dialect.quoteIdentifier(column.name()) + " AS "
                            + dialect.quoteIdentifier(key);
                    if (!select.contains(alias)) {
                        select.add(alias);
                        entityColumns.add(new Column(key, column.kind()));
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
        Statement entityRows = new Statement(Select.of(select).from(Sql.relation(dialect, source), "s").where(range)
                .toString(), rangeParameters);
        Statement inner = features.isEmpty() ? entityRows
                : enrich(catalog, dialect, source, features, entityRows, entityColumns, timestamp.name(), described);

        Map<String, String> measureColumns = new LinkedHashMap<>();
        List<String> outer = new ArrayList<>(List.of("e.*", Sql.timestamp(dialect, "e."
                + dialect.quoteIdentifier(timestamp.name())) + " AS " + TS));
        Map<String, String> byExpression = new LinkedHashMap<>();
        for (Metric.Simple metric : simpleMetricsOf(catalog, plan, source)) {
            if (metric.measure().expr() != null) {
                String alias = byExpression.computeIfAbsent(metric.measure().expr(), expr -> {
                    String next = "_fl_x" + byExpression.size();
                    outer.add("(" + expr + ") AS " + next);
                    return next;
                });
                measureColumns.put(metric.name(), alias);
            }
        }
        return new Read(outer, inner, timestamp.name(), measureColumns, !features.isEmpty());
    }

    /** The rows with each point-in-time feature as of the row's own event time, by the training-set engine. */
    private static Statement enrich(Catalog catalog, Dialect dialect, Source source, List<FeatureRef> features,
            Statement entityRows, List<Column> entityColumns, String timestamp,
            Function<Source, List<Column>> described) {
        TrainingSetRequest request = new TrainingSetRequest(features, new EntityInput.Query(entityRows.sql()),
                timestamp, false);
        ResolvedTrainingSet resolved = TrainingSetPlanner.resolve(catalog, request);
        if (!resolved.warehouse().equals(source.warehouse())) {
            throw new PlanException("point-in-time dimensions " + features + " live in warehouse '"
                    + resolved.warehouse() + "', source '" + source.name() + "' in '" + source.warehouse() + "'");
        }
        Map<String, List<Column>> sourceColumns = new LinkedHashMap<>();
        for (Source featureSource : resolved.sources()) {
            sourceColumns.put(featureSource.name(), described.apply(featureSource));
        }
        TrainingSetPlan trainingSet = TrainingSetPlanner.plan(resolved, entityColumns, sourceColumns);
        return TrainingSetSql.render(trainingSet, entityRows, dialect);
    }

    private static List<Metric.Simple> simpleMetricsOf(Catalog catalog, MetricPlan plan, Source source) {
        List<Metric.Simple> metrics = new ArrayList<>();
        for (Metric metric : catalog.metrics()) {
            if (metric instanceof Metric.Simple simple && simple.source().equals(source.name())
                    && plan.outputs().stream().anyMatch(output -> uses(output, simple.name()))) {
                metrics.add(simple);
            }
        }
        return metrics;
    }

    private static boolean uses(MetricPlan.Node node, String metric) {
        return node.name().equals(metric) || MetricPlanner.parts(node).stream().anyMatch(p -> uses(p, metric));
    }

    static Column sourceColumn(Source source, List<Column> columns, String name, String role) {
        return Column.find(columns, name).orElseThrow(() -> new PlanException("source '" + source.name() + "' has no "
                + role + " '" + name + "'; its columns: " + Column.listed(columns)));
    }

    /** By source name, how far before the read start its rows must go for cumulative windows; 0 when absent. */
    static Map<String, Long> reach(MetricPlan plan) {
        Map<String, Long> reach = new HashMap<>();
        plan.outputs().forEach(output -> reach(output, 0, reach));
        return reach;
    }

    private static void reach(MetricPlan.Node node, long extra, Map<String, Long> reach) {
        if (node instanceof MetricPlan.Simple simple) {
            reach.merge(simple.source().name(), extra, Math::max);
        } else if (node instanceof MetricPlan.Ratio ratio) {
            reach(ratio.numerator(), extra, reach);
            reach(ratio.denominator(), extra, reach);
        } else if (node instanceof MetricPlan.Derived derived) {
            derived.inputs().forEach(input -> reach(input.node(), extra, reach));
        } else if (node instanceof MetricPlan.Cumulative cumulative) {
            reach(cumulative.input(), extra + cumulativeReach(cumulative.metric()), reach);
        } else if (node instanceof MetricPlan.Conversion conversion) {
            reach(conversion.base(), extra, reach);
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
}
