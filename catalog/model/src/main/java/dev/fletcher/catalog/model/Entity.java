package dev.fletcher.catalog.model;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What features and metrics are about (a customer, a lead), identified by one or more key columns.
 *
 * @param keys the key column names in key order; sources map them with {@code entity_columns}
 */
public record Entity(String name, List<String> keys, String description, Map<String, String> tags)
        implements CatalogObject {
    public Entity {
        Objects.requireNonNull(name, "name");
        keys = List.copyOf(keys);
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("an entity needs at least one key");
        }
        tags = Tags.copy(tags);
    }

    public Entity(String name, List<String> keys) {
        this(name, keys, null, Map.of());
    }

    @Override
    public Kind kind() {
        return Kind.ENTITY;
    }
}
