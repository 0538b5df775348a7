package dev.fletcher.catalog.persistence;

import dev.fletcher.catalog.model.Catalog;
import dev.fletcher.catalog.model.CatalogObject;
import dev.fletcher.catalog.model.ObjectKey;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Every live object at one catalog version, read in one transaction so the two agree: decoded, and as stored (its
 * version, canonical spec and times). Immutable, so readers share one without copying.
 */
public record CatalogSnapshot(long catalogVersion, Catalog catalog, Map<ObjectKey, StoredObject> stored) {
    public CatalogSnapshot {
        stored = Collections.unmodifiableMap(new TreeMap<>(stored));
    }

    /** Every live object, decoded, by key. */
    public Map<ObjectKey, CatalogObject> objects() {
        return catalog.asMap();
    }

    public Optional<StoredObject> get(ObjectKey key) {
        return Optional.ofNullable(stored.get(key));
    }

    /** Every live object as stored, ordered by kind then name. */
    public List<StoredObject> list() {
        return List.copyOf(stored.values());
    }
}
