package dev.fletcher.catalog.lang;

import dev.fletcher.catalog.syntax.Suggestions;
import dev.fletcher.catalog.syntax.ExpressionException;
import dev.fletcher.catalog.syntax.ExpressionParser;
import dev.fletcher.catalog.syntax.SqlIdentifiers;
import dev.fletcher.catalog.model.Catalog;
import dev.fletcher.catalog.model.CatalogObject;
import dev.fletcher.catalog.model.Entity;
import dev.fletcher.catalog.model.Experiment;
import dev.fletcher.catalog.model.Feature;
import dev.fletcher.catalog.model.FeatureType;
import dev.fletcher.catalog.model.FeatureView;
import dev.fletcher.catalog.model.Kind;
import dev.fletcher.catalog.model.Metric;
import dev.fletcher.catalog.model.MetricType;
import dev.fletcher.catalog.model.Monitor;
import dev.fletcher.catalog.model.ObjectKey;
import dev.fletcher.catalog.model.Source;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/** Checks a whole catalog: references, cycles, entity and type agreement between objects. */
public final class CatalogValidator {
    private final Catalog catalog;
    private final Map<ObjectKey, ParsedObject> parsed = new HashMap<>();
    private final List<BundleError> errors = new ArrayList<>();
    /** Column types declared by latest-value features, per source: what aggregations over them may assume. */
    private final Map<String, Map<String, TypedColumn>> columnTypes = new HashMap<>();

    private record TypedColumn(FeatureType type, String declaredBy) {
    }

    private CatalogValidator(Catalog catalog, ParsedBundle bundle) {
        this.catalog = catalog;
        for (ParsedObject object : bundle.objects()) {
            parsed.put(object.object().key(), object);
        }
        for (FeatureView view : catalog.featureViews()) {
            for (Feature feature : view.features()) {
                if (feature instanceof Feature.LatestValue f && f.type() != null) {
                    columnTypes.computeIfAbsent(view.source(), s -> new HashMap<>())
                            .putIfAbsent(f.column(), new TypedColumn(f.type(), view.name() + ":" + f.name()));
                }
            }
        }
    }

    /**
     * Validates the catalog as it would be after an apply.
     *
     * @param catalog every object after the apply (stored objects merged with the bundle's, minus pruned ones)
     * @param bundle  the bundle being applied, so errors about its objects name their document and line; errors
     *                about other objects name them as {@code stored <kind>/<name>}
     * @throws BundleException listing every problem
     */
    public static void validate(Map<ObjectKey, CatalogObject> catalog, ParsedBundle bundle) {
        CatalogValidator validator = new CatalogValidator(new Catalog(catalog), bundle);
        validator.run(bundle);
        if (!validator.errors.isEmpty()) {
            throw new BundleException(validator.errors);
        }
    }

    /**
     * Refuses a bundle that defines one object twice (the apply checks this before {@link #validate}).
     *
     * @throws BundleException naming every second definition
     */
    public static void rejectDuplicates(ParsedBundle bundle) {
        Map<ObjectKey, ParsedObject> seen = new HashMap<>();
        List<BundleError> errors = new ArrayList<>();
        for (ParsedObject parsed : bundle.objects()) {
            ParsedObject first = seen.putIfAbsent(parsed.object().key(), parsed);
            if (first != null) {
                errors.add(new BundleError(parsed.document(), parsed.line(), "name",
                        parsed.object().key() + " is defined twice in this bundle (first in " + first.document()
                                + "); keep one definition"));
            }
        }
        if (!errors.isEmpty()) {
            throw new BundleException(errors);
        }
    }

