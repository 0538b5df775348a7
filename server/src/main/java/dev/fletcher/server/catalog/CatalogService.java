package dev.fletcher.server.catalog;

import static dev.fletcher.server.problem.Subject.CATALOG;

import dev.fletcher.catalog.lang.BundleError;
import dev.fletcher.catalog.lang.BundleException;
import dev.fletcher.catalog.lang.BundleParser;
import dev.fletcher.catalog.lang.ParsedBundle;
import dev.fletcher.catalog.lang.ParsedObject;
import dev.fletcher.catalog.model.CatalogObject;
import dev.fletcher.catalog.model.Kind;
import dev.fletcher.catalog.model.ObjectKey;
import dev.fletcher.catalog.model.Source;
import dev.fletcher.catalog.persistence.ApplyResult;
import dev.fletcher.catalog.persistence.CatalogChange;
import dev.fletcher.catalog.persistence.CatalogConflictException;
import dev.fletcher.catalog.persistence.CatalogSnapshot;
import dev.fletcher.catalog.persistence.CatalogStore;
import dev.fletcher.catalog.persistence.PlannedChange;
import dev.fletcher.catalog.persistence.ObjectVersion;
import dev.fletcher.catalog.persistence.StoredObject;
import dev.fletcher.server.problem.Reason;
import dev.fletcher.server.problem.RequestException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The catalog as the rest of the server sees it: apply bundles, read definitions and their history, and take
 * a decoded snapshot of everything (cached; replaced after every apply that changes something).
 */
@ApplicationScoped
public class CatalogService {
    /** How long a cached snapshot is trusted before the stored version is checked (another server may apply). */
    static final long RECHECK_NANOS = 5_000_000_000L;

    private final CatalogStore store;
    private final SourceChecks sourceChecks;
    private volatile Cached cached;
    /** The newest version this server applied; a cached snapshot older than it is never served. */
    private volatile long appliedVersion;

    private record Cached(CatalogSnapshot snapshot, long checkedAt) {
    }

    /**
     * An apply's outcome, with the sources it created or changed that could not be read in their warehouse because
     * it could not be reached.
     */
    public record Applied(ApplyResult result, List<SourceChecks.NotChecked> notChecked) {
        public Applied {
            notChecked = List.copyOf(notChecked);
        }
    }

    @Inject
    public CatalogService(CatalogStore store, SourceChecks sourceChecks) {
        this.store = store;
        this.sourceChecks = sourceChecks;
    }

    /**
     * Parses, validates and (unless {@code dryRun}) stores a bundle.
     *
     * @param bundleName names the bundle's documents in errors, e.g. {@code catalog.yaml}
     * @throws BundleException           for any problem in the bundle or the catalog it would make
     * @throws CatalogConflictException when another apply committed while this one ran
     */
    public ApplyResult apply(String bundleName, String text, boolean dryRun, boolean prune) {
        return applyChecked(bundleName, text, dryRun, prune, CatalogStore.SERVER).result();
    }

    /**
     * As {@link #apply(String, String, boolean, boolean)}, recording who applied, with the sources that could not be
     * checked.
     *
     * @param by the caller's name: a key's name, or {@code local} for a loopback client in protected mode
     */
    public Applied applyChecked(String bundleName, String text, boolean dryRun, boolean prune, String by) {
        if (text.isBlank()) {
            throw new BundleException(List.of(new BundleError(bundleName, null, null,
                    "the bundle is empty; send one or more YAML documents, each starting with 'kind:'")));
        }
        return applyChecked(BundleParser.parse(bundleName, text), dryRun, prune, by);
    }

    /** Applies an already parsed bundle (several files read at start make one bundle), as the server itself. */
    public ApplyResult apply(ParsedBundle bundle, boolean dryRun, boolean prune) {
        return applyChecked(bundle, dryRun, prune, CatalogStore.SERVER).result();
    }

