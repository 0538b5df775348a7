package dev.fletcher.catalog.lang;

import dev.fletcher.catalog.syntax.Suggestions;
import dev.fletcher.catalog.model.Aggregation;
import dev.fletcher.catalog.model.CatalogObject;
import dev.fletcher.catalog.model.DriftMethod;
import dev.fletcher.catalog.model.Entity;
import dev.fletcher.catalog.model.Experiment;
import dev.fletcher.catalog.model.Feature;
import dev.fletcher.catalog.model.FeatureType;
import dev.fletcher.catalog.model.FeatureView;
import dev.fletcher.catalog.model.Grain;
import dev.fletcher.catalog.model.Kind;
import dev.fletcher.catalog.model.Metric;
import dev.fletcher.catalog.model.MetricType;
import dev.fletcher.catalog.model.Monitor;
import dev.fletcher.catalog.model.Names;
import dev.fletcher.catalog.model.Source;
import dev.fletcher.catalog.model.Window;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/** Turns one document's YAML nodes into a typed definition, reporting every problem it finds on the way. */
final class DefinitionReader {
    private static final List<String> COMMON = List.of("kind", "name", "description", "tags");
    private static final List<String> ENTITY = fields("keys");
    private static final List<String> SOURCE =
            fields("warehouse", "table", "sql", "timestamp", "created_timestamp", "entity_columns", "stream");
    private static final List<String> FEATURE_VIEW = fields("entity", "source", "ttl", "online", "features");
    private static final List<String> FEATURE =
            List.of("name", "column", "type", "aggregation", "window", "filter", "percentile", "expr", "description");
    private static final Map<MetricType, List<String>> METRIC = new EnumMap<>(Map.of(
            MetricType.SIMPLE, fields("type", "source", "entity", "measure", "filter", "dimensions"),
            MetricType.RATIO, fields("type", "numerator", "denominator"),
            MetricType.DERIVED, fields("type", "expr", "metrics"),
            MetricType.CUMULATIVE, fields("type", "metric", "window", "grain_to_date"),
            MetricType.CONVERSION, fields("type", "entity", "base", "conversion", "window")));
    private static final List<String> THRESHOLD_MONITOR = fields("metric", "window", "every", "maturity", "alert");
    private static final List<String> DRIFT_MONITOR = fields("feature_view", "feature", "source", "column", "drift", "every");
    private static final List<String> EXPERIMENT =
            fields("entity", "assignments", "control", "window", "metrics", "guardrail_metrics", "quantile_metrics",
                    "cuped", "split", "analysis");
    private static final List<String> EXPERIMENT_ANALYSIS = List.of("sequential", "tuning", "correction", "bayesian");

    private final Doc doc;

    private DefinitionReader(Doc doc) {
        this.doc = doc;
    }

    private static List<String> fields(String... own) {
        List<String> all = new ArrayList<>(COMMON);
        all.addAll(Arrays.asList(own));
        return List.copyOf(all);
    }

    /** Reads one document; null when it has problems (all of them reported to {@code doc}). */
    static CatalogObject read(Doc doc, Node root) {
        Fields f = Fields.of(doc, root, "");
        if (f == null) {
            return null;
        }
        return new DefinitionReader(doc).read(f);
    }

    private CatalogObject read(Fields f) {
        if (!f.has("kind")) {
            f.missing("kind", "each document starts with kind: " + kinds());
            return null;
        }
        String kindText = f.text("kind");
        if (kindText == null) {
            return null;
        }
        Kind kind = Kind.fromId(kindText).orElse(null);
        if (kind == null) {
            List<String> ids = Arrays.stream(Kind.values()).map(Kind::id).toList();
            f.error("kind", "unknown kind '" + kindText + "'" + Suggestions.hint(kindText, ids) + "; use one of: " + kinds());
            return null;
        }
        int before = doc.errorCount();
        String name = f.name("name", true, null);
        String description = f.text("description");
        Map<String, String> tags = f.tags();
        CatalogObject object = switch (kind) {
            case ENTITY -> entity(f, name, description, tags);
            case SOURCE -> source(f, name, description, tags);
            case FEATURE_VIEW -> featureView(f, name, description, tags);
            case METRIC -> metric(f, name, description, tags);
            case MONITOR -> monitor(f, name, description, tags);
            case EXPERIMENT -> experiment(f, name, description, tags);
        };
        return doc.errorCount() == before ? object : null;
    }

