package dev.fletcher.server.metrics;

import dev.fletcher.engine.plan.MetricPlan;
import dev.fletcher.engine.sql.MetricSql;
import dev.fletcher.spi.warehouse.WarehouseSession;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * A checked metrics query with the warehouse session and memory it runs in. Close the reader {@link #run()} gave
 * first, then this: it ends the session and frees the call's memory.
 */
public final class PreparedMetricQuery implements AutoCloseable {
    private final BufferAllocator allocator;
    private final WarehouseSession session;
    private final MetricSql sql;
    private final MetricPlan plan;

    PreparedMetricQuery(BufferAllocator allocator, WarehouseSession session, MetricSql sql, MetricPlan plan) {
        this.allocator = allocator;
        this.session = session;
        this.sql = sql;
        this.plan = plan;
    }

    public List<String> columns() {
        return sql.columns();
    }

    public MetricPlan plan() {
        return plan;
    }

    /** The SQL that runs (with {@code ?} where the request's values are bound). */
    public String sqlText() {
        return sql.statement().sql();
    }

    public Schema schema() {
        try {
            return session.describe(sql.statement(), allocator);
        } catch (RuntimeException e) {
            throw MetricQueries.translate(e);
        }
    }

    /** Runs the query; the reader streams batch by batch and its vectors belong to this call's allocator. */
    public ArrowReader run() {
        try {
            return sql.run(session, allocator);
        } catch (RuntimeException e) {
            throw MetricQueries.translate(e);
        }
    }

    @Override
    public void close() {
        try {
            session.close();
        } finally {
            allocator.close();
        }
    }
}
