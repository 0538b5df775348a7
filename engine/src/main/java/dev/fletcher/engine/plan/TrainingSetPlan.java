package dev.fletcher.engine.plan;

import dev.fletcher.catalog.model.FeatureRef;
import java.util.ArrayList;
import java.util.List;

/**
 * A training set, dialect-neutral: number the entity rows, compute every view for every row, and return each
 * row once with its own columns followed by {@code <view>__<feature>} columns.
 *
 * @param entityColumns   the entity rows' columns as the warehouse describes them, all returned as sent
 * @param timestampColumn the entity rows' anchor-time column (as the rows name it)
 * @param timestampKind   its kind: a timestamp (with or without zone) or a date
 * @param features        the requested features in request order, which is their columns' order
 */
public record TrainingSetPlan(EntityInput input, List<Column> entityColumns, String timestampColumn,
        ColumnKind timestampKind, List<ViewPlan> views, List<FeatureRef> features, boolean asKnown) {
    public TrainingSetPlan {
        entityColumns = List.copyOf(entityColumns);
        views = List.copyOf(views);
        features = List.copyOf(features);
    }

    /** The result's columns in order: every entity-row column, then one per requested feature. */
    public List<String> outputColumns() {
        List<String> names = new ArrayList<>(Column.names(entityColumns));
        features.forEach(ref -> names.add(ref.column()));
        return names;
    }
}