    private static String kinds() {
        return Arrays.stream(Kind.values()).map(Kind::id).collect(Collectors.joining(", "));
    }

    private Entity entity(Fields f, String name, String description, Map<String, String> tags) {
        f.rejectUnknown(ENTITY, null);
        List<String> keys = f.words("keys", true, "the key column(s) that identify it, e.g. keys: [customer_id]", true);
        return keys == null || name == null ? null : new Entity(name, keys, description, tags);
    }

    private Source source(Fields f, String name, String description, Map<String, String> tags) {
        f.rejectUnknown(SOURCE, null);
        String warehouse = f.has("warehouse") ? f.name("warehouse", false, null) : Source.DEFAULT_WAREHOUSE;
        String table = f.nonBlank("table", false, null);
        String sql = f.nonBlank("sql", false, null);
        if (f.has("table") && f.has("sql")) {
            f.error("sql", "a source reads a table or a sql query, not both: remove 'table' or 'sql'");
        } else if (!f.has("table") && !f.has("sql")) {
            f.missing("table", "a source reads a table (table: txns) or a query (sql: \"select ...\")");
        }
        String timestamp = f.column("timestamp", true, "the column holding each row's event time");
        String created = f.column("created_timestamp", false, null);
        Map<String, List<String>> entityColumns = entityColumns(f);
        Source.Stream stream = null;
        Fields s = f.mapping("stream", false, null);
        if (s != null) {
            s.rejectUnknown(List.of("plugin", "topic", "format"), null);
            String plugin = s.name("plugin", true, "the stream plugin, e.g. kafka");
            String topic = s.nonBlank("topic", true, "where the rows arrive");
            String format = s.has("format") ? s.nonBlank("format", false, null) : Source.Stream.DEFAULT_FORMAT;
            if (plugin != null && topic != null && format != null) {
                stream = new Source.Stream(plugin, topic, format);
            }
        }
        if (name == null || warehouse == null || timestamp == null || entityColumns == null
                || (table == null) == (sql == null) || (s != null && stream == null)) {
            return null;
        }
        return new Source(name, warehouse, table, sql, timestamp, created, entityColumns, stream, description, tags);
    }

    private Map<String, List<String>> entityColumns(Fields f) {
        Fields m = f.mapping("entity_columns", false, null);
        if (m == null) {
            return f.has("entity_columns") ? null : Map.of();
        }
        Map<String, List<String>> result = new LinkedHashMap<>();
        boolean ok = true;
        for (String entity : m.keys()) {
            if (!Names.isName(entity)) {
                m.error(entity, Fields.badName(entity));
                ok = false;
                continue;
            }
            Node value = m.value(entity);
            List<String> columns;
            if (value instanceof SequenceNode) {
                columns = m.words(entity, true, null, true);
            } else if (value instanceof ScalarNode && !Fields.isNull(value)) {
                String column = m.word(value, m.path(entity), true);
                columns = column == null ? null : List.of(column);
            } else {
                m.error(entity, "expected the entity's key column, or a list of them for a composite key, found "
                        + Fields.describe(value));
                columns = null;
            }
            if (columns == null) {
                ok = false;
            } else {
                result.put(entity, columns);
            }
        }
        return ok ? result : null;
    }