    private void run(ParsedBundle bundle) {
        // The bundle's objects first, in its order, so errors read top to bottom; then the stored ones.
        List<CatalogObject> order = new ArrayList<>();
        Set<ObjectKey> done = new HashSet<>();
        for (ParsedObject object : bundle.objects()) {
            catalog.get(object.object().key()).ifPresent(o -> {
                order.add(o);
                done.add(o.key());
            });
        }
        catalog.objects().stream().filter(o -> !done.contains(o.key())).forEach(order::add);
        for (CatalogObject object : order) {
            if (object instanceof Source s) {
                source(s);
            } else if (object instanceof FeatureView v) {
                featureView(v);
            } else if (object instanceof Metric m) {
                metric(m);
            } else if (object instanceof Monitor m) {
                monitor(m);
            } else if (object instanceof Experiment x) {
                experiment(x);
            }
        }
        metricCycles(order);
    }

    // ---- reporting ----

    private void error(CatalogObject object, String field, String message) {
        ParsedObject from = parsed.get(object.key());
        if (from != null) {
            errors.add(new BundleError(from.document(), from.lineOf(field), field, message));
        } else {
            errors.add(new BundleError("stored " + object.key(), null, field, message));
        }
    }

    /** Reports a missing object with a hint; true when it exists. */
    private boolean exists(CatalogObject from, String field, Kind kind, String name) {
        if (catalog.contains(new ObjectKey(kind, name))) {
            return true;
        }
        List<String> names = catalog.objects().stream().filter(o -> o.kind() == kind).map(CatalogObject::name).toList();
        error(from, field, "no " + kind.id() + " named '" + name + "' exists" + Suggestions.hint(name, names));
        return false;
    }

    // ---- sources and feature views ----

    private void source(Source source) {
        source.entityColumns().forEach((entityName, columns) -> {
            String field = "entity_columns." + entityName;
            if (!exists(source, field, Kind.ENTITY, entityName)) {
                return;
            }
            Entity entity = catalog.entity(entityName).orElseThrow();
            if (entity.keys().size() != columns.size()) {
                error(source, field, "entity '" + entityName + "' has " + entity.keys().size() + " key(s) "
                        + entity.keys() + " but " + columns.size() + " column(s) " + columns
                        + " are given: list one column per key, in key order");
            }
        });
    }

