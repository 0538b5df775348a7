package dev.fletcher.sdk;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;

/**
 * One change in the catalog's history.
 *
 * @param change    {@code created}, {@code updated} or {@code deleted}
 * @param changedBy an API key's name, {@code local} or {@code server}; null for changes older than this record
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record CatalogChange(
        @JsonProperty("kind") String kind,
        @JsonProperty("name") String name,
        @JsonProperty("version") int version,
        @JsonProperty("catalog_version") long catalogVersion,
        @JsonProperty("change") String change,
        @JsonProperty("changed_at") Instant changedAt,
        @JsonProperty("changed_by") String changedBy) {
}
