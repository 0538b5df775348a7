package dev.fletcher.engine.plan;

import dev.fletcher.catalog.model.Entity;
import dev.fletcher.catalog.model.FeatureRef;
import dev.fletcher.catalog.model.Source;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A training-set request checked against the catalog, before the warehouse has described its relations.
 *
 * @param views     the requested views in order of first mention
 * @param warehouse the warehouse instance every requested view's source lives in
 */
public record ResolvedTrainingSet(TrainingSetRequest request, List<ResolvedView> views, String warehouse) {
    public ResolvedTrainingSet {
        views = List.copyOf(views);
    }

    /** The output column of every requested feature, in request order. */
    public List<String> featureColumns() {
        return request.features().stream().map(FeatureRef::column).toList();
    }

    /** The distinct sources read, in order of first use. */
    public List<Source> sources() {
        Map<String, Source> sources = new LinkedHashMap<>();
        views.forEach(v -> sources.putIfAbsent(v.source().name(), v.source()));
        return List.copyOf(sources.values());
    }

    /** The key columns of every requested view's entity, each once, in order of first appearance. */
    public List<String> entityKeyColumns() {
        List<String> keys = new ArrayList<>();
        for (ResolvedView view : views) {
            for (String key : view.entity().keys()) {
                if (!keys.contains(key)) {
                    keys.add(key);
                }
            }
        }
        return keys;
    }

    /** The distinct entities of the requested views, in order of first use. */
    public List<Entity> entities() {
        Map<String, Entity> entities = new LinkedHashMap<>();
        views.forEach(v -> entities.putIfAbsent(v.entity().name(), v.entity()));
        return List.copyOf(entities.values());
    }
}
