package dev.fletcher.server.catalog;

import static dev.fletcher.server.problem.Subject.CATALOG;

import dev.fletcher.catalog.lang.BundleError;
import dev.fletcher.catalog.lang.BundleException;
import dev.fletcher.catalog.lang.BundleParser;
import dev.fletcher.catalog.lang.ParsedBundle;
import dev.fletcher.catalog.lang.ParsedObject;
import dev.fletcher.catalog.model.Catalog;
import dev.fletcher.catalog.model.CatalogObject;
import dev.fletcher.catalog.model.Kind;
import dev.fletcher.catalog.model.ObjectKey;
import dev.fletcher.catalog.model.Source;
import dev.fletcher.catalog.persistence.ApplyResult;
import dev.fletcher.catalog.persistence.CatalogChange;
import dev.fletcher.catalog.persistence.CatalogConflictException;
import dev.fletcher.catalog.persistence.CatalogSnapshot;
import dev.fletcher.catalog.persistence.CatalogStore;
import dev.fletcher.catalog.persistence.ObjectVersion;
import dev.fletcher.catalog.persistence.PlannedChange;
import dev.fletcher.catalog.persistence.StoredObject;
import dev.fletcher.server.problem.Reason;
import dev.fletcher.server.problem.RequestException;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Context;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * The catalog as the rest of the server sees it: apply bundles, read definitions and their history, and take
 * a decoded snapshot of everything (cached; replaced after every apply that changes something).
 */
@ApplicationScoped
public class CatalogService {
    private static final Logger LOG = Logger.getLogger(CatalogService.class);

    /** How long a cached snapshot is trusted before the stored version is checked (another server may apply). */
    static final long RECHECK_NANOS = 5_000_000_000L;

    private final CatalogStore store;
    private final SourceChecks sourceChecks;
    private volatile Cached cached;
    /** The newest version this server applied; a cached snapshot older than it is never served. */
    private volatile long appliedVersion;
    private final AtomicBoolean refreshing = new AtomicBoolean();
    private final ExecutorService refresher = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "catalog-recheck");
        thread.setDaemon(true);
        return thread;
    });

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
            try {
                load();
            } catch (RuntimeException e) {
                // stored already; the next read loads the snapshot
                LOG.debugf("Reading the catalog after an apply failed: %s", e.getMessage());
            }
        }
        return new Applied(result, notChecked);
    }

    public long catalogVersion() {
        return store.catalogVersion();
    }

    /** Every live object, ordered by kind then name. */
    public List<StoredObject> list() {
        // read from the database, as the catalog version beside it is: a listing shows what is stored now
        return store.list();
    }

    /**
     * One object from the in-memory snapshot, which follows another server's applies within {@link #RECHECK_NANOS}.
     *
     * @throws RequestException (not found) when the kind is unknown or the object does not exist
     */
    public StoredObject get(String kind, String name) {
        ObjectKey key = key(kind, name);
        return current().get(key).orElseThrow(() -> new RequestException(Reason.NOT_FOUND, CATALOG, "there is no " + kind
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

    /**
     * The current catalog snapshot, decoded and as stored; never waits for the database once one is held. A snapshot
     * older than {@link #RECHECK_NANOS} is still answered while a background check compares its version with the
     * stored one (another server may have applied) and swaps in the newer snapshot; an apply on this server swaps it
     * at once.
     */
    public CatalogSnapshot current() {
        Cached now = cached;
        boolean behind = now != null && now.snapshot.catalogVersion() < appliedVersion;
        if (now == null || (behind && !Context.isOnEventLoopThread())) {
            return load();
        }
        if ((behind || System.nanoTime() - now.checkedAt >= RECHECK_NANOS) && refreshing.compareAndSet(false, true)) {
            try {
                refresher.execute(this::recheck);
            } catch (RejectedExecutionException e) {
                refreshing.set(false);
            }
        }
        return now.snapshot;
    }

    /** The current catalog, decoded. */
    public Catalog catalog() {
        return current().catalog();
    }

    /** Every live object by key, as of the latest apply. */
    public Map<ObjectKey, CatalogObject> snapshot() {
        return current().objects();
    }

    private synchronized CatalogSnapshot load() {
        Cached now = cached;
        if (now != null && now.snapshot.catalogVersion() >= appliedVersion) {
            return now.snapshot;
        }
        CatalogSnapshot snapshot = store.snapshot();
        cached = new Cached(snapshot, System.nanoTime());
        return snapshot;
    }

    private void recheck() {
        try {
            Cached now = cached;
            if (now != null && store.catalogVersion() == now.snapshot.catalogVersion()) {
                cached = new Cached(now.snapshot, System.nanoTime());
            } else {
                CatalogSnapshot snapshot = store.snapshot();
                synchronized (this) {
                    Cached latest = cached;
                    if (latest == null || snapshot.catalogVersion() >= latest.snapshot.catalogVersion()) {
                        cached = new Cached(snapshot, System.nanoTime());
                    }
                }
            }
        } catch (RuntimeException e) {
            // the snapshot held stays in use; the next read after RECHECK_NANOS tries again
            LOG.debugf("Checking the catalog version failed: %s", e.getMessage());
        } finally {
            refreshing.set(false);
        }
    }

    /** Reads the first snapshot before any request, so none waits for the database on an event loop. */
    void start(@Observes StartupEvent event) {
        try {
            current();
        } catch (RuntimeException e) {
            LOG.warnf("Reading the catalog at start failed (the first read tries again): %s", e.getMessage());
        }
    }

    @PreDestroy
    void stop() {
        refresher.shutdownNow();
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
