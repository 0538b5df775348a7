package dev.fletcher.catalog.persistence;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceException;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** API keys in the catalog database: the live keys (hashed) and the history of their creation and revocation. */
@ApplicationScoped
public class ApiKeyStore {
    private final CatalogEntityManager entityManager;

    /** For the container's client proxy only. */
    protected ApiKeyStore() {
        this.entityManager = null;
    }

    @Inject
    public ApiKeyStore(CatalogEntityManager entityManager) {
        this.entityManager = entityManager;
    }

    private EntityManager em() {
        return entityManager.get();
    }

    /**
     * Stores a new key and records who created it.
     *
     * @throws NameTakenException when a live key already has the name (nothing is written)
     */
    @Transactional
    public StoredApiKey create(StoredApiKey key) {
        EntityManager em = em();
        if (findByName(em, key.name()).isPresent()) {
            throw new NameTakenException(key.name());
        }
        ApiKeyEntity entity = new ApiKeyEntity();
        entity.keyId = key.keyId();
        entity.name = key.name();
        entity.role = key.role();
        entity.secretHash = key.secretHash();
        entity.scope = key.scope().orElse(null);
        entity.createdAt = key.createdAt();
        entity.createdBy = key.createdBy();
        em.persist(entity);
        em.persist(event(entity, "created", key.createdAt(), key.createdBy()));
        try {
            em.flush();
        } catch (PersistenceException e) {
            // Another server created the same name (or, against all odds, the same id) at the same moment.
            throw new NameTakenException(key.name());
        }
        return toRecord(entity);
    }

    /** Every live key, oldest first. */
    @Transactional
    public List<StoredApiKey> list() {
        return em().createQuery("select k from ApiKeyEntity k order by k.createdAt, k.id", ApiKeyEntity.class)
                .getResultStream().map(ApiKeyStore::toRecord).toList();
    }

    /** Whether any live key exists. */
    @Transactional
    public boolean any() {
        return !em().createQuery("select k.id from ApiKeyEntity k", Long.class).setMaxResults(1).getResultList()
                .isEmpty();
    }

    @Transactional
    public Optional<StoredApiKey> byKeyId(String keyId) {
        return em().createQuery("select k from ApiKeyEntity k where k.keyId = :id", ApiKeyEntity.class)
                .setParameter("id", keyId).getResultStream().findFirst().map(ApiKeyStore::toRecord);
    }

    /** Revokes the live key with this name or key id; empty when there is none. */
    @Transactional
    public Optional<StoredApiKey> revoke(String nameOrKeyId, Instant at, String by) {
        EntityManager em = em();
        Optional<ApiKeyEntity> found = findByName(em, nameOrKeyId).or(() -> em.createQuery(
                        "select k from ApiKeyEntity k where k.keyId = :id", ApiKeyEntity.class)
                .setParameter("id", nameOrKeyId).getResultStream().findFirst());
        found.ifPresent(entity -> {
            em.remove(entity);
            em.persist(event(entity, "revoked", at, by));
            em.flush();
        });
        return found.map(ApiKeyStore::toRecord);
    }

    /** Creations and revocations, newest first. */
    @Transactional
    public List<ApiKeyEvent> events(int limit, int offset) {
        return em().createQuery("select e from ApiKeyEventEntity e order by e.actedAt desc, e.id desc",
                        ApiKeyEventEntity.class)
                .setFirstResult(offset).setMaxResults(limit).getResultStream()
                .map(e -> new ApiKeyEvent(e.keyId, e.name, e.role, e.action, e.actedAt, e.actedBy)).toList();
    }

    private static Optional<ApiKeyEntity> findByName(EntityManager em, String name) {
        return em.createQuery("select k from ApiKeyEntity k where k.name = :name", ApiKeyEntity.class)
                .setParameter("name", name).getResultStream().findFirst();
    }

    private static ApiKeyEventEntity event(ApiKeyEntity key, String action, Instant at, String by) {
        ApiKeyEventEntity event = new ApiKeyEventEntity();
        event.keyId = key.keyId;
        event.name = key.name;
        event.role = key.role;
        event.action = action;
        event.actedAt = at;
        event.actedBy = by;
        return event;
    }

    private static StoredApiKey toRecord(ApiKeyEntity e) {
        return new StoredApiKey(e.keyId, e.name, e.role, e.secretHash, Optional.ofNullable(e.scope), e.createdAt,
                e.createdBy);
    }

    /** A live key already has the name. */
    public static class NameTakenException extends RuntimeException {
        public NameTakenException(String name) {
            super("a key named '" + name + "' exists already; revoke it first or choose another name");
        }
    }
}
