package dev.fletcher.catalog.persistence;

import dev.fletcher.catalog.model.CatalogObject;
import dev.fletcher.catalog.model.ObjectKey;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/** Every live object at one catalog version, read in one transaction so the two agree. */
public record CatalogSnapshot(long catalogVersion, Map<ObjectKey, CatalogObject> objects) {
    public CatalogSnapshot {
        objects = Collections.unmodifiableMap(new TreeMap<>(objects));
    }
}
