package dev.fletcher.catalog.persistence;

import dev.fletcher.catalog.lang.BundleException;
import dev.fletcher.catalog.lang.CatalogCodec;
import dev.fletcher.catalog.lang.CatalogValidator;
import dev.fletcher.catalog.lang.ParsedBundle;
import dev.fletcher.catalog.lang.ParsedObject;
import dev.fletcher.catalog.model.Catalog;
import dev.fletcher.catalog.model.CatalogObject;
import dev.fletcher.catalog.model.Kind;
import dev.fletcher.catalog.model.ObjectKey;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockTimeoutException;
import jakarta.persistence.OptimisticLockException;
import jakarta.persistence.PessimisticLockException;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;

/**
 * The stored catalog: current definitions, their history and the catalog version. An apply is planned against
 * what is stored and written in one transaction; it either lands whole or changes nothing.
 */
@ApplicationScoped
public class CatalogStore {
    /** Who made the changes the server applies by itself, such as {@code fletcher.catalog.load} at start. */
    public static final String SERVER = "server";

    private final CatalogEntityManager entityManager;

    /** For the container's client proxy only. */
    protected CatalogStore() {
        this.entityManager = null;
    }

    @Inject
    public CatalogStore(CatalogEntityManager entityManager) {
        this.entityManager = entityManager;
    }

    private EntityManager em() {
        return entityManager.get();
    }

    /**
     * Plans a parsed bundle against the stored catalog and, unless {@code dryRun}, writes the plan.
     *
     * @param prune also delete stored objects the bundle does not hold
     * @throws BundleException           when the catalog after the apply would be invalid (nothing is written)
     * @throws CatalogConflictException when another apply committed first (nothing is written)
     */
    @Transactional
    public ApplyResult apply(ParsedBundle bundle, boolean dryRun, boolean prune) {
        return apply(bundle, dryRun, prune, SERVER);
    }

    /**
     * As {@link #apply(ParsedBundle, boolean, boolean)}, recording who made the change in every version written.
     *
     * @param by a key's name, or another word for who applied ({@link #SERVER} for the server's own applies)
     */
    @Transactional
    public ApplyResult apply(ParsedBundle bundle, boolean dryRun, boolean prune, String by) {
        EntityManager em = em();
        CatalogHeadEntity head = head(em);
        Map<ObjectKey, StoredObjectEntity> stored = storedByKey(em);
        CatalogValidator.rejectDuplicates(bundle);

        Map<ObjectKey, CatalogObject> after = new TreeMap<>();
        if (!prune) {
            stored.forEach((key, entity) -> after.put(key, decode(entity)));
        }
        for (ParsedObject parsed : bundle.objects()) {
            after.put(parsed.object().key(), parsed.object());
        }
        CatalogValidator.validate(after, bundle);

        List<PlannedChange> changes = new ArrayList<>();
        Map<ObjectKey, ParsedObject> inBundle = new LinkedHashMap<>();
        for (ParsedObject parsed : bundle.objects()) {
            ObjectKey key = parsed.object().key();
            inBundle.put(key, parsed);
            StoredObjectEntity current = stored.get(key);
            if (current == null) {
                changes.add(new PlannedChange(key, PlannedChange.Action.CREATED, lastVersion(em, key) + 1));
            } else if (current.spec.equals(parsed.spec())) {
                changes.add(new PlannedChange(key, PlannedChange.Action.UNCHANGED, current.version));
            } else {
                changes.add(new PlannedChange(key, PlannedChange.Action.UPDATED, current.version + 1));
            }
        }
        if (prune) {
            new TreeMap<>(stored).forEach((key, entity) -> {
                if (!inBundle.containsKey(key)) {
                    changes.add(new PlannedChange(key, PlannedChange.Action.DELETED, entity.version + 1));
                }
            });
        }

        ApplyResult planned = new ApplyResult(head.catalogVersion, dryRun, changes);
        if (dryRun || !planned.changedAnything()) {
            return planned;
        }

        Instant now = Instant.now();
        long newVersion = head.catalogVersion + 1;
        head.catalogVersion = newVersion;
        head.updatedAt = now;
        try {
            // The head goes first: a concurrent apply then fails on it, before touching any object row.
            em.flush();
        } catch (OptimisticLockException | PessimisticLockException | LockTimeoutException e) {
            throw new CatalogConflictException(OptionalLong.empty(), e);
        }

        for (PlannedChange change : changes) {
            ObjectKey key = change.key();
            switch (change.action()) {
                case CREATED -> {
                    StoredObjectEntity entity = new StoredObjectEntity();
                    entity.kind = key.kind().id();
                    entity.name = key.name();
                    entity.version = change.version();
                    entity.spec = inBundle.get(key).spec();
                    entity.createdAt = now;
                    entity.updatedAt = now;
                    em.persist(entity);
                    em.persist(history(key, change.version(), newVersion, ChangeType.CREATED, entity.spec, now, by));
                }
                case UPDATED -> {
                    StoredObjectEntity entity = stored.get(key);
                    entity.version = change.version();
                    entity.spec = inBundle.get(key).spec();
                    entity.updatedAt = now;
                    em.persist(history(key, change.version(), newVersion, ChangeType.UPDATED, entity.spec, now, by));
                }
                case DELETED -> {
                    StoredObjectEntity entity = stored.get(key);
                    em.remove(entity);
                    em.persist(history(key, change.version(), newVersion, ChangeType.DELETED, entity.spec, now, by));
                }
                case UNCHANGED -> {
                }
            }
        }
        em.flush();
        return new ApplyResult(newVersion, false, changes);
    }