    private FeatureView featureView(Fields f, String name, String description, Map<String, String> tags) {
        f.rejectUnknown(FEATURE_VIEW, null);
        if (name != null && (name.contains(Names.SEPARATOR) || name.equals("metric_time"))) {
            f.error("name", "a feature view's name may not contain '__' nor be 'metric_time': queries name its"
                    + " features <feature_view>__<feature>");
            name = null;
        }
        String entity = f.name("entity", true, "the entity whose features these are");
        String source = f.name("source", true, "the source the features are computed from");
        Window ttl = f.window("ttl", false, false, null);
        Boolean online = f.bool("online");
        List<Node> items = f.list("features", true, "the view's features, e.g. features: [{name: plan, column: plan}]");
        List<Feature> features = new ArrayList<>();
        boolean ok = items != null;
        if (items != null) {
            Map<String, Node> seen = new HashMap<>();
            for (int i = 0; i < items.size(); i++) {
                Fields item = Fields.of(doc, items.get(i), f.itemPath("features", i));
                Feature feature = item == null ? null : feature(item);
                if (feature == null) {
                    ok = false;
                    continue;
                }
                Node previous = seen.putIfAbsent(feature.name(), item.node());
                if (previous != null) {
                    item.error("name", "feature '" + feature.name() + "' is defined twice in this view (first on line "
                            + doc.line(previous) + ")");
                    ok = false;
                }
                features.add(feature);
            }
        }
        if (!ok || name == null || entity == null || source == null || (f.has("ttl") && ttl == null)
                || (f.has("online") && online == null)) {
            return null;
        }
        return new FeatureView(name, entity, source, ttl, Boolean.TRUE.equals(online), features, description, tags);
    }

    private Feature feature(Fields f) {
        int before = doc.errorCount();
        f.rejectUnknown(FEATURE, null);
        String name = f.name("name", true, null);
        if (name != null && name.contains(Names.SEPARATOR)) {
            f.error("name", "a feature's name may not contain '__': queries name features <feature_view>__<feature>");
        }
        String description = f.text("description");
        FeatureType type = f.choice("type", false, null, FeatureType.values(), FeatureType::id);
        Feature feature;
        if (f.has("expr")) {
            for (String other : List.of("column", "aggregation", "window", "filter", "percentile")) {
                if (f.has(other)) {
                    f.error(other, "a derived feature (expr) is computed from the view's other features and takes no '"
                            + other + "'");
                }
            }
            String expr = f.nonBlank("expr", true, null);
            feature = expr == null || name == null ? null : new Feature.Derived(name, expr, type, description);
        } else if (f.has("aggregation")) {
            feature = aggregated(f, name, type, description);
        } else {
            if (f.has("window")) {
                f.error("window", "a window needs an aggregation (e.g. aggregation: sum); a latest-value feature"
                        + " takes the newest row, and the view's ttl says how old it may be");
            }
            for (String other : List.of("filter", "percentile")) {
                if (f.has(other)) {
                    f.error(other, "'" + other + "' goes with an aggregation; this feature has none");
                }
            }
            // Feast-style shorthand: a feature named like its column needs no column field.
            String column = f.has("column") ? f.column("column", false, null) : name;
            feature = column == null || name == null ? null : new Feature.LatestValue(name, column, type, description);
        }
        return doc.errorCount() == before ? feature : null;
    }

    private Feature aggregated(Fields f, String name, FeatureType type, String description) {
        Aggregation agg = f.choice("aggregation", true, null, Aggregation.values(), Aggregation::id);
        Window window = null;
        if (!f.has("window")) {
            f.missing("window", "an aggregation needs a window to aggregate over, e.g. window: 7d");
        } else {
            window = f.window("window", true, false, null);
        }
        String column = f.column("column", false, null);
        if (agg != null && agg.needsColumn() && !f.has("column")) {
            f.missing("column", "aggregation " + agg.id() + " needs the column it aggregates");
        }
        String filter = f.nonBlank("filter", false, null);
        Double percentile = null;
        if (agg == Aggregation.APPROX_PERCENTILE) {
            percentile = f.number("percentile", true, "which percentile, as a fraction, e.g. percentile: 0.95");
            if (percentile != null && !(percentile > 0 && percentile < 1)) {
                f.error("percentile", "percentile must be between 0 and 1 (exclusive), e.g. 0.95");
                percentile = null;
            }
        } else if (f.has("percentile")) {
            f.error("percentile", "percentile goes with aggregation: approx_percentile only");
        }
        if (agg != null && type != null && (agg.needsNumbers() || agg.isCount()) && !type.isNumeric()) {
            f.error("type", "aggregation " + agg.id() + " gives a number, so the feature cannot be of type " + type.id());
        }
        if (agg == null || window == null || name == null || (agg.needsColumn() && column == null)
                || (agg == Aggregation.APPROX_PERCENTILE && percentile == null)) {
            return null;
        }
        return new Feature.Aggregated(name, agg, column, window, filter, percentile, type, description);
    }

