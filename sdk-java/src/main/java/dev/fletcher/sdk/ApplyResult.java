package dev.fletcher.sdk;

import com.fasterxml.jackson.annotation.JsonAlias;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * The plan an apply carried out (or, on a dry run, would carry out).
 *
 * @param catalogVersion the catalog's version after the apply
 * @param dryRun         whether nothing was written
 * @param changes        one entry per object of the bundle, then one per deleted object
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ApplyResult(
        @JsonProperty("catalog_version") @JsonAlias("catalogVersion") long catalogVersion,
        @JsonProperty("dry_run") @JsonAlias("dryRun") boolean dryRun,
        @JsonProperty("changes") List<Change> changes) {

    public ApplyResult {
        changes = changes == null ? List.of() : List.copyOf(changes);
    }

    /**
     * What happened to one object.
     *
     * @param action  {@code created}, {@code updated}, {@code unchanged} or {@code deleted}
     * @param version the object's version after the apply
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Change(String kind, String name, String action, int version) {
    }

    public List<Change> created() {
        return withAction("created");
    }

    public List<Change> updated() {
        return withAction("updated");
    }

    public List<Change> unchanged() {
        return withAction("unchanged");
    }

    public List<Change> deleted() {
        return withAction("deleted");
    }

    /** The change to one object, or null when the apply did not touch it. */
    public Change change(String kind, String name) {
        return changes.stream().filter(c -> c.kind().equals(kind) && c.name().equals(name)).findFirst().orElse(null);
    }

    private List<Change> withAction(String action) {
        return changes.stream().filter(c -> action.equals(c.action())).toList();
    }
}
