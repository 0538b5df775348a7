package dev.fletcher.sdk;

import com.fasterxml.jackson.annotation.JsonAlias;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every object of the catalog at one catalog version.
 *
 * @param objects the objects by kind ({@code entity}, {@code source}, ...), each kind present
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Catalog(
        @JsonProperty("catalog_version") @JsonAlias("catalogVersion") long catalogVersion,
        @JsonProperty("objects") Map<String, List<CatalogEntry>> objects) {

    public Catalog {
        Map<String, List<CatalogEntry>> copy = new LinkedHashMap<>();
        if (objects != null) {
            objects.forEach((kind, list) -> copy.put(kind, list == null ? List.of() : List.copyOf(list)));
        }
        objects = java.util.Collections.unmodifiableMap(copy);
    }

    /** The objects of one kind, e.g. {@code feature_view}; empty when there are none. */
    public List<CatalogEntry> ofKind(String kind) {
        return objects.getOrDefault(kind, List.of());
    }

    /** Every object, kind by kind. */
    public List<CatalogEntry> all() {
        return objects.values().stream().flatMap(List::stream).toList();
    }

    /** How many objects the catalog holds. */
    public int size() {
        return objects.values().stream().mapToInt(List::size).sum();
    }
}