    private Metric metric(Fields f, String name, String description, Map<String, String> tags) {
        MetricType type = f.has("type")
                ? f.choice("type", false, null, MetricType.values(), MetricType::id)
                : MetricType.SIMPLE;
        if (type == null) {
            Set<String> any = new LinkedHashSet<>();
            METRIC.values().forEach(any::addAll);
            f.rejectUnknown(any, null);
            return null;
        }
        f.rejectUnknown(METRIC.get(type), key -> {
            List<String> owners = METRIC.entrySet().stream()
                    .filter(e -> e.getValue().contains(key)).map(e -> e.getKey().id()).toList();
            return owners.isEmpty() ? null : "field '" + key + "' does not belong to a " + type.id() + " metric; it is for "
                    + String.join(" and ", owners) + " metrics" + (type == MetricType.SIMPLE ? " (set type:)" : "");
        });
        if (name == null) {
            return null;
        }
        return switch (type) {
            case SIMPLE -> simpleMetric(f, name, description, tags);
            case RATIO -> {
                String numerator = f.name("numerator", true, "the metric on top");
                String denominator = f.name("denominator", true, "the metric below");
                yield numerator == null || denominator == null ? null
                        : new Metric.Ratio(name, numerator, denominator, description, tags);
            }
            case DERIVED -> derivedMetric(f, name, description, tags);
            case CUMULATIVE -> {
                String metric = f.name("metric", true, "the metric to accumulate");
                Window window = f.window("window", false, false, null);
                Grain grain = f.choice("grain_to_date", false, null, Grain.values(), Grain::id);
                if (f.has("window") && f.has("grain_to_date")) {
                    f.error("grain_to_date", "a cumulative metric has a window or grain_to_date, not both");
                    yield null;
                }
                yield metric == null || (f.has("window") && window == null) || (f.has("grain_to_date") && grain == null)
                        ? null : new Metric.Cumulative(name, metric, window, grain, description, tags);
            }
            case CONVERSION -> {
                String entity = f.name("entity", true, "whose base events convert");
                String base = f.name("base", true, "the metric whose rows are the base events");
                String conversion = f.name("conversion", true, "the metric whose rows are the conversion events");
                Window window = f.window("window", true, false, "how long after a base event a conversion counts");
                yield entity == null || base == null || conversion == null || window == null ? null
                        : new Metric.Conversion(name, entity, base, conversion, window, description, tags);
            }
        };
    }

    private Metric simpleMetric(Fields f, String name, String description, Map<String, String> tags) {
        String source = f.name("source", true, "the source whose rows the metric aggregates");
        String entity = f.name("entity", false, null);
        String filter = f.nonBlank("filter", false, null);
        List<String> dimensions = f.has("dimensions") ? f.words("dimensions", false, null, true) : List.of();
        Metric.Measure measure = null;
        Fields m = f.mapping("measure", true, "what to aggregate, e.g. measure: {agg: sum, expr: revenue}");
        if (m != null) {
            m.rejectUnknown(List.of("agg", "expr"), null);
            Aggregation agg = m.choice("agg", true, null, Aggregation.values(), Aggregation::id, Aggregation.MEASURE);
            String expr = m.nonBlank("expr", agg != null && agg.needsColumn(), "aggregation needs an expression");
            if (agg != null && (expr != null || !agg.needsColumn())) {
                measure = new Metric.Measure(agg, expr);
            }
        }
        return source == null || measure == null || dimensions == null || (f.has("entity") && entity == null)
                ? null : new Metric.Simple(name, source, entity, measure, filter, dimensions, description, tags);
    }

