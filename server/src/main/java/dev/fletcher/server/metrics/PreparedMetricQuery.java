package dev.fletcher.server.metrics;

import dev.fletcher.engine.plan.MetricPlan;
import dev.fletcher.engine.sql.MetricSql;
import dev.fletcher.server.http.RowLimit;
import dev.fletcher.server.problem.Subject;
import dev.fletcher.server.warehouse.WarehouseCall;
import java.util.List;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * A checked metrics query with the warehouse call it runs in. Close the reader {@link #run()} gave first, then this:
 * it ends the call.
 */
public final class PreparedMetricQuery implements AutoCloseable {
    private final WarehouseCall call;
    private final MetricSql sql;
    private final MetricPlan plan;

    PreparedMetricQuery(WarehouseCall call, MetricSql sql, MetricPlan plan) {
        this.call = call;
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
        return call.run(c -> c.session().describe(sql.statement(), c.allocator()));
    }

    /** Runs the query; the reader streams batch by batch and its vectors belong to the call's memory. */
    public ArrowReader run() {
        return call.run(c -> sql.run(c.session(), c.allocator()));
    }

    /**
     * Runs the query and reads it ahead for a REST answer: more than {@code maxRows} rows, or a failure while reading,
     * is refused before the answer starts.
     */
    public ArrowReader runForRest(long maxRows) {
        return call.run(c -> RowLimit.check(sql.run(c.session(), c.allocator()), maxRows, Subject.METRICS_QUERY));
    }

    @Override
    public void close() {
        call.close();
    }
}
