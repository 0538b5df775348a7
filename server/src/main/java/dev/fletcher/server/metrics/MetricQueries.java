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

/**
 * Metrics queries for REST, Flight SQL and monitors: checks a query against the catalog and the warehouse and hands
 * back a {@link PreparedMetricQuery} that streams. Every user error is a {@link RequestException}.
 */
@ApplicationScoped
public class MetricQueries {
    private final CatalogService catalog;
    private final Warehouses warehouses;

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
        MetricPlan plan;
        try {
            plan = MetricPlanner.resolve(current, query);
        } catch (PlanException e) {
            throw invalid(METRICS_QUERY, e.getMessage());
        }
        return warehouses.call(plan.warehouse(), "metrics-query", METRICS_QUERY).handOver(call ->
                new PreparedMetricQuery(call, MetricSql.prepare(current, plan, call.dialect(), call.session(),
                        call.allocator()), plan));
    }
}
