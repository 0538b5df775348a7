package dev.fletcher.server.trainingset;

import dev.fletcher.spi.PluginException;
import dev.fletcher.engine.sql.TrainingSetQuery;
import dev.fletcher.spi.warehouse.WarehouseSession;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.types.pojo.Schema;
import org.jboss.logging.Logger;

/**
 * A checked training set with the warehouse session and memory it runs in. Close the reader {@link #run()} gave
 * first, then this: it drops any uploaded entity table, ends the session and frees the call's memory.
 */
public final class PreparedTrainingSet implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(PreparedTrainingSet.class);

    private final BufferAllocator allocator;
    private final WarehouseSession session;
    private final TrainingSetQuery query;
    private final String entityTable;
    private final boolean userQuery;

    PreparedTrainingSet(BufferAllocator allocator, WarehouseSession session, TrainingSetQuery query, String entityTable,
            boolean userQuery) {
        this.allocator = allocator;
        this.session = session;
        this.query = query;
        this.entityTable = entityTable;
        this.userQuery = userQuery;
    }

    /** The result's column names: the entity rows' columns as sent, then {@code <view>__<feature>}. */
    public List<String> columns() {
        return query.columns();
    }

    /** The engine's plan of this training set: its measures, windows and the source columns they read. */
    public dev.fletcher.engine.plan.TrainingSetPlan plan() {
        return query.plan();
    }

    /** The result's schema, without running the query. */
    public Schema schema() {
        try {
            return session.describe(query.statement(), allocator);
        } catch (PluginException e) {
            throw TrainingSets.warehouseFailure(e, userQuery);
        }
    }

    /** Runs the query; the reader streams batch by batch and its vectors belong to this call's allocator. */
    public ArrowReader run() {
        try {
            return query.run(session, allocator);
        } catch (PluginException e) {
            throw TrainingSets.warehouseFailure(e, userQuery);
        }
    }

    @Override
    public void close() {
        try {
            if (entityTable != null) {
                session.dropTable(entityTable);
            }
        } catch (RuntimeException e) {
            LOG.debugf("Dropping entity table %s failed (the session's end drops it): %s", entityTable, e.getMessage());
        } finally {
            try {
                session.close();
            } finally {
                allocator.close();
            }
        }
    }
}
