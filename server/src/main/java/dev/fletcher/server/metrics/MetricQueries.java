package dev.fletcher.server.metrics;

import dev.fletcher.catalog.model.Catalog;
import dev.fletcher.engine.plan.MetricPlan;
import dev.fletcher.engine.plan.MetricPlanner;
import dev.fletcher.engine.plan.MetricQuery;
import dev.fletcher.engine.plan.PlanException;
import dev.fletcher.server.arrow.ArrowMemory;
import dev.fletcher.server.catalog.CatalogService;
import dev.fletcher.server.warehouse.Warehouses;
import dev.fletcher.spi.NotSupportedException;
import dev.fletcher.spi.PluginException;
import dev.fletcher.engine.sql.MetricSql;
import dev.fletcher.spi.warehouse.Warehouse;
import dev.fletcher.spi.warehouse.WarehouseSession;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.arrow.memory.BufferAllocator;

/**
 * Metrics queries for REST, Flight SQL and monitors: checks a query against the catalog and the warehouse and hands
 * back a {@link PreparedMetricQuery} that streams. Every user error is a {@link MetricQueryException}.
 */
@ApplicationScoped
public class MetricQueries {
    private static final AtomicLong CALLS = new AtomicLong();

    private final CatalogService catalog;
    private final Warehouses warehouses;
    private final ArrowMemory memory;

    @Inject
    public MetricQueries(CatalogService catalog, Warehouses warehouses, ArrowMemory memory) {
        this.catalog = catalog;
        this.warehouses = warehouses;
        this.memory = memory;
    }

    /** The catalog's version, which changes with every apply that changes it. */
    public long catalogVersion() {
        return catalog.catalogVersion();
    }

    /** The catalog as it is now. */
    public Catalog catalog() {
        return new Catalog(catalog.snapshot());
    }

    public PreparedMetricQuery prepare(MetricQuery query) {
        return prepare(catalog(), query);
    }

    public PreparedMetricQuery prepare(Catalog current, MetricQuery query) {
        MetricPlan plan;
        Warehouse warehouse;
        try {
            plan = MetricPlanner.resolve(current, query);
            warehouse = warehouses.get(plan.warehouse());
        } catch (PlanException e) {
            throw MetricQueryException.invalid(e.getMessage());
        } catch (PluginException e) {
            throw new MetricQueryException(MetricQueryException.Reason.WAREHOUSE, e.getMessage(), e);
        }
        BufferAllocator allocator = memory.child("metrics-query " + CALLS.incrementAndGet());
        WarehouseSession session = null;
        try {
            session = warehouse.openSession();
            MetricSql sql = MetricSql.prepare(current, plan, warehouse.dialect(), session, allocator);
            return new PreparedMetricQuery(allocator, session, sql, plan);
        } catch (RuntimeException e) {
            if (session != null) {
                try {
                    session.close();
                } catch (RuntimeException ignored) {
                    // the failure that led here is the one to report
                }
            }
            allocator.close();
            throw translate(e);
        }
    }

    static RuntimeException translate(RuntimeException e) {
        if (e instanceof MetricQueryException) {
            return e;
        }
        if (e instanceof PlanException || e instanceof NotSupportedException) {
            return MetricQueryException.invalid(e.getMessage());
        }
        if (e instanceof PluginException) {
            return new MetricQueryException(MetricQueryException.Reason.WAREHOUSE, "the warehouse failed: "
                    + e.getMessage(), e);
        }
        return e;
    }
}
