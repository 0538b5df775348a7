package dev.fletcher.catalog.model;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Features of one entity computed from one source.
 *
 * @param ttl    latest-value features older than this are null; null means they never expire
 * @param online whether materialization keeps the view's values in the online store
 */
public record FeatureView(
        String name,
        String entity,
        String source,
        Window ttl,
        boolean online,
        List<Feature> features,
        String description,
        Map<String, String> tags) implements CatalogObject {

    public FeatureView {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(entity, "entity");
        Objects.requireNonNull(source, "source");
        features = List.copyOf(features);
        if (features.isEmpty()) {
            throw new IllegalArgumentException("a feature view needs at least one feature");
        }
        tags = Tags.copy(tags);
    }

    @Override
    public Kind kind() {
        return Kind.FEATURE_VIEW;
    }

    public Optional<Feature> feature(String featureName) {
        return features.stream().filter(f -> f.name().equals(featureName)).findFirst();
    }

    @Override
    public Set<ObjectKey> references() {
        return Set.of(new ObjectKey(Kind.ENTITY, entity), new ObjectKey(Kind.SOURCE, source));
    }
}
