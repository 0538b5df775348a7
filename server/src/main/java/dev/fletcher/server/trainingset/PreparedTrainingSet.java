package dev.fletcher.server.trainingset;

import dev.fletcher.engine.plan.TrainingSetPlan;
import dev.fletcher.engine.sql.TrainingSetQuery;
import dev.fletcher.server.http.RowLimit;
import dev.fletcher.server.problem.Subject;
import dev.fletcher.server.warehouse.WarehouseCall;
import java.util.List;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.types.pojo.Schema;
import org.jboss.logging.Logger;

/**
 * A checked training set with the warehouse call it runs in. Close the reader {@link #run()} gave first, then this:
 * it drops any uploaded entity table and ends the call.
 */
public final class PreparedTrainingSet implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(PreparedTrainingSet.class);

    private final WarehouseCall call;
    private final TrainingSetQuery query;
    private final String entityTable;

    PreparedTrainingSet(WarehouseCall call, TrainingSetQuery query, String entityTable) {
        this.call = call;
        this.query = query;
        this.entityTable = entityTable;
    }

    /** The result's column names: the entity rows' columns as sent, then {@code <view>__<feature>}. */
    public List<String> columns() {
        return query.columns();
    }

    /** The engine's plan of this training set: its measures, windows and the source columns they read. */
    public TrainingSetPlan plan() {
        return query.plan();
    }

    /** The result's schema, without running the query. */
    public Schema schema() {
        return call.run(c -> c.session().describe(query.statement(), c.allocator()));
    }

    /** Runs the query; the reader streams batch by batch and its vectors belong to the call's memory. */
    public ArrowReader run() {
        return call.run(c -> query.run(c.session(), c.allocator()));
    }

    /**
     * Runs the query and reads it ahead for a REST answer: more than {@code maxRows} rows, or a failure while reading,
     * is refused before the answer starts.
     */
    public ArrowReader runForRest(long maxRows) {
        return call.run(c -> RowLimit.check(query.run(c.session(), c.allocator()), maxRows, Subject.TRAINING_SET));
    }

    @Override
    public void close() {
        try {
            if (entityTable != null) {
                call.session().dropTable(entityTable);
            }
        } catch (RuntimeException e) {
            LOG.debugf("Dropping entity table %s failed (the session's end drops it): %s", entityTable, e.getMessage());
        } finally {
            call.close();
        }
    }
}
