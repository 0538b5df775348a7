package dev.fletcher.engine.plan;

import dev.fletcher.catalog.model.Entity;
import dev.fletcher.catalog.model.Feature;
import dev.fletcher.catalog.model.FeatureView;
import dev.fletcher.catalog.model.Source;
import java.util.List;

/**
 * A requested feature view with everything it needs from the catalog.
 *
 * @param requested     the requested features, in request order
 * @param computed      the latest-value and aggregated features to compute: those requested and those derived
 *                      ones depend on, in the view's order
 * @param derivedLayers derived features to compute, each layer depending only on earlier layers and computed ones
 */
public record ResolvedView(FeatureView view, Entity entity, Source source, List<Feature> requested,
        List<Feature> computed, List<List<Feature.Derived>> derivedLayers) {
    public ResolvedView {
        requested = List.copyOf(requested);
        computed = List.copyOf(computed);
        derivedLayers = derivedLayers.stream().map(List::copyOf).toList();
    }

    /** The source columns holding the view's entity keys, in key order. */
    public List<String> sourceKeyColumns() {
        return source.columnsOf(entity.name());
    }
}
