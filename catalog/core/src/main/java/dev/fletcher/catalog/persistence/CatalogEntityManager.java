package dev.fletcher.catalog.persistence;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

/** The catalog database's {@code EntityManager}, of whichever unit {@link CatalogUnit} names, for every store. */
@ApplicationScoped
public class CatalogEntityManager {
    private final Instance<EntityManager> entityManagers;
    private final CatalogUnit unit;
    private volatile EntityManager entityManager;

    /** For the container's client proxy only. */
    protected CatalogEntityManager() {
        this.entityManagers = null;
        this.unit = null;
    }

    @Inject
    public CatalogEntityManager(@Any Instance<EntityManager> entityManagers, CatalogUnit unit) {
        this.entityManagers = entityManagers;
        this.unit = unit;
    }

    public EntityManager get() {
        EntityManager em = entityManager;
        if (em == null) {
            // The unit's EntityManager is a proxy bound to the current transaction, so one lookup serves all calls.
            em = entityManagers.select(unit.qualifier()).get();
            entityManager = em;
        }
        return em;
    }
}
