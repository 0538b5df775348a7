package dev.fletcher.engine.plan;

import dev.fletcher.catalog.model.FeatureRef;
import java.util.List;
import java.util.Objects;

/**
 * What a training-set request asks for.
 *
 * @param timestampColumn the entity rows' anchor-time column; for a time range, the name of the generated one
 * @param asKnown         rows created after each anchor time are invisible ({@code "as_known": true})
 */
public record TrainingSetRequest(List<FeatureRef> features, EntityInput entities, String timestampColumn,
        boolean asKnown) {
    public static final String DEFAULT_TIMESTAMP_COLUMN = "event_timestamp";

    public TrainingSetRequest {
        Objects.requireNonNull(entities, "entities");
        features = List.copyOf(features);
        if (features.isEmpty()) {
            throw new PlanException("no features requested: name at least one as <feature_view>:<feature>");
        }
        if (timestampColumn == null || timestampColumn.isBlank()) {
            timestampColumn = DEFAULT_TIMESTAMP_COLUMN;
        }
    }
}