    private Metric derivedMetric(Fields f, String name, String description, Map<String, String> tags) {
        String expr = f.nonBlank("expr", true, "the formula over the listed metrics, e.g. \"revenue / nullif(orders, 0)\"");
        List<Node> items = f.list("metrics", true, "the metrics the expression reads");
        if (items == null) {
            return null;
        }
        List<Metric.Input> inputs = new ArrayList<>();
        Map<String, Integer> references = new HashMap<>();
        boolean ok = true;
        for (int i = 0; i < items.size(); i++) {
            Node item = items.get(i);
            String itemPath = f.itemPath("metrics", i);
            Metric.Input input = null;
            if (item instanceof ScalarNode) {
                String metric = f.word(item, itemPath, false);
                input = metric == null ? null : new Metric.Input(metric);
            } else {
                Fields m = Fields.of(doc, item, itemPath);
                if (m != null) {
                    m.rejectUnknown(List.of("name", "offset", "alias"), null);
                    String metric = m.name("name", true, "the metric read");
                    Window offset = m.window("offset", false, false, null);
                    String alias = m.name("alias", false, null);
                    if (metric != null && (!m.has("offset") || offset != null) && (!m.has("alias") || alias != null)) {
                        input = new Metric.Input(metric, offset, alias);
                    }
                }
            }
            if (input == null) {
                ok = false;
                continue;
            }
            Integer first = references.putIfAbsent(input.reference(), i);
            if (first != null) {
                doc.error(item, itemPath, "two inputs are both called '" + input.reference() + "' (metrics[" + first
                        + "] and metrics[" + i + "]): give one an alias");
                ok = false;
            }
            inputs.add(input);
        }
        return ok && expr != null ? new Metric.Derived(name, expr, inputs, description, tags) : null;
    }

    private Monitor monitor(Fields f, String name, String description, Map<String, String> tags) {
        boolean drift = f.has("drift") || f.has("feature_view") || f.has("feature") || f.has("source") || f.has("column");
        Window every = f.has("every") ? f.window("every", false, false, null) : Monitor.DEFAULT_EVERY;
        if (drift) {
            f.rejectUnknown(DRIFT_MONITOR, key -> THRESHOLD_MONITOR.contains(key)
                    ? "field '" + key + "' does not belong to a drift monitor" + (key.equals("window")
                            ? "; put window and baseline inside drift: {...}" : "") : null);
            return driftMonitor(f, name, every, description, tags);
        }
        f.rejectUnknown(THRESHOLD_MONITOR, key -> DRIFT_MONITOR.contains(key)
                ? "field '" + key + "' belongs to drift monitors (which need drift: {...})" : null);
        String metric = f.name("metric", true, "the metric to watch (or drift: {...} with a feature or column)");
        Window window = f.window("window", true, false, "the trailing window the metric is evaluated over, e.g. 3h");
        Window maturity = f.has("maturity") ? f.window("maturity", false, true, null) : Monitor.Threshold.NO_MATURITY;
        Monitor.Alert alert = null;
        Fields a = f.mapping("alert", true, "when to alert, e.g. alert: {below: 0.8}");
        if (a != null) {
            a.rejectUnknown(List.of("below", "above"), null);
            Double below = a.number("below", false, null);
            Double above = a.number("above", false, null);
            if (!a.has("below") && !a.has("above")) {
                a.errorHere("an alert needs below: or above: (or both), e.g. alert: {below: 0.8}");
            } else if (below != null && above != null && below >= above) {
                a.error("above", "above (" + above + ") must be greater than below (" + below + ")");
            } else if ((below != null || !a.has("below")) && (above != null || !a.has("above"))) {
                alert = new Monitor.Alert(below, above);
            }
        }
        return name == null || metric == null || window == null || every == null || maturity == null || alert == null
                ? null : new Monitor.Threshold(name, metric, window, every, maturity, alert, description, tags);
    }

