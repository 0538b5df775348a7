package dev.fletcher.engine.plan;

import dev.fletcher.catalog.model.Feature;
import dev.fletcher.catalog.model.FeatureRef;
import java.util.List;

/**
 * How one feature view's values are computed for every entity row.
 *
 * @param anchorKeys    the entity-row columns holding the view's entity keys, in key order (as the rows name them)
 * @param aggregate     the latest-value and aggregated features, one measure each, named after the feature
 * @param derivedLayers derived features by dependency depth, computed from the measures and earlier layers
 * @param outputs       the requested features of this view
 */
public record ViewPlan(String view, List<String> anchorKeys, AnchoredAggregate aggregate,
        List<List<Feature.Derived>> derivedLayers, List<FeatureRef> outputs) {
    public ViewPlan {
        anchorKeys = List.copyOf(anchorKeys);
        derivedLayers = derivedLayers.stream().map(List::copyOf).toList();
        outputs = List.copyOf(outputs);
    }
}
