package dev.fletcher.engine.plan;

import dev.fletcher.catalog.syntax.Suggestions;
import dev.fletcher.catalog.model.Catalog;
import dev.fletcher.catalog.model.Entity;
import dev.fletcher.catalog.model.Feature;
import dev.fletcher.catalog.model.FeatureRef;
import dev.fletcher.catalog.model.FeatureView;
import dev.fletcher.catalog.model.Grain;
import dev.fletcher.catalog.model.Metric;
import dev.fletcher.catalog.model.Names;
import dev.fletcher.catalog.model.Source;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Checks a metrics query against the catalog and builds its {@link MetricPlan}. Every problem a user can fix is a
 * {@link PlanException} naming it: unknown metrics and dimensions, a dimension one of the metrics lacks, a bad grain,
 * a where value of the wrong shape.
 */
public final class MetricPlanner {
    public static final String TIME_PREFIX = "metric_time" + Names.SEPARATOR;

    private final Catalog catalog;
    private final Map<String, MetricPlan.Node> nodes = new HashMap<>();

    private MetricPlanner(Catalog catalog) {
        this.catalog = catalog;
    }

    public static MetricPlan resolve(Catalog catalog, MetricQuery query) {
        return new MetricPlanner(catalog).plan(query);
    }

    private MetricPlan plan(MetricQuery query) {
        if (query.metrics().isEmpty()) {
            throw new PlanException("no metrics requested: name at least one in \"metrics\"; metrics: "
                    + listOf(catalog.metrics().stream().map(Metric::name).toList()));
        }
        List<MetricPlan.Node> outputs = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        for (String name : query.metrics()) {
            if (!seen.add(name)) {
                throw new PlanException("metric '" + name + "' is requested twice");
            }
            outputs.add(node(name, new LinkedHashSet<>()));
        }
        Grain grain = null;
        List<MetricPlan.Dimension> dimensions = new ArrayList<>();
        Set<String> names = new LinkedHashSet<>();
        for (String item : query.groupBy()) {
            MetricPlan.Dimension dimension = dimension(item, "group_by");
            if (!names.add(item)) {
                throw new PlanException("group_by names '" + item + "' twice");
            }
            if (dimension.isTime()) {
                if (grain != null) {
                    throw new PlanException("group_by holds two time grains (metric_time__" + grain + " and " + item
                            + "): group by one");
                }
                grain = dimension.grain();
            }
            if (seen.contains(item)) {
                throw new PlanException("'" + item + "' is both a metric and a group_by item; the answer cannot hold"
                        + " two columns of that name");
            }
            dimensions.add(dimension);
        }
        List<MetricPlan.Filter> filters = new ArrayList<>();
        for (MetricFilter item : query.where()) {
            filters.add(filter(item));
        }
        for (MetricPlan.Node output : outputs) {
            for (MetricPlan.Dimension dimension : dimensions) {
                lacks(output, dimension).ifPresent(reason -> {
                    throw new PlanException("metric '" + output.name() + "' cannot be grouped by '" + dimension.name()
                            + "': " + reason);
                });
            }
            for (MetricPlan.Filter filter : filters) {
                lacks(output, filter.dimension()).ifPresent(reason -> {
                    throw new PlanException("metric '" + output.name() + "' cannot be filtered by '"
                            + filter.dimension().name() + "': " + reason);
                });
            }
        }
        if (query.start() != null && query.end() != null && !query.start().isBefore(query.end())) {
            throw new PlanException("the time range is empty: start " + query.start() + " is not before end "
                    + query.end());
        }
        if (query.fill() && grain != null && (query.start() == null || query.end() == null)) {
            throw new PlanException("fill needs start and end: every bucket between them appears");
        }
        if (query.limit() != null && query.limit() < 0) {
            throw new PlanException("limit must be zero or more, got " + query.limit());
        }
        Set<String> columns = new LinkedHashSet<>(names);
        columns.addAll(seen);
        for (String order : query.orderBy()) {
            String column = order.startsWith("-") ? order.substring(1) : order;
            if (!columns.contains(column)) {
                throw new PlanException("order_by '" + order + "' is not a column of the answer; order by a requested"
                        + " metric or group_by item: " + String.join(", ", columns) + " (a leading - sorts descending)");
            }
        }
        long reach = 0;
        for (MetricPlan.Node output : outputs) {
            reach = Math.max(reach, reach(output));
            if (grain == null && reach(output) > 0) {
                throw new PlanException("metric '" + output.name() + "' compares buckets with earlier ones (an offset):"
                        + " group by metric_time__<grain>");
            }
            if (grain == null && usesCumulative(output)) {
                throw new PlanException("metric '" + output.name() + "' accumulates up to the end of each bucket:"
                        + " group by metric_time__<grain>");
            }
        }
        return new MetricPlan(query, grain, dimensions, filters, outputs, warehouse(outputs), reach);
    }