    private Monitor driftMonitor(Fields f, String name, Window every, String description, Map<String, String> tags) {
        boolean onFeature = f.has("feature_view") || f.has("feature");
        boolean onColumn = f.has("source") || f.has("column");
        String featureView = null;
        String feature = null;
        String source = null;
        String column = null;
        if (onFeature && onColumn) {
            f.errorHere("a drift monitor watches feature_view + feature or source + column, not both");
        } else if (onFeature) {
            featureView = f.name("feature_view", true, "a drift monitor on a feature names its view");
            feature = f.name("feature", true, "a drift monitor on a feature view names the feature");
        } else if (onColumn) {
            source = f.name("source", true, "a drift monitor on a column names its source");
            column = f.column("column", true, "a drift monitor on a source names the column");
        } else {
            f.errorHere("a drift monitor watches feature_view + feature or source + column: give one pair");
        }
        Monitor.DriftTest test = null;
        Fields d = f.mapping("drift", true, "how to compare, e.g. drift: {method: psi, baseline: 7d, window: 1d,"
                + " threshold: 0.2}");
        if (d != null) {
            d.rejectUnknown(List.of("method", "baseline", "window", "bins", "threshold"), null);
            DriftMethod method = d.has("method")
                    ? d.choice("method", false, null, DriftMethod.values(), DriftMethod::id) : DriftMethod.PSI;
            Window baseline = d.window("baseline", true, false, "the reference period before the window, e.g. 7d");
            Window window = d.window("window", true, false, "the current period, e.g. 1d");
            Integer bins = null;
            if (method == DriftMethod.PSI) {
                // Integer, not int: a bins value that is not a whole number reads as null and is reported, not unboxed
                bins = d.has("bins") ? d.integer("bins", false, null) : Integer.valueOf(Monitor.DriftTest.DEFAULT_BINS);
                if (bins != null && (bins < 2 || bins > 1000)) {
                    d.error("bins", "bins must be between 2 and 1000");
                    bins = null;
                }
            } else if (method == DriftMethod.KS && d.has("bins")) {
                d.error("bins", "bins are for method psi; ks compares the distributions directly");
            }
            Double threshold = d.number("threshold", true, "the statistic above which the monitor alerts, e.g. 0.2");
            if (threshold != null && threshold <= 0) {
                d.error("threshold", "threshold must be greater than 0");
                threshold = null;
            }
            if (method != null && baseline != null && window != null && threshold != null
                    && (method == DriftMethod.KS || bins != null)) {
                test = new Monitor.DriftTest(method, baseline, window, bins, threshold);
            }
        }
        boolean watched = (featureView != null && feature != null) || (source != null && column != null);
        return name == null || test == null || every == null || !watched ? null
                : new Monitor.Drift(name, featureView, feature, source, column, test, every, description, tags);
    }

