package dev.fletcher.server.metrics;

import static dev.fletcher.server.problem.RequestException.invalid;
import static dev.fletcher.server.problem.Subject.METRICS_QUERY;

import dev.fletcher.catalog.model.Catalog;
import dev.fletcher.engine.plan.MetricPlan;
import dev.fletcher.engine.plan.MetricPlanner;
import dev.fletcher.engine.plan.MetricQuery;
import dev.fletcher.engine.plan.PlanException;
import dev.fletcher.server.catalog.CatalogService;
import dev.fletcher.server.problem.RequestException;
import dev.fletcher.server.warehouse.Warehouses;
import dev.fletcher.engine.sql.MetricSql;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Metrics queries for REST, Flight SQL and monitors: checks a query against the catalog and the warehouse and hands
 * back a {@link PreparedMetricQuery} that streams. Every user error is a {@link RequestException}.
 */
@ApplicationScoped
public class MetricQueries {
    static final long PLAN_TTL_NANOS = 60_000_000_000L;

    private final CatalogService catalog;
    private final Warehouses warehouses;
    /**
     * Plans and statements of recent queries: a repeated query (a dashboard's, a monitor's) skips planning and the
     * warehouse round trips that describe its sources. Entries expire after {@link #PLAN_TTL_NANOS}, so a source
     * table changed in the warehouse is described again within that time, and with the catalog version.
     */
    private final PlanCache plans = new PlanCache();

    @Inject
    public MetricQueries(CatalogService catalog, Warehouses warehouses) {
        this.catalog = catalog;
        this.warehouses = warehouses;
    }

    /** The catalog's version, which changes with every apply that changes it. */
    public long catalogVersion() {
        return catalog.catalogVersion();
    }

    /** The catalog as it is now. */
    public Catalog catalog() {
        return catalog.catalog();
    }

    public PreparedMetricQuery prepare(MetricQuery query) {
        return prepare(catalog(), query);
    }

    public PreparedMetricQuery prepare(Catalog current, MetricQuery query) {
        PlanKey key = new PlanKey(current, query);
        Prepared cached = plans.get(key);
        MetricPlan plan;
        if (cached != null) {
            plan = cached.plan;
        } else {
            try {
                plan = MetricPlanner.resolve(current, query);
            } catch (PlanException e) {
                throw invalid(METRICS_QUERY, e.getMessage());
            }
        }
        MetricPlan resolved = plan;
        return warehouses.call(plan.warehouse(), "metrics-query", METRICS_QUERY).handOver(call -> {
            if (cached != null) {
                return new PreparedMetricQuery(call, cached.sql, resolved);
            }
            MetricSql sql = MetricSql.prepare(current, resolved, call.dialect(), call.session(), call.allocator());
            plans.put(key, new Prepared(resolved, sql, System.nanoTime()));
            return new PreparedMetricQuery(call, sql, resolved);
        });
    }

    /**
     * A query's plan and statement, kept for the catalog it was planned against (compared by identity: the catalog
     * snapshot is one object per version) and the query's every field, values included.
     */
    private record PlanKey(Catalog catalog, MetricQuery query) {
        @Override
        public boolean equals(Object other) {
            return other instanceof PlanKey k && k.catalog == catalog && k.query.equals(query);
        }

        @Override
        public int hashCode() {
            return 31 * System.identityHashCode(catalog) + query.hashCode();
        }
    }

    private record Prepared(MetricPlan plan, MetricSql sql, long preparedAt) {
    }


    private static final class PlanCache {
        private static final int SIZE = 256;
        private final Map<PlanKey, Prepared> entries = new LinkedHashMap<>(SIZE, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<PlanKey, Prepared> eldest) {
                return size() > SIZE;
            }
        };

        synchronized Prepared get(PlanKey key) {
            Prepared found = entries.get(key);
            if (found != null && System.nanoTime() - found.preparedAt > PLAN_TTL_NANOS) {
                entries.remove(key);
                return null;
            }
            return found;
        }

        synchronized void put(PlanKey key, Prepared prepared) {
            entries.put(key, prepared);
        }
    }
}
