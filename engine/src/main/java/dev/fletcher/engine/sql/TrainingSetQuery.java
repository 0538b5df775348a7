package dev.fletcher.engine.sql;

import dev.fletcher.catalog.model.Catalog;
import dev.fletcher.engine.plan.PlanException;
import dev.fletcher.engine.plan.ResolvedTrainingSet;
import dev.fletcher.engine.plan.TrainingSetPlan;
import dev.fletcher.engine.plan.TrainingSetPlanner;
import dev.fletcher.engine.plan.TrainingSetRequest;
import dev.fletcher.spi.PluginException;
import dev.fletcher.spi.warehouse.Dialect;
import dev.fletcher.spi.warehouse.Statement;
import dev.fletcher.spi.warehouse.WarehouseSession;
import java.util.List;
import java.util.UUID;
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
 * Preparing is two passes: {@link #describe} asks the warehouse for the columns of the entity rows and of each
 * source (no rows are read), then {@link #render} checks the request against them and writes the statement, with
 * no warehouse at hand. The statement itself reads only what it needs.
 */
public final class TrainingSetQuery {
    private final TrainingSetPlan plan;
    private final Statement statement;
    private final Dialect dialect;
    private final Statement numberedInput;

    private TrainingSetQuery(TrainingSetPlan plan, Statement statement, Dialect dialect, Statement numberedInput) {
        this.plan = plan;
        this.statement = statement;
        this.dialect = dialect;
        this.numberedInput = numberedInput;
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
     * {@link #describe} and {@link #render}.
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
        return render(resolved, dialect, describe(resolved, dialect, session, allocator));
    }

    /**
     * Asks the warehouse for the columns of the entity rows and of each source; no rows are read.
     *
     * @throws PlanException for an invalid entity table name, {@code entity_sql} the warehouse rejects or entity
     *                       rows never registered
     * @throws PluginException when the warehouse fails otherwise
     */
    public static TrainingSetColumns describe(ResolvedTrainingSet resolved, Dialect dialect, WarehouseSession session,
            BufferAllocator allocator) {
        return new Describer(dialect, session, allocator).trainingSet(resolved, entityRows(resolved, dialect));
    }

    /**
     * Checks the request against the described columns and renders the statement from them alone.
     *
     * @throws PlanException for missing or mistyped columns or clashing output names
     * @throws dev.fletcher.spi.NotSupportedException when a feature needs what the warehouse lacks
     */
    public static TrainingSetQuery render(ResolvedTrainingSet resolved, Dialect dialect, TrainingSetColumns described) {
        Statement entityRows = entityRows(resolved, dialect);
        TrainingSetPlan plan = TrainingSetPlanner.plan(resolved, described.entityRows(), described.sources());
        return new TrainingSetQuery(plan, TrainingSetSql.render(plan, entityRows, dialect), dialect,
                dialect.stagesEntityRows() ? TrainingSetSql.numberedInput(plan, entityRows, dialect) : null);
    }

    private static Statement entityRows(ResolvedTrainingSet resolved, Dialect dialect) {
        try {
            return TrainingSetSql.entityRows(resolved, dialect);
        } catch (IllegalArgumentException e) {
            throw new PlanException("the entity table name is not valid: " + e.getMessage());
        }
    }

    /**
     * Runs the query; the reader streams record batches and its vectors come from {@code allocator}. Where the
     * warehouse {@linkplain Dialect#stagesEntityRows() stages the entity rows}, it first writes them, numbered, to a
     * scratch table that closing the reader drops.
     */
    public ArrowReader run(WarehouseSession session, BufferAllocator allocator) {
        if (numberedInput == null) {
            return session.query(statement, allocator);
        }
        String table = dialect.scratchTable("_fl_input_" + UUID.randomUUID().toString().replace("-", ""));
        try {
            session.execute(new Statement(dialect.createTableAs(table, numberedInput.sql()),
                    numberedInput.parameters()));
            return new CleanupReader(allocator, session.query(TrainingSetSql.renderOverTable(plan, table, dialect), allocator),
                    () -> session.dropTable(table));
        } catch (RuntimeException e) {
            try {
                session.dropTable(table);
            } catch (RuntimeException dropFailed) {
                e.addSuppressed(dropFailed);
            }
            throw e;
        }
    }

    /**
     * The query as one statement. A warehouse that stages the entity rows runs it in two ({@link #run}), with the
     * same result.
     */
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
