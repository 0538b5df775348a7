package dev.fletcher.engine.sql;

import dev.fletcher.catalog.model.Catalog;
import dev.fletcher.catalog.model.Source;
import dev.fletcher.engine.plan.Column;
import dev.fletcher.engine.plan.EntityInput;
import dev.fletcher.engine.plan.PlanException;
import dev.fletcher.engine.plan.ResolvedTrainingSet;
import dev.fletcher.engine.plan.TrainingSetPlan;
import dev.fletcher.engine.plan.TrainingSetPlanner;
import dev.fletcher.engine.plan.TrainingSetRequest;
import dev.fletcher.spi.PluginException;
import dev.fletcher.spi.warehouse.Dialect;
import dev.fletcher.spi.warehouse.Statement;
import dev.fletcher.spi.warehouse.WarehouseSession;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.ipc.ArrowReader;

/**
 * A training set ready to run: the engine's entry point for Flight, REST and the SDK.
 *
 * <pre>{@code
 * ResolvedTrainingSet resolved = TrainingSetQuery.resolve(catalog, request);   // which warehouse: resolved.warehouse()
 * try (WarehouseSession session = warehouse.openSession()) {
 *     session.registerTable("entities", uploadedRows);                          // for EntityInput.Table("entities")
 *     TrainingSetQuery query = TrainingSetQuery.prepare(resolved, warehouse.dialect(), session, allocator);
 *     try (ArrowReader rows = query.run(session, allocator)) { ... }             // query.columns() names them
 * }
 * }</pre>
 *
 * Preparing describes the entity rows and each source in the warehouse (no rows are read) to check the request
 * and choose column handling; the statement itself reads only what it needs.
 */
public final class TrainingSetQuery {
    private final TrainingSetPlan plan;
    private final Statement statement;

    private TrainingSetQuery(TrainingSetPlan plan, Statement statement) {
        this.plan = plan;
        this.statement = statement;
    }

    /**
     * Checks the request against the catalog.
     *
     * @throws PlanException for an unknown view or feature, a feature requested twice, views in different warehouses
     */
    public static ResolvedTrainingSet resolve(Catalog catalog, TrainingSetRequest request) {
        return TrainingSetPlanner.resolve(catalog, request);
    }

    /** {@link #resolve} and {@link #prepare(ResolvedTrainingSet, Dialect, WarehouseSession, BufferAllocator)}. */
    public static TrainingSetQuery prepare(Catalog catalog, TrainingSetRequest request, Dialect dialect,
            WarehouseSession session, BufferAllocator allocator) {
        return prepare(resolve(catalog, request), dialect, session, allocator);
    }

    /**
     * Describes the entity rows and sources in the session and renders the statement.
     *
     * @param session   a session of the warehouse {@link ResolvedTrainingSet#warehouse()} names, holding any
     *                  registered entity table
     * @param allocator pays for the descriptions only; nothing stays allocated
     * @throws PlanException for missing or mistyped columns, clashing output names, or {@code entity_sql} the
     *                       warehouse rejects (with the warehouse's message)
     * @throws dev.fletcher.spi.NotSupportedException when a feature needs what the warehouse lacks
     * @throws PluginException when the warehouse fails otherwise
     */
    public static TrainingSetQuery prepare(ResolvedTrainingSet resolved, Dialect dialect, WarehouseSession session,
            BufferAllocator allocator) {
        EntityInput input = resolved.request().entities();
        Statement entityRows;
        try {
            entityRows = TrainingSetSql.entityRows(resolved, dialect);
        } catch (IllegalArgumentException e) {
            throw new PlanException("the entity table name is not valid: " + e.getMessage());
        }
        List<Column> entityColumns;
        try {
            entityColumns = ArrowColumns.of(session.describe(entityRows, allocator));
        } catch (PluginException e) {
            if (input instanceof EntityInput.Query) {
                throw planError("entity_sql failed in the warehouse: " + e.getMessage(), e);
            }
            if (input instanceof EntityInput.Table table && !session.tableExists(table.name())) {
                throw planError("no entity rows were registered under '" + table.name() + "'", e);
            }
            throw e;
        }
        Map<String, List<Column>> sourceColumns = new LinkedHashMap<>();
        for (Source source : resolved.sources()) {
            sourceColumns.put(source.name(), ArrowColumns.of(session.describe(
                    Statement.of("SELECT * FROM " + Sql.relation(dialect, source) + " AS s"), allocator)));
        }
        TrainingSetPlan plan = TrainingSetPlanner.plan(resolved, entityColumns, sourceColumns);
        return new TrainingSetQuery(plan, TrainingSetSql.render(plan, entityRows, dialect));
    }

    private static PlanException planError(String message, Exception cause) {
        PlanException error = new PlanException(message);
        error.initCause(cause);
        return error;
    }

    /** Runs the statement; the reader streams record batches and its vectors come from {@code allocator}. */
    public ArrowReader run(WarehouseSession session, BufferAllocator allocator) {
        return session.query(statement, allocator);
    }

    public Statement statement() {
        return statement;
    }

    public TrainingSetPlan plan() {
        return plan;
    }

    /** The result's column names in order: every entity-row column as sent, then {@code <view>__<feature>}. */
    public List<String> columns() {
        return plan.outputColumns();
    }
}