    private Experiment experiment(Fields f, String name, String description, Map<String, String> tags) {
        f.rejectUnknown(EXPERIMENT, null);
        String entity = f.name("entity", true, "the randomization unit, e.g. customer");
        Experiment.Assignments assignments = null;
        Fields a = f.mapping("assignments", true, "where assignments come from, e.g. {source: assignments, variant: variant}");
        if (a != null) {
            a.rejectUnknown(List.of("source", "variant"), null);
            String source = a.name("source", true, "the source of assignment rows");
            String variant = a.column("variant", true, "the column holding each row's variant");
            if (source != null && variant != null) {
                assignments = new Experiment.Assignments(source, variant);
            }
        }
        String control = Experiment.DEFAULT_CONTROL;
        if (f.value("control") != null) {
            control = f.text("control");
            if (control != null && control.isBlank() || Fields.isNull(f.value("control"))) {
                f.error("control", "control must name the control variant, e.g. control: control");
                control = null;
            }
        }
        Window window = f.window("window", true, false, "the outcome window after first assignment, e.g. 14d");
        List<String> metrics = f.words("metrics", true, "the metrics to compare", false);
        Experiment.Cuped cuped = new Experiment.Cuped(Experiment.DEFAULT_CUPED_LOOKBACK);
        boolean cupedOk = true;
        if (f.has("cuped")) {
            Node value = f.value("cuped");
            if (value instanceof ScalarNode s && s.getTag().equals(Tag.BOOL)) {
                cuped = Fields.parseBool(s.getValue()) ? cuped : null;
            } else {
                Fields c = f.mapping("cuped", false, null);
                cupedOk = false;
                if (c != null) {
                    c.rejectUnknown(List.of("lookback"), null);
                    Window lookback = c.window("lookback", true, false, "the covariate window before assignment, e.g. 14d");
                    if (lookback != null) {
                        cuped = new Experiment.Cuped(lookback);
                        cupedOk = true;
                    }
                }
            }
        }
        Map<String, Double> split = split(f, control);
        List<String> guardrails = List.of();
        if (f.has("guardrail_metrics")) {
            guardrails = f.words("guardrail_metrics", false, null, false);
            if (guardrails != null && metrics != null) {
                for (String metric : guardrails) {
                    if (metrics.contains(metric)) {
                        f.error("guardrail_metrics", "metric '" + metric + "' is in both metrics and guardrail_metrics;"
                                + " list it once: a guardrail is analysed like the others but left out of the correction");
                        guardrails = null;
                        break;
                    }
                }
            }
        }
        Experiment.Analysis analysis = Experiment.Analysis.DEFAULT;
        if (f.has("analysis")) {
            Fields a2 = f.mapping("analysis", false, null);
            analysis = a2 == null ? null : analysis(a2);
        }
        List<Experiment.QuantileMetric> quantiles = quantileMetrics(f);
        return name == null || entity == null || assignments == null || control == null || window == null
                || metrics == null || !cupedOk || split == null || guardrails == null || analysis == null
                || quantiles == null ? null
                : new Experiment(name, entity, assignments, control, window, metrics, cuped, split, guardrails,
                        analysis, quantiles, description, tags);
    }

    /** {@code quantile_metrics: [{metric, quantile, guardrail}]}; null when it has problems (reported). */
    private List<Experiment.QuantileMetric> quantileMetrics(Fields f) {
        if (!f.has("quantile_metrics")) {
            return List.of();
        }
        List<Node> items = f.list("quantile_metrics", false, null);
        if (items == null) {
            return null;
        }
        List<Experiment.QuantileMetric> out = new ArrayList<>();
        Map<String, Integer> seen = new HashMap<>();
        boolean ok = true;
        for (int i = 0; i < items.size(); i++) {
            String itemPath = f.itemPath("quantile_metrics", i);
            Fields q = items.get(i) instanceof MappingNode ? Fields.of(doc, items.get(i), itemPath) : null;
            if (q == null) {
                doc.error(items.get(i), itemPath, "expected {metric, quantile}, e.g. {metric: latency_ms, quantile: 0.9},"
                        + " found " + Fields.describe(items.get(i)));
                ok = false;
                continue;
            }
            q.rejectUnknown(List.of("metric", "quantile", "guardrail"), null);
            String metric = q.name("metric", true, "the metric whose per-subject value the quantile is of");
            Double quantile = q.number("quantile", true, "the probability, e.g. 0.9 for the P90");
            if (quantile != null && !(quantile > 0 && quantile < 1)) {
                q.error("quantile", "quantile must be a probability strictly between 0 and 1, e.g. 0.5 for the median"
                        + " or 0.99 for the P99; got " + quantile);
                quantile = null;
            }
            Boolean guardrail = q.has("guardrail") ? q.bool("guardrail") : Boolean.FALSE;
            if (metric == null || quantile == null || guardrail == null) {
                ok = false;
                continue;
            }
            Experiment.QuantileMetric entry = new Experiment.QuantileMetric(metric, quantile, guardrail);
            Integer first = seen.putIfAbsent(metric + "@" + quantile, i);
            if (first != null) {
                doc.error(items.get(i), itemPath, "quantile " + quantile + " of metric '" + metric + "' is already in"
                        + " quantile_metrics[" + first + "]: list it once");
                ok = false;
                continue;
            }
            out.add(entry);
        }
        return ok ? out : null;
    }