    @Transactional
    public long catalogVersion() {
        return head(em()).catalogVersion;
    }

    @Transactional
    public Optional<StoredObject> get(ObjectKey key) {
        return em().createQuery("select o from StoredObjectEntity o where o.kind = :kind and o.name = :name",
                        StoredObjectEntity.class)
                .setParameter("kind", key.kind().id())
                .setParameter("name", key.name())
                .getResultStream()
                .findFirst()
                .map(CatalogStore::toStored);
    }

    /** Every live object, ordered by kind then name. */
    @Transactional
    public List<StoredObject> list() {
        return storedByKey(em()).values().stream().map(CatalogStore::toStored).toList();
    }

    /** The object's history, oldest first; empty when the object never existed. */
    @Transactional
    public List<ObjectVersion> versions(ObjectKey key) {
        return em().createQuery("select v from ObjectVersionEntity v where v.kind = :kind and v.name = :name"
                                + " order by v.version",
                        ObjectVersionEntity.class)
                .setParameter("kind", key.kind().id())
                .setParameter("name", key.name())
                .getResultStream()
                .map(v -> new ObjectVersion(v.version, v.catalogVersion, v.changeType, v.spec, v.changedAt,
                        v.changedBy))
                .toList();
    }

    /**
     * Recent changes across the whole catalog, newest first: by catalog version, then by object within one apply.
     *
     * @param limit  at most this many
     * @param offset skip this many of the newest first
     */
    @Transactional
    public List<CatalogChange> history(int limit, int offset) {
        return em().createQuery("select v from ObjectVersionEntity v order by v.catalogVersion desc, v.id desc",
                        ObjectVersionEntity.class)
                .setFirstResult(offset)
                .setMaxResults(limit)
                .getResultStream()
                .map(v -> new CatalogChange(key(v.kind, v.name), v.version, v.catalogVersion, v.changeType,
                        v.changedAt, v.changedBy))
                .toList();
    }

    /** Every live object, decoded, with the catalog version they belong to. */
    @Transactional
    public CatalogSnapshot snapshot() {
        EntityManager em = em();
        long version = head(em).catalogVersion;
        Map<ObjectKey, CatalogObject> objects = new HashMap<>();
        Map<ObjectKey, StoredObject> stored = new HashMap<>();
        storedByKey(em).forEach((key, entity) -> {
            objects.put(key, decode(entity));
            stored.put(key, toStored(entity));
        });
        return new CatalogSnapshot(version, new Catalog(objects), stored);
    }

    private static CatalogHeadEntity head(EntityManager em) {
        CatalogHeadEntity head = em.find(CatalogHeadEntity.class, CatalogHeadEntity.ID);
        if (head == null) {
            throw new IllegalStateException("the catalog database has no head row; its migrations did not run");
        }
        return head;
    }

    private static Map<ObjectKey, StoredObjectEntity> storedByKey(EntityManager em) {
        Map<ObjectKey, StoredObjectEntity> byKey = new TreeMap<>();
        for (StoredObjectEntity entity : em.createQuery("select o from StoredObjectEntity o",
                StoredObjectEntity.class).getResultList()) {
            byKey.put(key(entity.kind, entity.name), entity);
        }
        return byKey;
    }

    private static int lastVersion(EntityManager em, ObjectKey key) {
        Integer last = em.createQuery("select max(v.version) from ObjectVersionEntity v"
                        + " where v.kind = :kind and v.name = :name", Integer.class)
                .setParameter("kind", key.kind().id())
                .setParameter("name", key.name())
                .getSingleResult();
        return last == null ? 0 : last;
    }

    private static ObjectKey key(String kind, String name) {
        Kind parsed = Kind.fromId(kind).orElseThrow(() -> new IllegalStateException(
                "the catalog database holds an object of unknown kind '" + kind + "' (" + name + ")"));
        return new ObjectKey(parsed, name);
    }

    private static CatalogObject decode(StoredObjectEntity entity) {
        ObjectKey key = key(entity.kind, entity.name);
        try {
            return CatalogCodec.fromJson(key.kind(), entity.spec);
        } catch (RuntimeException e) {
            throw new IllegalStateException("the stored definition of " + key + " (version " + entity.version
                    + ") cannot be read: " + e.getMessage(), e);
        }
    }

    private static StoredObject toStored(StoredObjectEntity entity) {
        return new StoredObject(key(entity.kind, entity.name), entity.version, entity.spec, entity.createdAt,
                entity.updatedAt);
    }

    private static ObjectVersionEntity history(ObjectKey key, int version, long catalogVersion, ChangeType type,
                                               String spec, Instant at, String by) {
        ObjectVersionEntity entry = new ObjectVersionEntity();
        entry.kind = key.kind().id();
        entry.name = key.name();
        entry.version = version;
        entry.catalogVersion = catalogVersion;
        entry.changeType = type;
        entry.spec = spec;
        entry.changedAt = at;
        entry.changedBy = by;
        return entry;
    }
}