    private void featureView(FeatureView view) {
        boolean entityExists = exists(view, "entity", Kind.ENTITY, view.entity());
        boolean sourceExists = exists(view, "source", Kind.SOURCE, view.source());
        if (entityExists && sourceExists && !catalog.source(view.source()).orElseThrow().maps(view.entity())) {
            error(view, "source", "source '" + view.source() + "' does not map entity '" + view.entity()
                    + "': add it to the source's entity_columns");
        }
        Set<String> names = new HashSet<>();
        view.features().forEach(f -> names.add(f.name()));
        Source source = sourceExists ? catalog.source(view.source()).orElseThrow() : null;
        boolean streamed = view.online() && source != null && source.stream() != null;
        Map<String, List<String>> derivedEdges = new LinkedHashMap<>();
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < view.features().size(); i++) {
            Feature feature = view.features().get(i);
            index.put(feature.name(), i);
            String path = "features[" + i + "]";
            if (feature instanceof Feature.Derived d) {
                List<String> refs = SqlIdentifiers.references(d.expr(), names);
                List<String> unknown = refs.stream().filter(r -> !names.contains(r)).toList();
                for (String name : unknown) {
                    error(view, path + ".expr", "'" + name + "' in expr is not a feature of view '" + view.name() + "'"
                            + Suggestions.hint(name, names) + "; a derived feature reads the view's other features: "
                            + String.join(", ", names.stream().filter(n -> !n.equals(d.name())).sorted().toList()));
                }
                derivedEdges.put(d.name(), refs.stream().filter(names::contains).toList());
                if (view.online()) {
                    evaluable(view, path + ".expr", d.expr(), "view '" + view.name() + "' is served online, where"
                            + " derived feature '" + d.name() + "' is computed at read time");
                }
            } else if (feature instanceof Feature.Aggregated a && a.filter() != null && streamed) {
                evaluable(view, path + ".filter", a.filter(), "source '" + view.source() + "' is a stream, whose events"
                        + " feature '" + a.name() + "' filters as they arrive");
            }
            if (feature instanceof Feature.Aggregated a && a.aggregation().needsNumbers() && a.column() != null) {
                TypedColumn typed = columnTypes.getOrDefault(view.source(), Map.of()).get(a.column());
                if (typed != null && !typed.type().isNumeric()) {
                    error(view, path + ".column", "aggregation " + a.aggregation().id() + " needs numbers, but column '"
                            + a.column() + "' is declared " + typed.type().id() + " (by feature " + typed.declaredBy() + ")");
                }
            }
        }
        for (List<String> cycle : cycles(derivedEdges)) {
            error(view, "features[" + index.get(cycle.get(0)) + "].expr",
                    "derived features form a cycle: " + String.join(" -> ", cycle));
        }
    }

    /** Reads an expression that runs in memory as well as in the warehouse; what the evaluator cannot run is refused here. */
    private void evaluable(FeatureView view, String field, String expr, String why) {
        try {
            ExpressionParser.parse(expr);
        } catch (ExpressionException e) {
            error(view, field, why + ", and it cannot be: " + e.getMessage() + " (at character " + (e.offset() + 1)
                    + " of \"" + expr + "\")");
        }
    }

    // ---- metrics ----

    private void metric(Metric metric) {
        if (metric instanceof Metric.Simple s) {
            boolean sourceExists = exists(s, "source", Kind.SOURCE, s.source());
            if (s.entity() != null && exists(s, "entity", Kind.ENTITY, s.entity()) && sourceExists
                    && !catalog.source(s.source()).orElseThrow().maps(s.entity())) {
                error(s, "entity", "source '" + s.source() + "' does not map entity '" + s.entity()
                        + "': add it to the source's entity_columns");
            }
        } else if (metric instanceof Metric.Ratio r) {
            ratioPart(r, "numerator", r.numerator());
            ratioPart(r, "denominator", r.denominator());
        } else if (metric instanceof Metric.Derived d) {
            Set<String> references = new LinkedHashSet<>();
            for (int i = 0; i < d.metrics().size(); i++) {
                Metric.Input input = d.metrics().get(i);
                references.add(input.reference());
                exists(d, "metrics[" + i + "]", Kind.METRIC, input.metric());
            }
            for (String name : SqlIdentifiers.references(d.expr(), references)) {
                if (!references.contains(name)) {
                    error(d, "expr", "'" + name + "' in expr is not one of the listed metrics"
                            + Suggestions.hint(name, references) + "; the expression may use: "
                            + String.join(", ", references) + " (add it to metrics:)");
                }
            }
        } else if (metric instanceof Metric.Cumulative c) {
            if (exists(c, "metric", Kind.METRIC, c.metric())) {
                Metric base = catalog.metric(c.metric()).orElseThrow();
                if (base.type() != MetricType.SIMPLE && base.type() != MetricType.RATIO) {
                    error(c, "metric", "a cumulative metric accumulates a simple or ratio metric; '" + c.metric()
                            + "' is a " + base.type().id() + " metric");
                }
            }
        } else if (metric instanceof Metric.Conversion c) {
            exists(c, "entity", Kind.ENTITY, c.entity());
            conversionPart(c, "base", c.base());
            conversionPart(c, "conversion", c.conversion());
        }
    }

    private void ratioPart(Metric.Ratio ratio, String field, String name) {
        if (!exists(ratio, field, Kind.METRIC, name)) {
            return;
        }
        Metric part = catalog.metric(name).orElseThrow();
        if (!(part instanceof Metric.Simple s) || !s.measure().agg().isZeroWhenEmpty()) {
            String what = part instanceof Metric.Simple s ? "a simple metric with agg " + s.measure().agg().id()
                    : "a " + part.type().id() + " metric";
            error(ratio, field, "the parts of a ratio must be simple metrics that sum or count (agg sum, count or"
                    + " count_distinct); '" + name + "' is " + what);
        }
    }

    private void conversionPart(Metric.Conversion conversion, String field, String name) {
        if (!exists(conversion, field, Kind.METRIC, name)) {
            return;
        }
        Metric part = catalog.metric(name).orElseThrow();
        if (!(part instanceof Metric.Simple s)) {
            error(conversion, field, "'" + name + "' must be a simple metric (its rows are the events), not a "
                    + part.type().id() + " metric");
            return;
        }
        Optional<Source> source = catalog.source(s.source());
        if (source.isPresent() && !source.get().maps(conversion.entity())) {
            error(conversion, field, "metric '" + name + "' reads source '" + s.source() + "', which does not map entity '"
                    + conversion.entity() + "', so its events cannot be matched per " + conversion.entity());
        }
    }

    private void metricCycles(List<CatalogObject> order) {
        Map<String, List<String>> edges = new LinkedHashMap<>();
        for (CatalogObject object : order) {
            if (object instanceof Metric m) {
                edges.put(m.name(), m.inputMetrics());
            }
        }
        for (List<String> cycle : cycles(edges)) {
            Metric first = catalog.metric(cycle.get(0)).orElseThrow();
            String field = switch (first.type()) {
                case RATIO -> first instanceof Metric.Ratio r && r.numerator().equals(cycle.get(1)) ? "numerator"
                        : "denominator";
                case DERIVED -> "metrics";
                case CUMULATIVE -> "metric";
                case CONVERSION -> first instanceof Metric.Conversion c && c.base().equals(cycle.get(1)) ? "base"
                        : "conversion";
                case SIMPLE -> null;
            };
            error(first, field, "metrics form a cycle: " + String.join(" -> ", cycle));
        }
    }

    // ---- monitors and experiments ----

    private void monitor(Monitor monitor) {
        if (monitor instanceof Monitor.Threshold t) {
            exists(t, "metric", Kind.METRIC, t.metric());
        } else if (monitor instanceof Monitor.Drift d) {
            if (d.watchesFeature()) {
                if (exists(d, "feature_view", Kind.FEATURE_VIEW, d.featureView())) {
                    FeatureView view = catalog.featureView(d.featureView()).orElseThrow();
                    Optional<Feature> feature = view.feature(d.feature());
                    if (feature.isEmpty()) {
                        List<String> names = view.features().stream().map(Feature::name).toList();
                        error(d, "feature", "feature view '" + view.name() + "' has no feature '" + d.feature() + "'"
                                + Suggestions.hint(d.feature(), names) + "; it has: " + String.join(", ", names));
                    } else if (feature.get().type() != null && !feature.get().type().isNumeric()) {
                        error(d, "feature", "drift is measured on numbers; feature '" + d.feature() + "' is "
                                + feature.get().type().id());
                    }
                }
            } else {
                exists(d, "source", Kind.SOURCE, d.source());
            }
        }
    }

    private void experiment(Experiment x) {
        boolean entityExists = exists(x, "entity", Kind.ENTITY, x.entity());
        String source = x.assignments().source();
        if (exists(x, "assignments.source", Kind.SOURCE, source) && entityExists
                && !catalog.source(source).orElseThrow().maps(x.entity())) {
            error(x, "assignments.source", "assignments source '" + source + "' does not map entity '" + x.entity()
                    + "': add it to the source's entity_columns");
        }
        experimentMetrics(x, "metrics", x.metrics(), entityExists);
        experimentMetrics(x, "guardrail_metrics", x.guardrailMetrics(), entityExists);
        for (int i = 0; i < x.quantileMetrics().size(); i++) {
            String field = "quantile_metrics[" + i + "].metric";
            String name = x.quantileMetrics().get(i).metric();
            if (!exists(x, field, Kind.METRIC, name)) {
                continue;
            }
            Metric metric = catalog.metric(name).orElseThrow();
            if (!(metric instanceof Metric.Simple simple)) {
                error(x, field, "metric '" + name + "' is a " + metric.type()
                        + " metric; a quantile is taken of a simple metric's per-subject value");
            } else if (!simple.measure().agg().isZeroWhenEmpty()) {
                error(x, field, "metric '" + name + "' aggregates with " + simple.measure().agg() + ", which has no value"
                        + " for a subject without rows; a quantile metric must be a sum, count or count_distinct");
            } else if (entityExists) {
                for (String problem : perSubjectProblems(name, x.entity(), new HashSet<>())) {
                    error(x, field, "metric '" + name + "' cannot be measured per " + x.entity() + ": " + problem);
                }
            }
        }
    }

    private void experimentMetrics(Experiment x, String list, List<String> names, boolean entityExists) {
        for (int i = 0; i < names.size(); i++) {
            String field = list + "[" + i + "]";
            String name = names.get(i);
            if (!exists(x, field, Kind.METRIC, name) || !entityExists) {
                continue;
            }
            for (String problem : perSubjectProblems(name, x.entity(), new HashSet<>())) {
                error(x, field, "metric '" + name + "' cannot be measured per " + x.entity() + ": " + problem);
            }
        }
    }

    /** Why a metric cannot be computed per subject of {@code entity}; empty when it can. */
    private List<String> perSubjectProblems(String metricName, String entity, Set<String> visited) {
        Optional<Metric> found = catalog.metric(metricName);
        if (!visited.add(metricName) || found.isEmpty()) {
            return List.of(); // cycles and missing metrics are reported on their own
        }
        Metric metric = found.get();
        List<String> problems = new ArrayList<>();
        if (metric instanceof Metric.Simple s) {
            Optional<Source> source = catalog.source(s.source());
            if (source.isPresent() && !source.get().maps(entity)) {
                problems.add("its source '" + s.source() + "' does not map entity '" + entity + "'");
            }
        } else if (metric instanceof Metric.Conversion c && !c.entity().equals(entity)) {
            problems.add("conversion metric '" + c.name() + "' converts per " + c.entity());
        } else {
            for (String input : metric.inputMetrics()) {
                for (String problem : perSubjectProblems(input, entity, visited)) {
                    problems.add("via '" + input + "', " + problem);
                }
            }
        }
        return problems;
    }

    // ---- graphs ----

    /**
     * Finds cycles by depth-first search; each cycle is reported once, as a path that starts and ends at its
     * first node in the map's order (e.g. {@code a -> b -> a}). Edges to nodes outside the map are ignored.
     */
    static List<List<String>> cycles(Map<String, List<String>> edges) {
        Map<String, Integer> state = new HashMap<>(); // absent: unvisited, 1: on the path, 2: done
        List<List<String>> found = new ArrayList<>();
        Set<Set<String>> seen = new HashSet<>();
        List<String> path = new ArrayList<>();
        Function<String, Integer> rank = new ArrayList<>(edges.keySet())::indexOf;
        for (String start : edges.keySet()) {
            if (!state.containsKey(start)) {
                visit(start, edges, state, path, found, seen, rank);
            }
        }
        return found;
    }

    private static void visit(String node, Map<String, List<String>> edges, Map<String, Integer> state,
            List<String> path, List<List<String>> found, Set<Set<String>> seen, Function<String, Integer> rank) {
        state.put(node, 1);
        path.add(node);
        for (String next : edges.getOrDefault(node, List.of())) {
            if (!edges.containsKey(next)) {
                continue;
            }
            Integer s = state.get(next);
            if (s == null) {
                visit(next, edges, state, path, found, seen, rank);
            } else if (s == 1) {
                List<String> cycle = new ArrayList<>(path.subList(path.indexOf(next), path.size()));
                if (seen.add(new HashSet<>(cycle))) {
                    // Start the cycle at its earliest node so the message reads the same whatever the search order.
                    int first = 0;
                    for (int i = 1; i < cycle.size(); i++) {
                        if (rank.apply(cycle.get(i)) < rank.apply(cycle.get(first))) {
                            first = i;
                        }
                    }
                    List<String> rotated = new ArrayList<>(cycle.subList(first, cycle.size()));
                    rotated.addAll(cycle.subList(0, first));
                    rotated.add(rotated.get(0));
                    found.add(rotated);
                }
            }
        }
        path.remove(path.size() - 1);
        state.put(node, 2);
    }
}