    /**
     * As {@link #apply(ParsedBundle, boolean, boolean)}, recording who applied. Sources the bundle creates or changes
     * are read in their warehouse first (dry runs too); one that does not read well rejects the bundle and nothing
     * is stored.
     */
    public Applied applyChecked(ParsedBundle bundle, boolean dryRun, boolean prune, String by) {
        if (bundle.objects().isEmpty()) {
            throw new BundleException(List.of(new BundleError(bundle.name(), null, null,
                    "the bundle holds no definitions; send one or more YAML documents, each starting with 'kind:'")));
        }
        List<ParsedObject> sources = bundle.objects().stream()
                .filter(o -> o.object() instanceof Source source && source.sql() != null).toList();
        // the SQL is checked before the bundle is planned: nothing of a refused source reaches a warehouse
        SourceChecks.checkSql(sources);
        List<SourceChecks.NotChecked> notChecked = List.of();
        ApplyResult result;
        try {
            if (!sources.isEmpty()) {
                // plan first (the bundle's own errors come before the warehouse's), then read what changes
                ApplyResult planned = store.apply(bundle, true, prune, by);
                Set<ObjectKey> changing = planned.changes().stream()
                        .filter(c -> c.action() == PlannedChange.Action.CREATED
                                || c.action() == PlannedChange.Action.UPDATED)
                        .map(PlannedChange::key).collect(Collectors.toSet());
                notChecked = sourceChecks.check(sources.stream()
                        .filter(o -> changing.contains(o.object().key())).toList());
                if (dryRun) {
                    return new Applied(planned, notChecked);
                }
            }
            result = store.apply(bundle, dryRun, prune, by);
        } catch (CatalogConflictException e) {
            throw e.withCurrentVersion(store.catalogVersion());
        }
        if (result.changedAnything() && !dryRun) {
            appliedVersion = Math.max(appliedVersion, result.catalogVersion());
            cached = null;
        }
        return new Applied(result, notChecked);
    }

    public long catalogVersion() {
        return store.catalogVersion();
    }

    /** Every live object, ordered by kind then name. */
    public List<StoredObject> list() {
        return store.list();
    }

    /** @throws RequestException (not found) when the kind is unknown or the object does not exist */
    public StoredObject get(String kind, String name) {
        ObjectKey key = key(kind, name);
        return store.get(key).orElseThrow(() -> new RequestException(Reason.NOT_FOUND, CATALOG, "there is no " + kind
                + " named '" + name + "' in the catalog" + (store.versions(key).isEmpty() ? ""
                        : " (it was deleted; see /api/v1/catalog/" + kind + "/" + name + "/versions)")));
    }

    /** @throws RequestException (not found) when the kind is unknown or the object never existed */
    public List<ObjectVersion> versions(String kind, String name) {
        List<ObjectVersion> versions = store.versions(key(kind, name));
        if (versions.isEmpty()) {
            throw new RequestException(Reason.NOT_FOUND, CATALOG, "there is no " + kind + " named '" + name
                    + "' in the catalog, and there never was");
        }
        return versions;
    }

    /** Changes across the catalog, newest first. */
    public List<CatalogChange> history(int limit, int offset) {
        return store.history(limit, offset);
    }

    /** The current catalog, decoded; cheap to call often. */
    public CatalogSnapshot current() {
        Cached now = cached;
        long time = System.nanoTime();
        boolean fresh = now != null && now.snapshot.catalogVersion() >= appliedVersion;
        if (fresh && time - now.checkedAt < RECHECK_NANOS) {
            return now.snapshot;
        }
        if (fresh && store.catalogVersion() == now.snapshot.catalogVersion()) {
            cached = new Cached(now.snapshot, time);
            return now.snapshot;
        }
        CatalogSnapshot snapshot = store.snapshot();
        cached = new Cached(snapshot, time);
        return snapshot;
    }

    /** Every live object by key, as of the latest apply. */
    public Map<ObjectKey, CatalogObject> snapshot() {
        return current().objects();
    }

    /** The kind a REST path names. */
    public static Kind kind(String id) {
        return Kind.fromId(id).orElseThrow(() -> new RequestException(Reason.NOT_FOUND, CATALOG, "unknown kind '" + id
                + "'; kinds: " + Arrays.stream(Kind.values()).map(Kind::id).collect(Collectors.joining(", "))));
    }

    private static ObjectKey key(String kind, String name) {
        return new ObjectKey(kind(kind), name);
    }
}
