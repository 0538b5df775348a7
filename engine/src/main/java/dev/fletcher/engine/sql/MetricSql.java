package dev.fletcher.engine.sql;

import dev.fletcher.catalog.model.Catalog;
import dev.fletcher.engine.plan.MetricPlan;
import dev.fletcher.engine.plan.PlanException;
import dev.fletcher.spi.PluginException;
import dev.fletcher.spi.warehouse.Dialect;
import dev.fletcher.spi.warehouse.Statement;
import dev.fletcher.spi.warehouse.WarehouseSession;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.ipc.ArrowReader;

/**
 * A {@link MetricPlan} as one statement on the engine's primitives, the entry point for REST, Flight SQL and the
 * benchmarks.
 *
 * <pre>{@code
 * MetricPlan plan = MetricPlanner.resolve(catalog, query);             // which warehouse: plan.warehouse()
 * MetricSql sql = MetricSql.prepare(catalog, plan, dialect, session, allocator);
 * try (ArrowReader rows = sql.run(session, allocator)) { ... }          // sql.columns() names them
 * }</pre>
 *
 * Preparing is two passes: {@link #describe} asks the warehouse for the columns of every source and of the rows the
 * query reads from each (no rows are read), then {@link #render} writes the statement from the plan and those
 * columns alone, with no warehouse at hand.
 *
 * <ul>
 *   <li>Each source is read once, over the event times the query needs ({@link SourceRows}), and {@code where}
 *       items filter the rows ({@link WhereSql}).</li>
 *   <li>Each metric type has its renderer: {@link SimpleMetricSql}, {@link RatioMetricSql},
 *       {@link DerivedMetricSql}, {@link CumulativeMetricSql}, {@link ConversionMetricSql}.</li>
 *   <li>{@link MetricAssembly} joins the metrics on their group keys, fills empty buckets, sorts and limits.</li>
 * </ul>
 */
public final class MetricSql {
    private final Statement statement;
    private final List<String> columns;

    private MetricSql(Statement statement, List<String> columns) {
        this.statement = statement;
        this.columns = columns;
    }

    /**
     * {@link #describe} and {@link #render}.
     *
     * @throws PlanException for missing or mistyped columns and where values of the wrong type
     * @throws dev.fletcher.spi.NotSupportedException when a metric needs what the warehouse lacks
     * @throws PluginException when the warehouse fails otherwise
     */
    public static MetricSql prepare(Catalog catalog, MetricPlan plan, Dialect dialect, WarehouseSession session,
            BufferAllocator allocator) {
        return render(catalog, plan, dialect, describe(catalog, plan, dialect, session, allocator));
    }

    /**
     * Asks the warehouse for the columns the rendering needs; no rows are read.
     *
     * @param allocator pays for the descriptions only; nothing stays allocated
     * @throws PlanException for missing or mistyped source columns
     * @throws PluginException when the warehouse cannot describe a source or the rows read from it
     */
    public static MetricColumns describe(Catalog catalog, MetricPlan plan, Dialect dialect, WarehouseSession session,
            BufferAllocator allocator) {
        return new Describer(dialect, session, allocator).metricQuery(catalog, plan);
    }

    /**
     * Renders the statement from the plan and the described columns alone.
     *
     * @throws PlanException for missing or mistyped columns and where values of the wrong type
     * @throws dev.fletcher.spi.NotSupportedException when a metric needs what the warehouse lacks
     */
    public static MetricSql render(Catalog catalog, MetricPlan plan, Dialect dialect, MetricColumns described) {
        Statement statement = MetricAssembly.statement(new MetricRender(catalog, plan, dialect, described));
        List<String> columns = new ArrayList<>();
        plan.dimensions().forEach(dimension -> columns.add(dimension.name()));
        plan.outputs().forEach(output -> columns.add(output.name()));
        return new MetricSql(statement, List.copyOf(columns));
    }

    public Statement statement() {
        return statement;
    }

    /** The answer's columns: the group_by items in order, then the metrics in request order. */
    public List<String> columns() {
        return columns;
    }

    /** Runs the statement; the reader streams record batches and its vectors come from {@code allocator}. */
    public ArrowReader run(WarehouseSession session, BufferAllocator allocator) {
        return session.query(statement, allocator);
    }
}