    private MetricPlan.Node node(String name, Set<String> path) {
        MetricPlan.Node known = nodes.get(name);
        if (known != null) {
            return known;
        }
        Metric metric = catalog.metric(name).orElseThrow(() -> new PlanException("unknown metric '" + name + "'"
                + Suggestions.hint(name, metricNames()) + "; metrics: " + listOf(metricNames())));
        if (!path.add(name)) {
            throw new PlanException("metrics form a cycle: " + String.join(" -> ", path) + " -> " + name);
        }
        MetricPlan.Node node;
        if (metric instanceof Metric.Simple simple) {
            Source source = catalog.source(simple.source()).orElseThrow(() -> new PlanException("metric '" + name
                    + "' reads source '" + simple.source() + "', which is not in the catalog"));
            node = new MetricPlan.Simple(simple, source);
        } else if (metric instanceof Metric.Ratio ratio) {
            node = new MetricPlan.Ratio(ratio, part(ratio, ratio.numerator(), path), part(ratio, ratio.denominator(), path));
        } else if (metric instanceof Metric.Derived derived) {
            List<MetricPlan.Input> inputs = new ArrayList<>();
            for (Metric.Input input : derived.metrics()) {
                inputs.add(new MetricPlan.Input(input.reference(), node(input.metric(), path),
                        input.offset() == null ? 0 : input.offset().seconds()));
            }
            node = new MetricPlan.Derived(derived, inputs);
        } else if (metric instanceof Metric.Cumulative cumulative) {
            MetricPlan.Node input = node(cumulative.metric(), path);
            if (!(input instanceof MetricPlan.Simple) && !(input instanceof MetricPlan.Ratio)) {
                throw new PlanException("cumulative metric '" + name + "' accumulates '" + cumulative.metric()
                        + "', which is neither a simple nor a ratio metric");
            }
            node = new MetricPlan.Cumulative(cumulative, input);
        } else {
            Metric.Conversion conversion = (Metric.Conversion) metric;
            Entity entity = catalog.entity(conversion.entity()).orElseThrow(() -> new PlanException("conversion metric '"
                    + name + "' names entity '" + conversion.entity() + "', which is not in the catalog"));
            MetricPlan.Simple base = event(conversion, conversion.base(), path);
            MetricPlan.Simple converted = event(conversion, conversion.conversion(), path);
            node = new MetricPlan.Conversion(conversion, entity, base, converted);
        }
        path.remove(name);
        nodes.put(name, node);
        return node;
    }

    private MetricPlan.Simple part(Metric.Ratio ratio, String name, Set<String> path) {
        MetricPlan.Node node = node(name, path);
        if (!(node instanceof MetricPlan.Simple simple) || !simple.zeroWhenEmpty()) {
            throw new PlanException("ratio metric '" + ratio.name() + "' divides '" + name + "', which is not a simple"
                    + " metric that sums or counts");
        }
        return simple;
    }

    private MetricPlan.Simple event(Metric.Conversion conversion, String name, Set<String> path) {
        MetricPlan.Node node = node(name, path);
        if (!(node instanceof MetricPlan.Simple simple)) {
            throw new PlanException("conversion metric '" + conversion.name() + "' reads events of '" + name
                    + "', which is not a simple metric");
        }
        if (!simple.source().maps(conversion.entity())) {
            throw new PlanException("conversion metric '" + conversion.name() + "': source '" + simple.source().name()
                    + "' of metric '" + name + "' does not map entity '" + conversion.entity() + "'");
        }
        return simple;
    }