    /** {@code analysis: {sequential, tuning, correction, bayesian}}; null when it has problems (reported). */
    private Experiment.Analysis analysis(Fields a) {
        a.rejectUnknown(EXPERIMENT_ANALYSIS, null);
        boolean ok = a.keys().stream().allMatch(EXPERIMENT_ANALYSIS::contains);
        Boolean sequential = a.bool("sequential");
        ok &= sequential != null || !a.has("sequential");
        Double tuning = null;
        if (a.has("tuning")) {
            tuning = a.number("tuning", false, null);
            if (tuning == null) {
                ok = false;
            } else if (tuning < 1) {
                a.error("tuning", "tuning (N*, the number of subjects the sequential interval is tuned for) must be"
                        + " a positive number of subjects, at least 1, e.g. 5000");
                ok = false;
            } else if (!Boolean.TRUE.equals(sequential)) {
                a.error("tuning", "tuning applies to sequential intervals: add sequential: true, or drop tuning");
                ok = false;
            }
        }
        Experiment.Correction correction = Experiment.Correction.NONE;
        if (a.has("correction")) {
            correction = a.choice("correction", false, null, Experiment.Correction.values(), Experiment.Correction::id);
            ok &= correction != null;
        }
        Experiment.Bayesian bayesian = null;
        if (a.has("bayesian")) {
            Node value = a.value("bayesian");
            if (value instanceof ScalarNode s && s.getTag().equals(Tag.BOOL)) {
                bayesian = Fields.parseBool(s.getValue()) ? Experiment.Bayesian.DEFAULT : null;
            } else {
                Fields b = a.mapping("bayesian", false, null);
                bayesian = b == null ? null : bayesian(b);
                ok &= bayesian != null;
            }
        }
        if (!ok) {
            return null;
        }
        Double n = Boolean.TRUE.equals(sequential) ? (tuning == null ? Experiment.Analysis.DEFAULT_TUNING : tuning) : null;
        return new Experiment.Analysis(n, correction, bayesian);
    }

    /** {@code bayesian: {prior_mean, prior_sd}} or {@code {prior: false}} for a flat prior. */
    private static Experiment.Bayesian bayesian(Fields b) {
        List<String> known = List.of("prior", "prior_mean", "prior_sd");
        b.rejectUnknown(known, null);
        if (!b.keys().stream().allMatch(known::contains)) {
            return null;
        }
        Boolean prior = b.bool("prior");
        if (b.has("prior") && prior == null) {
            return null;
        }
        Double mean = b.number("prior_mean", false, null);
        Double sd = b.number("prior_sd", false, null);
        if ((b.has("prior_mean") && mean == null) || (b.has("prior_sd") && sd == null)) {
            return null;
        }
        if (Boolean.FALSE.equals(prior)) {
            if (mean != null || sd != null) {
                b.error("prior", "prior: false means a flat prior; drop prior_mean and prior_sd, or drop prior: false");
                return null;
            }
            return Experiment.Bayesian.FLAT;
        }
        if (sd != null && sd <= 0) {
            b.error("prior_sd", "prior_sd must be greater than 0 (the prior's standard deviation of the relative"
                    + " lift, e.g. 0.3)");
            return null;
        }
        return new Experiment.Bayesian(mean == null ? Experiment.Bayesian.DEFAULT.priorMean() : mean,
                sd == null ? Experiment.Bayesian.DEFAULT.priorSd() : sd);
    }

    private Map<String, Double> split(Fields f, String control) {
        Fields s = f.mapping("split", false, null);
        if (s == null) {
            return f.has("split") ? null : Map.of();
        }
        Map<String, Double> split = new LinkedHashMap<>();
        boolean ok = true;
        for (String variant : s.keys()) {
            Double weight = s.number(variant, true, null);
            if (weight == null) {
                ok = false;
            } else if (weight <= 0) {
                s.error(variant, "a variant's weight must be greater than 0");
                ok = false;
            } else {
                split.put(variant, weight);
            }
        }
        if (ok && split.size() < 2) {
            f.error("split", "a split needs at least two variants, e.g. split: {control: 1, treatment: 1}");
            ok = false;
        }
        if (ok && control != null && !split.containsKey(control)) {
            f.error("split", "the split has no weight for the control variant '" + control + "'");
            ok = false;
        }
        return ok ? split : null;
    }
}
