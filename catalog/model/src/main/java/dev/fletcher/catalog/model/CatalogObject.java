package dev.fletcher.catalog.model;

import java.util.Map;
import java.util.Set;

/** One definition of the catalog: an entity, source, feature view, metric, monitor or experiment. */
public interface CatalogObject {
    Kind kind();

    String name();

    default ObjectKey key() {
        return new ObjectKey(kind(), name());
    }

    /** Free text for people; null when none was given. */
    default String description() {
        return null;
    }

    /** Free-form labels ({@code tags: {team: growth}}); never null. */
    default Map<String, String> tags() {
        return Map.of();
    }

    /** The other objects this definition names: what must exist for it to work, and what it keeps alive. */
    default Set<ObjectKey> references() {
        return Set.of();
    }
}