    private MetricPlan.Dimension dimension(String item, String where) {
        if (item == null || item.isBlank()) {
            throw new PlanException(where + " holds an empty name");
        }
        if (item.startsWith(TIME_PREFIX)) {
            String id = item.substring(TIME_PREFIX.length());
            Grain grain = Grain.fromId(id).orElseThrow(() -> new PlanException("'" + item + "' has an unknown time grain '"
                    + id + "': use metric_time__<grain> with a grain of " + grains()));
            return new MetricPlan.Dimension(item, grain, null);
        }
        if (item.equals("metric_time")) {
            throw new PlanException("'metric_time' needs a grain: use metric_time__<grain> with a grain of " + grains()
                    + ", e.g. metric_time__day");
        }
        int separator = item.indexOf(Names.SEPARATOR);
        if (separator > 0 && !sourceDimension(item)) {
            String view = item.substring(0, separator);
            String feature = item.substring(separator + Names.SEPARATOR.length());
            Optional<FeatureView> found = catalog.featureView(view);
            if (found.isPresent()) {
                if (found.get().feature(feature).isEmpty()) {
                    List<String> features = found.get().features().stream().map(Feature::name).toList();
                    throw new PlanException("unknown dimension '" + item + "': feature view '" + view + "' has no feature '"
                            + feature + "'" + Suggestions.hint(feature, features) + "; its features: " + listOf(features));
                }
                return new MetricPlan.Dimension(item, null, new FeatureRef(view, feature));
            }
        }
        if (!sourceDimension(item)) {
            Set<String> known = new java.util.TreeSet<>();
            catalog.metrics().forEach(m -> {
                if (m instanceof Metric.Simple s) {
                    known.addAll(s.dimensions());
                }
            });
            throw new PlanException("unknown dimension '" + item + "'" + Suggestions.hint(item, known)
                    + ": a dimension is metric_time__<grain>, a column a metric lists in its dimensions (" + listOf(List.copyOf(known))
                    + "), or <feature_view>__<feature>");
        }
        return new MetricPlan.Dimension(item, null, null);
    }

    private boolean sourceDimension(String item) {
        return catalog.metrics().stream().anyMatch(m -> m instanceof Metric.Simple s && s.dimensions().contains(item));
    }

    private MetricPlan.Filter filter(MetricFilter item) {
        MetricPlan.Dimension dimension = dimension(item.dimension(), "where");
        List<Object> values = new ArrayList<>();
        for (Object value : item.values()) {
            if (!(value instanceof String || value instanceof Long || value instanceof Double
                    || value instanceof Boolean || value instanceof Integer)) {
                throw new PlanException("where item on '" + item.dimension() + "': values are strings, numbers or"
                        + " booleans, not " + value);
            }
            if (dimension.isTime()) {
                if (!(value instanceof String text)) {
                    throw new PlanException("where item on '" + item.dimension() + "': compare a time dimension with a time"
                            + " such as \"2026-03-01\" or \"2026-03-01T10:00:00Z\", not " + value);
                }
                values.add(time(text, "where item on '" + item.dimension() + "'"));
            } else {
                values.add(value instanceof Integer i ? (Object) i.longValue() : value);
            }
        }
        return new MetricPlan.Filter(dimension, item.op(), values);
    }

    /** Why a metric cannot be grouped or filtered by the dimension; empty when it can. */
    private Optional<String> lacks(MetricPlan.Node node, MetricPlan.Dimension dimension) {
        if (dimension.isTime()) {
            return Optional.empty();
        }
        if (node instanceof MetricPlan.Simple simple) {
            if (dimension.feature() != null) {
                FeatureView view = catalog.featureView(dimension.feature().view()).orElseThrow();
                return simple.source().maps(view.entity()) ? Optional.empty()
                        : Optional.of("its source '" + simple.source().name() + "' does not map entity '" + view.entity()
                        + "' of feature view '" + view.name() + "'");
            }
            return simple.metric().dimensions().contains(dimension.name()) ? Optional.empty()
                    : Optional.of("'" + dimension.name() + "' is not among its dimensions ("
                    + listOf(simple.metric().dimensions()) + ")");
        }
        List<MetricPlan.Node> parts = parts(node);
        if (node instanceof MetricPlan.Conversion c) {
            parts = List.of(c.base());
        }
        for (MetricPlan.Node part : parts) {
            Optional<String> reason = lacks(part, dimension);
            if (reason.isPresent()) {
                return Optional.of("it is computed from '" + part.name() + "', and " + reason.get());
            }
        }
        return Optional.empty();
    }

