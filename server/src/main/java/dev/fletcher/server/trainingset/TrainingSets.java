package dev.fletcher.server.trainingset;

import static dev.fletcher.server.problem.RequestException.invalid;
import static dev.fletcher.server.problem.Subject.TRAINING_SET;

import dev.fletcher.catalog.model.Catalog;
import dev.fletcher.catalog.model.FeatureRef;
import dev.fletcher.engine.plan.EntityInput;
import dev.fletcher.engine.plan.PlanException;
import dev.fletcher.engine.plan.ResolvedTrainingSet;
import dev.fletcher.engine.plan.TrainingSetRequest;
import dev.fletcher.server.catalog.CatalogService;
import dev.fletcher.server.warehouse.WarehouseCall;
import dev.fletcher.server.warehouse.Warehouses;
import dev.fletcher.engine.sql.TrainingSetQuery;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.ipc.ArrowStreamReader;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * Training sets for Flight and REST: checks a request against the catalog and the warehouse, registers uploaded
 * entity rows in a warehouse session of their own, and hands back a {@link PreparedTrainingSet} that streams.
 * Every user error is a {@link dev.fletcher.server.problem.RequestException}.
 */
@ApplicationScoped
public class TrainingSets {
    private static final AtomicLong CALLS = new AtomicLong();

    private final CatalogService catalog;
    private final Warehouses warehouses;
    private final TrainingSetConfig config;

    @Inject
    public TrainingSets(CatalogService catalog, Warehouses warehouses, TrainingSetConfig config) {
        this.catalog = catalog;
        this.warehouses = warehouses;
        this.config = config;
    }

    /** Entity rows from {@code entity_sql} or a time range: they never leave the warehouse. */
    public PreparedTrainingSet prepare(TrainingSetSpec spec) {
        EntityInput input = spec.warehouseInput();
        return prepare(null, spec.request(input), null, input instanceof EntityInput.Query);
    }

    /**
     * A training set the server itself asks for (materialization, the consistency check), on a given catalog, with
     * entity rows from the warehouse ({@link EntityInput.Query}, {@link EntityInput.TimeRange} or
     * {@link EntityInput.Snapshot}): the same path as every user request.
     */
    public PreparedTrainingSet prepare(Catalog catalog, TrainingSetRequest request) {
        if (request.entities() instanceof EntityInput.Table) {
            throw new IllegalArgumentException("uploaded entity rows go through prepareRows");
        }
        return prepare(catalog, request, null, false);
    }

    /** As {@link #prepare(Catalog, TrainingSetRequest)}, with entity rows the caller builds in the call's memory. */
    public PreparedTrainingSet prepareRows(Catalog catalog, List<FeatureRef> features, String timestampColumn,
            Function<BufferAllocator, ArrowReader> rows) {
        long call = CALLS.incrementAndGet();
        String table = "fl_entities_" + call + "_" + Long.toHexString(System.nanoTime() & 0xffffffL);
        return prepare(catalog, new TrainingSetRequest(features, new EntityInput.Table(table), timestampColumn, false),
                rows, false);
    }

    /** Entity rows sent as REST JSON columns ({@code spec.entities()}). */
    public PreparedTrainingSet prepareJson(TrainingSetSpec spec) {
        String timestamp = spec.request(new EntityInput.Table("entities")).timestampColumn();
        Schema schema = JsonEntities.schema(spec.entities(), timestamp, config.maxJsonRows());
        return prepareRows(spec, allocator -> new RowsReader(allocator, schema,
                JsonEntities.rows(spec.entities(), schema, allocator)));
    }

    /**
     * Checks uploaded rows of this schema against the request before any row is read, so a wrong upload is refused
     * at once.
     */
    public void check(TrainingSetSpec spec, Schema schema) {
        prepareRows(spec, allocator -> new RowsReader(allocator, schema, null)).close();
    }

    /** Uploaded rows spooled by {@link Uploads}; the spool file is no longer needed once this returns. */
    public PreparedTrainingSet prepareUpload(Uploads.Upload upload) {
        return prepareRows(upload.spec(), allocator -> {
            try {
                return new ArrowStreamReader(FileChannel.open(upload.file(), StandardOpenOption.READ), allocator);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the spooled upload " + upload.file() + ": "
                        + e.getMessage(), e);
            }
        });
    }

    private PreparedTrainingSet prepareRows(TrainingSetSpec spec, Function<BufferAllocator, ArrowReader> rows) {
        long call = CALLS.incrementAndGet();
        String table = "fl_entities_" + call + "_" + Long.toHexString(System.nanoTime() & 0xffffffL);
        return prepare(null, spec.request(new EntityInput.Table(table)), rows, false);
    }

    private PreparedTrainingSet prepare(Catalog given, TrainingSetRequest request,
            Function<BufferAllocator, ArrowReader> rows, boolean userQuery) {
        ResolvedTrainingSet resolved;
        try {
            resolved = TrainingSetQuery.resolve(given != null ? given : catalog.catalog(), request);
        } catch (PlanException e) {
            throw invalid(TRAINING_SET, e.getMessage());
        }
        String table = request.entities() instanceof EntityInput.Table t ? t.name() : null;
        // a warehouse failure is the user's to fix when their own entity_sql ran in it
        WarehouseCall call = warehouses.call(resolved.warehouse(), "training-set", TRAINING_SET,
                userQuery ? "entity_sql" : null);
        return call.handOver(c -> {
            if (rows != null) {
                c.session().registerTable(table, rows.apply(c.allocator()));
            }
            return new PreparedTrainingSet(c, TrainingSetQuery.prepare(resolved, c.dialect(), c.session(),
                    c.allocator()), table);
        });
    }
}
