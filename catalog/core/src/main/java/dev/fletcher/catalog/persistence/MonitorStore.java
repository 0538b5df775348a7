package dev.fletcher.catalog.persistence;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Kept monitor evaluations, in the catalog database: one per monitor and evaluated time, the latest run winning. */
@ApplicationScoped
public class MonitorStore {
    private final CatalogEntityManager entityManager;

    /** For the container's client proxy only. */
    protected MonitorStore() {
        this.entityManager = null;
    }

    @Inject
    public MonitorStore(CatalogEntityManager entityManager) {
        this.entityManager = entityManager;
    }

    private EntityManager em() {
        return entityManager.get();
    }

    /**
     * Keeps the evaluation and answers the state it changes from: the evaluation it replaces at the same time, else
     * the one before it in time, if any.
     */
    @Transactional
    public Optional<MonitorEvaluation> record(MonitorEvaluation evaluation) {
        EntityManager em = em();
        Optional<MonitorEvaluation> previous = em.createQuery("select e from MonitorEvaluationEntity e"
                        + " where e.monitor = :monitor and e.evaluatedAt < :at order by e.evaluatedAt desc",
                        MonitorEvaluationEntity.class)
                .setParameter("monitor", evaluation.monitor())
                .setParameter("at", evaluation.at())
                .setMaxResults(1)
                .getResultStream().findFirst().map(MonitorStore::toRecord);
        Optional<MonitorEvaluationEntity> existing = em.createQuery("select e from MonitorEvaluationEntity e"
                        + " where e.monitor = :monitor and e.evaluatedAt = :at", MonitorEvaluationEntity.class)
                .setParameter("monitor", evaluation.monitor())
                .setParameter("at", evaluation.at())
                .getResultStream().findFirst();
        if (existing.isPresent()) {
            previous = existing.map(MonitorStore::toRecord);
        }
        MonitorEvaluationEntity entity = existing.orElseGet(MonitorEvaluationEntity::new);
        entity.monitor = evaluation.monitor();
        entity.evaluatedAt = evaluation.at();
        entity.value = evaluation.value();
        entity.state = evaluation.state();
        entity.detail = evaluation.detail();
        entity.ranAt = evaluation.ranAt();
        if (entity.id == null) {
            em.persist(entity);
        }
        em.flush();
        return previous;
    }

    /** The newest evaluations first, at most {@code limit}. */
    @Transactional
    public List<MonitorEvaluation> recent(String monitor, int limit) {
        return em().createQuery("select e from MonitorEvaluationEntity e where e.monitor = :monitor"
                        + " order by e.evaluatedAt desc", MonitorEvaluationEntity.class)
                .setParameter("monitor", monitor)
                .setMaxResults(limit)
                .getResultStream().map(MonitorStore::toRecord).toList();
    }

    /** The latest evaluated time of the monitor, if it was ever evaluated. */
    @Transactional
    public Optional<Instant> latest(String monitor) {
        return recent(monitor, 1).stream().findFirst().map(MonitorEvaluation::at);
    }

    private static MonitorEvaluation toRecord(MonitorEvaluationEntity e) {
        return new MonitorEvaluation(e.monitor, e.evaluatedAt, e.value, e.state, e.detail, e.ranAt);
    }
}
