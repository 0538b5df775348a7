package dev.fletcher.analysis.cuped;

import dev.fletcher.catalog.model.Catalog;
import dev.fletcher.catalog.model.Feature;
import dev.fletcher.catalog.model.FeatureView;
import dev.fletcher.catalog.model.Names;
import dev.fletcher.catalog.model.Source;
import dev.fletcher.engine.plan.Column;
import dev.fletcher.engine.plan.RelativeWindow;
import dev.fletcher.engine.plan.SourceScan;
import dev.fletcher.engine.sql.ExperimentSql;
import dev.fletcher.spi.analysis.AnalysisException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * What a slice name means for an experiment: a column of its assignment source (the value on the assignment row
 * that anchors each subject), or a latest-value feature {@code <view>__<feature>} of the experiment's entity (its
 * value as of each subject's first assignment, as a training set would have it).
 */
final class SlicePlan {
    /** A slice whose variant has fewer subjects than this carries a warning. */
    static final long MIN_SUBJECTS = 100;
    /** At most this many slice values are analysed; a column with more is not a slice. */
    static final int MAX_SLICES = 100;

    private SlicePlan() {
    }

    /**
     * @param describe a source's columns as the warehouse describes them
     * @throws AnalysisException for a name that is neither, naming the slices there are
     */
    static ExperimentSql.Slice resolve(Catalog catalog, ExperimentPlan plan, String name,
            Function<Source, List<Column>> describe) {
        Source assignments = plan.assignments;
        List<Column> columns = describe.apply(assignments);
        Set<String> reserved = new TreeSet<>(plan.assignmentKeys);
        reserved.add(assignments.timestamp());
        reserved.add(plan.experiment.assignments().variant());
        if (assignments.createdTimestamp() != null) {
            reserved.add(assignments.createdTimestamp());
        }
        List<String> columnSlices = columns.stream().map(Column::name).filter(c -> !reserved.contains(c)).toList();
        if (columnSlices.contains(name)) {
            SourceScan scan = new SourceScan(assignments.name(), assignments.table(), assignments.sql(),
                    plan.assignmentKeys, assignments.timestamp(), assignments.createdTimestamp(), columns);
            return new ExperimentSql.Slice(scan, name, List.of(name), RelativeWindow.asOf(null));
        }
        int separator = name.indexOf(Names.SEPARATOR);
        if (separator > 0) {
            String viewName = name.substring(0, separator);
            String featureName = name.substring(separator + Names.SEPARATOR.length());
            FeatureView view = catalog.featureView(viewName).orElse(null);
            if (view != null) {
                return feature(catalog, plan, name, view, featureName, describe);
            }
        }
        throw new AnalysisException("unknown slice '" + name + "': slice by a column of assignment source '"
                + assignments.name() + "' (" + listed(columnSlices) + ") or by a latest-value feature of entity '"
                + plan.experiment.entity() + "' (" + listed(features(catalog, plan)) + ")");
    }

    private static ExperimentSql.Slice feature(Catalog catalog, ExperimentPlan plan, String name, FeatureView view,
            String featureName, Function<Source, List<Column>> describe) {
        Feature feature = view.feature(featureName).orElseThrow(() -> new AnalysisException("unknown slice '" + name
                + "': feature view '" + view.name() + "' has no feature '" + featureName + "'; its latest-value"
                + " features: " + listed(qualified(view))));
        if (!(feature instanceof Feature.LatestValue latest)) {
            throw new AnalysisException("slice '" + name + "' is " + (feature instanceof Feature.Derived ? "a derived"
                    : "an aggregated") + " feature, whose value at the assignment is not a property of the subject;"
                    + " slice by a latest-value feature (one with a column), such as " + listed(qualified(view)));
        }
        if (!view.entity().equals(plan.experiment.entity())) {
            throw new AnalysisException("slice '" + name + "': feature view '" + view.name() + "' is per entity '"
                    + view.entity() + "', experiment '" + plan.experiment.name() + "' per '" + plan.experiment.entity()
                    + "'; slice by a feature of " + listed(features(catalog, plan)));
        }
        Source source = catalog.source(view.source()).orElseThrow(() -> new AnalysisException("feature view '"
                + view.name() + "' reads source '" + view.source() + "', which is not in the catalog"));
        if (!Objects.equals(source.warehouse(), plan.assignments.warehouse())) {
            throw new AnalysisException("slice '" + name + "' lives in warehouse '" + source.warehouse()
                    + "' and the assignments of '" + plan.experiment.name() + "' in '" + plan.assignments.warehouse()
                    + "'; an experiment is analysed inside one warehouse");
        }
        List<String> keys = source.columnsOf(plan.experiment.entity());
        if (keys == null) {
            throw new AnalysisException("source '" + source.name() + "' of feature view '" + view.name()
                    + "' does not map entity '" + plan.experiment.entity() + "': add it to its entity_columns");
        }
        List<Column> columns = describe.apply(source);
        if (Column.find(columns, latest.column()).isEmpty()) {
            throw new AnalysisException("source '" + source.name() + "' has no column '" + latest.column()
                    + "' (feature " + name + "); its columns: " + Column.listed(columns));
        }
        SourceScan scan = new SourceScan(source.name(), source.table(), source.sql(), keys, source.timestamp(),
                source.createdTimestamp(), columns);
        // Rows tied on event and created time are told apart by every latest-value column, as training sets do.
        List<String> tiebreak = new ArrayList<>(latestValues(view).stream()
                .map(f -> ((Feature.LatestValue) view.feature(f).orElseThrow()).column()).distinct().toList());
        return new ExperimentSql.Slice(scan, latest.column(), tiebreak,
                RelativeWindow.asOf(view.ttl() == null ? null : view.ttl().seconds()));
    }

    private static List<String> latestValues(FeatureView view) {
        return view.features().stream().filter(Feature.LatestValue.class::isInstance).map(Feature::name).toList();
    }

    private static List<String> qualified(FeatureView view) {
        return latestValues(view).stream().map(f -> view.name() + Names.SEPARATOR + f).toList();
    }

    private static List<String> features(Catalog catalog, ExperimentPlan plan) {
        List<String> names = new ArrayList<>();
        for (FeatureView view : catalog.featureViews()) {
            if (view.entity().equals(plan.experiment.entity())) {
                names.addAll(qualified(view));
            }
        }
        return names;
    }

    private static String listed(List<String> names) {
        return names.isEmpty() ? "none" : String.join(", ", names);
    }
}
