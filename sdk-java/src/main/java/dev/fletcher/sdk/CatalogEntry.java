package dev.fletcher.sdk;

import com.fasterxml.jackson.annotation.JsonAlias;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * A catalog object at its current version.
 *
 * @param spec the definition as canonical JSON (defaults applied)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record CatalogEntry(
        String kind,
        String name,
        int version,
        JsonNode spec,
        @JsonProperty("created_at") @JsonAlias("createdAt") Instant createdAt,
        @JsonProperty("updated_at") @JsonAlias("updatedAt") Instant updatedAt) {
}
