package dev.fletcher.engine.sql;

import dev.fletcher.engine.plan.Column;
import java.util.List;
import java.util.Map;

/**
 * What the warehouse described for a training set: all a rendering needs to know of it.
 *
 * @param entityRows the entity rows' columns
 * @param sources    each read source's columns, by source name
 */
public record TrainingSetColumns(List<Column> entityRows, Map<String, List<Column>> sources) {
    public TrainingSetColumns {
        entityRows = List.copyOf(entityRows);
        sources = MetricColumns.copy(sources);
    }
}