    /**
     * The source dimensions a metric may be grouped by (besides metric_time__<grain> and point-in-time dimensions):
     * a simple metric's own, those every part of a composite one has, a conversion's base's.
     */
    public static List<String> sourceDimensions(Catalog catalog, String metric) {
        MetricPlan.Node node = new MetricPlanner(catalog).node(metric, new LinkedHashSet<>());
        return sourceDimensions(node);
    }

    private static List<String> sourceDimensions(MetricPlan.Node node) {
        if (node instanceof MetricPlan.Simple simple) {
            return simple.metric().dimensions();
        }
        List<MetricPlan.Node> parts = node instanceof MetricPlan.Conversion c ? List.of(c.base()) : parts(node);
        List<String> common = null;
        for (MetricPlan.Node part : parts) {
            List<String> dims = sourceDimensions(part);
            common = common == null ? new ArrayList<>(dims) : new ArrayList<>(common.stream().filter(dims::contains).toList());
        }
        return common == null ? List.of() : List.copyOf(common);
    }

    /** The metrics a node is computed from (none for a simple metric). */
    public static List<MetricPlan.Node> parts(MetricPlan.Node node) {
        if (node instanceof MetricPlan.Ratio r) {
            return List.of(r.numerator(), r.denominator());
        }
        if (node instanceof MetricPlan.Derived d) {
            return d.inputs().stream().map(MetricPlan.Input::node).toList();
        }
        if (node instanceof MetricPlan.Cumulative c) {
            return List.of(c.input());
        }
        if (node instanceof MetricPlan.Conversion c) {
            return List.of(c.base(), c.conversion());
        }
        return List.of();
    }

    private static long reach(MetricPlan.Node node) {
        if (node instanceof MetricPlan.Derived d) {
            return d.inputs().stream().mapToLong(i -> i.offsetSeconds() + reach(i.node())).max().orElse(0);
        }
        return 0;
    }

    private static boolean usesCumulative(MetricPlan.Node node) {
        return node instanceof MetricPlan.Cumulative || parts(node).stream().anyMatch(MetricPlanner::usesCumulative);
    }

    private String warehouse(List<MetricPlan.Node> outputs) {
        Set<String> warehouses = new LinkedHashSet<>();
        outputs.forEach(o -> sources(o, warehouses));
        if (warehouses.size() > 1) {
            throw new PlanException("the requested metrics read sources in different warehouses (" + String.join(", ",
                    warehouses) + "); query them separately");
        }
        return warehouses.iterator().next();
    }

    private static void sources(MetricPlan.Node node, Set<String> warehouses) {
        if (node instanceof MetricPlan.Simple s) {
            warehouses.add(s.source().warehouse());
        }
        parts(node).forEach(part -> sources(part, warehouses));
    }

    private List<String> metricNames() {
        return catalog.metrics().stream().map(Metric::name).toList();
    }

    private static String grains() {
        return String.join(", ", Arrays.stream(Grain.values()).map(Grain::id).toList());
    }

    private static String listOf(List<String> names) {
        return names.isEmpty() ? "none" : String.join(", ", names);
    }

    /**
     * A time as requests write it: ISO-8601 with a zone (converted to UTC), without one (UTC), or a date (its
     * midnight UTC).
     */
    public static Instant time(String text, String what) {
        try {
            return RequestTimes.parse(text);
        } catch (IllegalArgumentException e) {
            throw new PlanException(what + ": '" + text + "' is not a time; use " + RequestTimes.FORMATS);
        }
    }

    static String lower(String text) {
        return text.toLowerCase(Locale.ROOT);
    }
}
