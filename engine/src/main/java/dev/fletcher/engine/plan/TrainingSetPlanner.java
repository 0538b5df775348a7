package dev.fletcher.engine.plan;

import dev.fletcher.catalog.syntax.SqlIdentifiers;
import dev.fletcher.catalog.model.Aggregation;
import dev.fletcher.catalog.model.Catalog;
import dev.fletcher.catalog.model.Entity;
import dev.fletcher.catalog.model.Feature;
import dev.fletcher.catalog.model.FeatureRef;
import dev.fletcher.catalog.model.FeatureView;
import dev.fletcher.catalog.model.Source;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Compiles a training-set request into a {@link TrainingSetPlan} in two steps: {@link #resolve} checks it against
 * the catalog (and tells which warehouse runs it); {@link #plan} checks it against the columns the warehouse
 * describes for the entity rows and sources. Every problem a user can fix is a {@link PlanException}.
 */
public final class TrainingSetPlanner {
    /** Columns the engine adds to its own relations start with this; entity rows may not use it. */
    public static final String RESERVED_PREFIX = "_fl_";

    private TrainingSetPlanner() {
    }

    /** Checks the request's feature references and derived-feature dependencies against the catalog. */
    public static ResolvedTrainingSet resolve(Catalog catalog, TrainingSetRequest request) {
        Map<String, List<Feature>> requestedByView = new LinkedHashMap<>();
        Set<FeatureRef> seen = new LinkedHashSet<>();
        for (FeatureRef ref : request.features()) {
            FeatureView view = catalog.featureView(ref.view()).orElseThrow(() -> new PlanException(
                    "unknown feature view '" + ref.view() + "' in " + ref + "; feature views: "
                            + listOf(catalog.featureViews().stream().map(FeatureView::name).toList())));
            Feature feature = view.feature(ref.feature()).orElseThrow(() -> new PlanException(
                    "feature view '" + view.name() + "' has no feature '" + ref.feature() + "'; its features: "
                            + listOf(view.features().stream().map(Feature::name).toList())));
            if (!seen.add(ref)) {
                throw new PlanException("feature " + ref + " is requested twice: its column " + ref.column()
                        + " would appear twice");
            }
            requestedByView.computeIfAbsent(view.name(), v -> new ArrayList<>()).add(feature);
        }
        List<ResolvedView> views = new ArrayList<>();
        String warehouse = null;
        for (Map.Entry<String, List<Feature>> entry : requestedByView.entrySet()) {
            FeatureView view = catalog.featureView(entry.getKey()).orElseThrow();
            Entity entity = catalog.entity(view.entity()).orElseThrow(() -> new PlanException(
                    "feature view '" + view.name() + "' names entity '" + view.entity() + "', which is not in the catalog"));
            Source source = catalog.source(view.source()).orElseThrow(() -> new PlanException(
                    "feature view '" + view.name() + "' names source '" + view.source() + "', which is not in the catalog"));
            List<String> keys = source.columnsOf(entity.name());
            if (keys == null || keys.size() != entity.keys().size()) {
                throw new PlanException("source '" + source.name() + "' does not map entity '" + entity.name()
                        + "' (keys " + entity.keys() + ") in its entity_columns, so feature view '" + view.name()
                        + "' cannot be computed");
            }
            if (warehouse == null) {
                warehouse = source.warehouse();
            } else if (!warehouse.equals(source.warehouse())) {
                throw new PlanException("the requested features live in different warehouses ('" + warehouse + "' and '"
                        + source.warehouse() + "' for feature view '" + view.name() + "'); request them separately");
            }
            views.add(resolveView(view, entity, source, entry.getValue()));
        }
        return new ResolvedTrainingSet(request, views, warehouse);
    }

    private static ResolvedView resolveView(FeatureView view, Entity entity, Source source, List<Feature> requested) {
        Map<String, Feature> byName = new HashMap<>();
        view.features().forEach(f -> byName.put(f.name(), f));
        Map<String, Integer> depth = new HashMap<>();
        Set<String> needed = new LinkedHashSet<>();
        for (Feature feature : requested) {
            collect(view, feature, byName, needed, depth, new LinkedHashSet<>());
        }
        List<Feature> computed = new ArrayList<>();
        TreeMap<Integer, List<Feature.Derived>> layers = new TreeMap<>();
        for (Feature feature : view.features()) {
            if (!needed.contains(feature.name())) {
                continue;
            }
            if (feature instanceof Feature.Derived derived) {
                layers.computeIfAbsent(depth.get(feature.name()), d -> new ArrayList<>()).add(derived);
            } else {
                computed.add(feature);
            }
        }
        return new ResolvedView(view, entity, source, requested, computed, new ArrayList<>(layers.values()));
    }

    /** Adds the feature and what it depends on to {@code needed}; records each derived feature's depth. */
    private static int collect(FeatureView view, Feature feature, Map<String, Feature> byName, Set<String> needed,
            Map<String, Integer> depth, Set<String> path) {
        if (!(feature instanceof Feature.Derived derived)) {
            needed.add(feature.name());
            return 0;
        }
        if (depth.containsKey(feature.name())) {
            return depth.get(feature.name());
        }
        if (!path.add(feature.name())) {
            throw new PlanException("derived features of feature view '" + view.name() + "' refer to each other in a"
                    + " cycle: " + String.join(" -> ", path) + " -> " + feature.name());
        }
        int deepest = 0;
        for (String reference : SqlIdentifiers.references(derived.expr(), byName.keySet())) {
            Feature dependency = byName.get(reference);
            if (dependency == null) {
                throw new PlanException("derived feature '" + feature.name() + "' of feature view '" + view.name()
                        + "' refers to '" + reference + "', which is not a feature of that view");
            }
            deepest = Math.max(deepest, collect(view, dependency, byName, needed, depth, path));
        }
        path.remove(feature.name());
        depth.put(feature.name(), deepest + 1);
        needed.add(feature.name());
        return deepest + 1;
    }

    /**
     * Checks the request against the described columns and builds the plan.
     *
     * @param entityColumns the entity rows' columns (for a time range, those of the generated rows)
     * @param sourceColumns each read source's columns, by source name
     */
    public static TrainingSetPlan plan(ResolvedTrainingSet resolved, List<Column> entityColumns,
            Map<String, List<Column>> sourceColumns) {
        TrainingSetRequest request = resolved.request();
        Set<String> taken = new LinkedHashSet<>();
        for (int i = 0; i < entityColumns.size(); i++) {
            Column column = entityColumns.get(i);
            String folded = column.name().toLowerCase(Locale.ROOT);
            if (folded.startsWith(RESERVED_PREFIX)) {
                throw new PlanException("entity " + quoted(column, i) + " starts with " + RESERVED_PREFIX
                        + ", which is reserved for the engine's own columns; rename it");
            }
            if (!taken.add(folded)) {
                throw new PlanException("the entity rows have two columns named like " + quoted(column, i));
            }
        }
        Column timestamp = Column.find(entityColumns, request.timestampColumn()).orElseThrow(() -> new PlanException(
                "the entity rows have no timestamp column '" + request.timestampColumn() + "'; their columns: "
                        + Column.listed(entityColumns) + " (set timestamp_column to the one holding each row's time)"));
        if (!timestamp.kind().isTime()) {
            throw new PlanException("the entity rows' timestamp column '" + timestamp.name() + "' is " + article(timestamp.kind())
                    + ", not a timestamp or date; send timestamps (with or without a zone, UTC when without) or dates");
        }
        for (String column : resolved.featureColumns()) {
            if (!taken.add(column.toLowerCase(Locale.ROOT))) {
                throw new PlanException("output column '" + column + "' clashes with an entity column of the same name;"
                        + " rename that entity column");
            }
        }
        List<ViewPlan> views = new ArrayList<>();
        for (ResolvedView view : resolved.views()) {
            List<String> anchorKeys = new ArrayList<>();
            for (String key : view.entity().keys()) {
                Column column = Column.find(entityColumns, key).orElseThrow(() -> new PlanException(
                        "the entity rows lack key column '" + key + "' of entity '" + view.entity().name()
                                + "' (needed by feature view '" + view.view().name() + "'); their columns: "
                                + Column.listed(entityColumns)));
                anchorKeys.add(column.name());
            }
            List<Column> columns = sourceColumns.get(view.source().name());
            if (columns == null) {
                throw new IllegalArgumentException("no description of source '" + view.source().name() + "'");
            }
            SourceScan scan = scan(view, columns);
            for (int i = 0; i < anchorKeys.size() && i < scan.keyColumns().size(); i++) {
                Column entityKey = Column.find(entityColumns, anchorKeys.get(i)).orElseThrow();
                Column sourceKey = Column.find(columns, scan.keyColumns().get(i)).orElseThrow();
                if (!comparable(entityKey.kind(), sourceKey.kind())) {
                    throw new PlanException("the entity rows' key column '" + entityKey.name() + "' holds "
                            + plural(entityKey.kind()) + ", but its match in source '" + view.source().name() + "' ('"
                            + sourceKey.name() + "', for feature view '" + view.view().name() + "') holds "
                            + plural(sourceKey.kind()) + "; send keys of the source's type");
                }
            }
            AnchoredAggregate aggregate = new AnchoredAggregate(scan, measures(view, columns), request.asKnown());
            List<FeatureRef> outputs = request.features().stream()
                    .filter(ref -> ref.view().equals(view.view().name())).toList();
            views.add(new ViewPlan(view.view().name(), anchorKeys, aggregate, view.derivedLayers(), outputs));
        }
        return new TrainingSetPlan(request.entities(), entityColumns, timestamp.name(), timestamp.kind(), views,
                request.features(), request.asKnown());
    }

    private static SourceScan scan(ResolvedView view, List<Column> columns) {
        Source source = view.source();
        List<String> keys = new ArrayList<>();
        for (String key : view.sourceKeyColumns()) {
            keys.add(sourceColumn(source, columns, key, "key column").name());
        }
        Column timestamp = sourceColumn(source, columns, source.timestamp(), "timestamp column");
        if (!timestamp.kind().isTime() && timestamp.kind() != ColumnKind.OTHER) {
            throw new PlanException("the timestamp column '" + timestamp.name() + "' of source '" + source.name()
                    + "' is " + article(timestamp.kind()) + ", not a timestamp or date");
        }
        String created = source.createdTimestamp() == null ? null
                : sourceColumn(source, columns, source.createdTimestamp(), "created_timestamp column").name();
        return new SourceScan(source.name(), source.table(), source.sql(), keys, timestamp.name(), created, columns);
    }

    private static List<Measure> measures(ResolvedView view, List<Column> columns) {
        Source source = view.source();
        List<String> latestColumns = new ArrayList<>();
        for (Feature feature : view.view().features()) {
            if (feature instanceof Feature.LatestValue latest) {
                String column = sourceColumn(source, columns, latest.column(), "column").name();
                if (!latestColumns.contains(column)) {
                    latestColumns.add(column);
                }
            }
        }
        Long ttl = view.view().ttl() == null ? null : view.view().ttl().seconds();
        List<Measure> measures = new ArrayList<>();
        for (Feature feature : view.computed()) {
            if (feature instanceof Feature.LatestValue latest) {
                Column column = sourceColumn(source, columns, latest.column(), "column");
                measures.add(new Measure.Latest(feature.name(), column.name(), column.kind(), null, latestColumns,
                        RelativeWindow.asOf(ttl)));
            } else if (feature instanceof Feature.Aggregated aggregated) {
                measures.add(windowed(view, columns, aggregated));
            }
        }
        return measures;
    }

    private static Measure windowed(ResolvedView view, List<Column> columns, Feature.Aggregated feature) {
        Column column = feature.column() == null ? null
                : sourceColumn(view.source(), columns, feature.column(), "column");
        Aggregation aggregation = feature.aggregation();
        if (aggregation.needsNumbers() && column != null && !column.kind().isNumeric()
                && column.kind() != ColumnKind.OTHER) {
            throw new PlanException("feature '" + feature.name() + "' of feature view '" + view.view().name() + "' takes "
                    + aggregation + " of column '" + column.name() + "', which is " + article(column.kind())
                    + ", not a number");
        }
        if (feature.window().seconds() <= 0) {
            throw new PlanException("feature '" + feature.name() + "' of feature view '" + view.view().name()
                    + "' has an empty window: give it a window longer than zero");
        }
        RelativeWindow window = RelativeWindow.trailing(feature.window().seconds());
        if (aggregation == Aggregation.LAST) {
            return new Measure.Latest(feature.name(), column.name(), column.kind(), feature.filter(),
                    List.of(column.name()), window);
        }
        return new Measure.Windowed(feature.name(), aggregation, column == null ? null : column.name(),
                column == null ? null : column.kind(), feature.filter(), feature.percentile(), window);
    }

    private static Column sourceColumn(Source source, List<Column> columns, String name, String role) {
        return Column.find(columns, name).orElseThrow(() -> new PlanException("source '" + source.name()
                + "' has no " + role + " '" + name + "'; its columns: " + Column.listed(columns)));
    }

    /** A column named in a message: {@code column 'x'}, or by position when its name may be data. */
    private static String quoted(Column column, int index) {
        String shown = Column.shown(column.name(), index + 1);
        return shown.equals(column.name()) ? "column '" + shown + "'" : shown;
    }

    /** Whether keys of these kinds can be compared without a cast the warehouse may refuse row by row. */
    private static boolean comparable(ColumnKind a, ColumnKind b) {
        return a == ColumnKind.OTHER || b == ColumnKind.OTHER || family(a) == family(b);
    }

    private static int family(ColumnKind kind) {
        return kind.isNumeric() ? 1 : kind.isTime() ? 2 : kind.ordinal() + 3;
    }

    private static String plural(ColumnKind kind) {
        return switch (kind) {
            case STRING -> "text";
            case INTEGER, FLOATING, DECIMAL -> "numbers";
            case BOOLEAN -> "booleans";
            case TIMESTAMP, DATE -> "times";
            case OTHER -> "values of another type";
        };
    }

    private static String article(ColumnKind kind) {
        return switch (kind) {
            case INTEGER -> "an integer";
            case OTHER -> "of an unsupported type";
            default -> "a " + kind.name().toLowerCase(Locale.ROOT);
        };
    }

    private static String listOf(List<String> names) {
        return names.isEmpty() ? "none" : String.join(", ", names);
    }
}
