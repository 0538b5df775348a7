package dev.fletcher.server.catalog;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonRawValue;
import dev.fletcher.catalog.model.Kind;
import dev.fletcher.catalog.persistence.ApplyResult;
import dev.fletcher.catalog.persistence.CatalogChange;
import dev.fletcher.catalog.persistence.ObjectVersion;
import dev.fletcher.catalog.persistence.PlannedChange;
import dev.fletcher.catalog.persistence.StoredObject;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The JSON bodies of the catalog endpoints. */
final class CatalogResponses {
    private CatalogResponses() {
    }

    record Change(String kind, String name, String action, int version) {
    }

    record Summary(int created, int updated, int unchanged, int deleted) {
    }

    /** A source apply could not read because its warehouse could not be reached. */
    record NotChecked(String source, String warehouse, String reason) {
    }

    /** The plan; {@code not_checked} appears only when a source's warehouse could not be reached. */
    record Applied(@JsonProperty("catalog_version") long catalogVersion,
                   @JsonProperty("dry_run") boolean dryRun,
                   List<Change> changes,
                   Summary summary,
                   @JsonProperty("not_checked") @JsonInclude(JsonInclude.Include.NON_EMPTY) List<NotChecked> notChecked) {
        static Applied of(CatalogService.Applied applied) {
            ApplyResult result = applied.result();
            Map<PlannedChange.Action, Integer> counts = result.counts();
            return new Applied(result.catalogVersion(), result.dryRun(),
                    result.changes().stream().map(c -> new Change(c.key().kind().id(), c.key().name(),
                            c.action().id(), c.version())).toList(),
                    new Summary(counts.get(PlannedChange.Action.CREATED), counts.get(PlannedChange.Action.UPDATED),
                            counts.get(PlannedChange.Action.UNCHANGED), counts.get(PlannedChange.Action.DELETED)),
                    applied.notChecked().stream().map(n -> new NotChecked(n.source(), n.warehouse(), n.reason()))
                            .toList());
        }
    }

    record CatalogObjectBody(String kind, String name, int version,
                             @JsonProperty("created_at") Instant createdAt,
                             @JsonProperty("updated_at") Instant updatedAt,
                             @JsonRawValue String spec) {
        static CatalogObjectBody of(StoredObject stored) {
            return new CatalogObjectBody(stored.key().kind().id(), stored.key().name(), stored.version(),
                    stored.createdAt(), stored.updatedAt(), stored.spec());
        }
    }

    /** Every object grouped by kind; every kind is present, empty when it has no objects. */
    record Catalog(@JsonProperty("catalog_version") long catalogVersion,
                   Map<String, List<CatalogObjectBody>> objects) {
        static Catalog of(long version, List<StoredObject> stored) {
            Map<String, List<CatalogObjectBody>> byKind = new LinkedHashMap<>();
            for (Kind kind : Kind.values()) {
                byKind.put(kind.id(), stored.stream().filter(s -> s.key().kind() == kind)
                        .map(CatalogObjectBody::of).toList());
            }
            return new Catalog(version, byKind);
        }
    }

    record Version(int version,
                   @JsonProperty("catalog_version") long catalogVersion,
                   String change,
                   @JsonProperty("changed_at") Instant changedAt,
                   @JsonProperty("changed_by") String changedBy,
                   @JsonRawValue String spec) {
        static Version of(ObjectVersion v) {
            return new Version(v.version(), v.catalogVersion(), v.change().id(), v.changedAt(), v.changedBy(),
                    v.spec());
        }
    }

    /** One entry of the catalog's history. */
    record HistoryEntry(String kind, String name, int version,
                        @JsonProperty("catalog_version") long catalogVersion,
                        String change,
                        @JsonProperty("changed_at") Instant changedAt,
                        @JsonProperty("changed_by") String changedBy) {
        static HistoryEntry of(CatalogChange c) {
            return new HistoryEntry(c.key().kind().id(), c.key().name(), c.version(), c.catalogVersion(),
                    c.change().id(), c.changedAt(), c.changedBy());
        }
    }

    /** @param nextOffset the offset of the next page; null when this page is the last */
    record History(List<HistoryEntry> changes, int limit, int offset,
                   @JsonProperty("next_offset") Integer nextOffset) {
    }

    record Versions(String kind, String name, List<Version> versions) {
    }
}
