package dev.fletcher.engine.sql;

import dev.fletcher.catalog.model.Catalog;
import dev.fletcher.catalog.model.Source;
import dev.fletcher.engine.plan.Column;
import dev.fletcher.engine.plan.EntityInput;
import dev.fletcher.engine.plan.MetricPlan;
import dev.fletcher.engine.plan.MetricPlanner;
import dev.fletcher.engine.plan.PlanException;
import dev.fletcher.engine.plan.ResolvedTrainingSet;
import dev.fletcher.spi.PluginException;
import dev.fletcher.spi.warehouse.Dialect;
import dev.fletcher.spi.warehouse.Statement;
import dev.fletcher.spi.warehouse.StatementTimeoutException;
import dev.fletcher.spi.warehouse.WarehouseSession;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.BufferAllocator;

/**
 * The one pass that asks the warehouse: the columns of the relations a query reads, each source described once.
 * Everything after it renders from what it answers, so rendering never needs a session.
 */
final class Describer {
    private final Dialect dialect;
    private final WarehouseSession session;
    private final BufferAllocator allocator;
    private final Map<String, List<Column>> sources = new LinkedHashMap<>();

    Describer(Dialect dialect, WarehouseSession session, BufferAllocator allocator) {
        this.dialect = dialect;
        this.session = session;
        this.allocator = allocator;
    }

    /** A source's columns, as {@code SELECT *} over it reports them. */
    List<Column> source(Source source) {
        List<Column> known = sources.get(source.name());
        if (known == null) {
            known = columns(Statement.of("SELECT * FROM " + Sql.relation(dialect, source) + " AS s"));
            sources.put(source.name(), known);
        }
        return known;
    }

    private List<Column> columns(Statement statement) {
        return ArrowColumns.of(session.describe(statement, allocator));
    }

    /**
     * The entity rows and every source a training set reads.
     *
     * @param entityRows the statement yielding the entity rows
     * @throws PlanException for {@code entity_sql} the warehouse rejects, or entity rows never registered
     */
    TrainingSetColumns trainingSet(ResolvedTrainingSet resolved, Statement entityRows) {
        EntityInput input = resolved.request().entities();
        List<Column> entityColumns;
        try {
            entityColumns = columns(entityRows);
        } catch (StatementTimeoutException e) {
            throw e;
        } catch (PluginException e) {
            if (input instanceof EntityInput.Query) {
                throw planError("entity_sql failed in the warehouse: " + e.getMessage(), e);
            }
            if (input instanceof EntityInput.Table table && !session.tableExists(table.name())) {
                throw planError("no entity rows were registered under '" + table.name() + "'", e);
            }
            throw e;
        }
        resolved.sources().forEach(this::source);
        return new TrainingSetColumns(entityColumns, sources);
    }

    private static PlanException planError(String message, Exception cause) {
        PlanException error = new PlanException(message);
        error.initCause(cause);
        return error;
    }

    /**
     * Every source a metrics query reads (metric sources, conversion targets, sources of point-in-time dimensions)
     * and the rows it reads from each metric source, with their measure expressions and dimensions.
     */
    MetricColumns metricQuery(Catalog catalog, MetricPlan plan) {
        Map<String, Long> reach = SourceRows.reach(plan);
        Map<String, List<Column>> rows = new LinkedHashMap<>();
        plan.outputs().forEach(output -> metric(catalog, plan, output, reach, rows));
        return new MetricColumns(sources, rows);
    }

    /** Describes what one metric reads, the way the renderer of its type reads it. */
    private void metric(Catalog catalog, MetricPlan plan, MetricPlan.Node node, Map<String, Long> reach,
            Map<String, List<Column>> rows) {
        if (node instanceof MetricPlan.Simple simple) {
            rows(catalog, plan, simple.source(), reach, rows);
        } else if (node instanceof MetricPlan.Conversion conversion) {
            rows(catalog, plan, conversion.base().source(), reach, rows);
            source(conversion.conversion().source());
        } else {
            MetricPlanner.parts(node).forEach(part -> metric(catalog, plan, part, reach, rows));
        }
    }

    private void rows(Catalog catalog, MetricPlan plan, Source source, Map<String, Long> reach,
            Map<String, List<Column>> rows) {
        if (rows.containsKey(source.name())) {
            return;
        }
        SourceRows.Read read = SourceRows.read(catalog, plan, dialect, source, reach.getOrDefault(source.name(), 0L),
                this::source);
        try {
            rows.put(source.name(), columns(read.statement()));
        } catch (StatementTimeoutException e) {
            throw e;
        } catch (PluginException e) {
            throw new PluginException("the rows of source '" + source.name() + "' with the measures of its metrics"
                    + " cannot be read: " + e.getMessage(), e);
        }
    }
}
