package dev.fletcher.sdk;

import com.fasterxml.jackson.annotation.JsonAlias;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * One entry of an object's history.
 *
 * @param catalogVersion the catalog version the change belongs to
 * @param change         {@code created}, {@code updated} or {@code deleted}
 * @param spec           the definition at that version; for a deletion, the one deleted
 * @param changedBy      who made the change: an API key's name, {@code local} (a client on the server's machine
 *                       while it had no keys) or {@code server}; null for changes older than this record
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ObjectVersion(
        int version,
        @JsonProperty("catalog_version") @JsonAlias("catalogVersion") long catalogVersion,
        String change,
        JsonNode spec,
        @JsonProperty("changed_at") @JsonAlias("changedAt") Instant changedAt,
        @JsonProperty("changed_by") @JsonAlias("changedBy") String changedBy) {
}
