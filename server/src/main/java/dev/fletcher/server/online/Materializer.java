package dev.fletcher.server.online;

import static dev.fletcher.server.problem.Subject.ONLINE;

import dev.fletcher.catalog.model.Catalog;
import dev.fletcher.catalog.model.Entity;
import dev.fletcher.catalog.model.Feature;
import dev.fletcher.catalog.model.FeatureRef;
import dev.fletcher.catalog.model.FeatureView;
import dev.fletcher.catalog.model.Source;
import dev.fletcher.engine.plan.EntityInput;
import dev.fletcher.engine.plan.TrainingSetRequest;
import dev.fletcher.server.config.FletcherConfig;
import dev.fletcher.server.problem.Reason;
import dev.fletcher.server.problem.RequestException;
import dev.fletcher.server.trainingset.PreparedTrainingSet;
import dev.fletcher.server.trainingset.TrainingSets;
import dev.fletcher.server.warehouse.WarehouseCall;
import dev.fletcher.server.warehouse.Warehouses;
import dev.fletcher.spi.ArrowValues;
import dev.fletcher.spi.online.OnlineKeys;
import dev.fletcher.spi.online.OnlineStore;
import dev.fletcher.spi.online.OnlineView;
import dev.fletcher.spi.online.OnlineWriter;
import dev.fletcher.spi.online.Publication;
import dev.fletcher.engine.sql.ArrowColumns;
import dev.fletcher.engine.sql.WatermarkSql;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongConsumer;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.jboss.logging.Logger;

/**
 * Computes a view's online values as of a watermark with the training-set engine (anchors: every entity of the
 * source, at the watermark) and streams them batch by batch into a new layer of the online store, published when
 * complete. Incremental where it can be: the same definitions as the published state and a later watermark recompute
 * only the entities whose values can have changed (EntityInput.Snapshot with {@code since}), layered over the rest.
 */
@ApplicationScoped
public class Materializer {
    public static final String ANCHOR_COLUMN = "event_timestamp";
    private static final Logger LOG = Logger.getLogger(Materializer.class);

    private final TrainingSets trainingSets;
    private final Warehouses warehouses;
    private final OnlineStores stores;
    private final OnlineConfig config;
    private final Map<String, ReentrantLock> locks = new ConcurrentHashMap<>();

    private final boolean streams;

    @Inject
    public Materializer(TrainingSets trainingSets, Warehouses warehouses, OnlineStores stores, OnlineConfig config,
            FletcherConfig fletcher) {
        this.streams = fletcher.streams().enabled();
        this.trainingSets = trainingSets;
        this.warehouses = warehouses;
        this.stores = stores;
        this.config = config;
    }

    /** The computed (not derived) features of a view, in the view's order: what the store keeps. */
    public static List<Feature> stored(FeatureView view) {
        return view.features().stream().filter(f -> !(f instanceof Feature.Derived)).toList();
    }

    /**
     * Materializes one view; one run per view at a time (a second caller waits).
     *
     * @param end     the watermark; null for the newest event time in the source (not after now)
     * @param full    recompute every entity even when an incremental run would do
     * @param written told the count of each batch of rows written
     */
    public Job.ViewRun run(Catalog catalog, String viewName, Instant end, boolean full, LongConsumer written) {
        ReentrantLock lock = locks.computeIfAbsent(viewName, v -> new ReentrantLock());
        lock.lock();
        try {
            return runLocked(catalog, viewName, end, full, written);
        } finally {
            lock.unlock();
        }
    }

    private Job.ViewRun runLocked(Catalog catalog, String viewName, Instant end, boolean full, LongConsumer written) {
        long startedAt = System.nanoTime();
        FeatureView view = catalog.featureView(viewName).orElseThrow(() -> new RequestException(Reason.NOT_FOUND,
                ONLINE, "there is no feature view named '" + viewName + "' in the catalog"));
        Entity entity = catalog.entity(view.entity()).orElseThrow();
        Source source = catalog.source(view.source()).orElseThrow();
        if (streams && source.stream() != null) {
            throw new RequestException(Reason.CONFLICT, ONLINE, "feature view '" + viewName + "' is fed by the"
                    + " stream of source '" + source.name() + "': its online values follow the stream, not batch runs");
        }
        String fingerprint = Fingerprints.of(view, entity, source);
        Instant watermark = end != null ? end : newestEventTime(source);
        OnlineStore store = stores.get();
        OnlineView previous = store.view(viewName).orElse(null);
        boolean incremental = !full && previous != null && previous.fingerprint().equals(fingerprint)
                && !previous.asOf().isAfter(watermark) && previous.layers().size() < config.maxLayers();
        List<Feature> stored = stored(view);
        List<FeatureRef> refs = stored.stream().map(f -> new FeatureRef(viewName, f.name())).toList();
        TrainingSetRequest request = new TrainingSetRequest(refs,
                new EntityInput.Snapshot(watermark, incremental ? previous.asOf() : null), ANCHOR_COLUMN, false);
        List<String> keyKinds = new ArrayList<>();
        try (PreparedTrainingSet prepared = trainingSets.prepare(catalog, request);
                OnlineWriter writer = store.begin(viewName, !incremental)) {
            try (ArrowReader rows = prepared.run()) {
                VectorSchemaRoot batch = rows.getVectorSchemaRoot();
                List<FieldVector> keys = new ArrayList<>();
                for (String key : entity.keys()) {
                    FieldVector vector = batch.getVector(key);
                    keys.add(vector);
                    keyKinds.add(ArrowColumns.kind(vector.getField()).name());
                }
                List<FieldVector> values = new ArrayList<>();
                for (FeatureRef ref : refs) {
                    values.add(batch.getVector(ref.column()));
                }
                List<Object> parts = new ArrayList<>(keys.size());
                while (rows.loadNextBatch()) {
                    for (int row = 0; row < batch.getRowCount(); row++) {
                        parts.clear();
                        for (FieldVector key : keys) {
                            parts.add(ArrowValues.value(key, row));
                        }
                        String key = OnlineKeys.encode(parts);
                        if (key == null) {
                            continue;
                        }
                        Object[] cells = new Object[values.size()];
                        for (int i = 0; i < cells.length; i++) {
                            cells[i] = ArrowValues.value(values.get(i), row);
                        }
                        writer.put(key, cells);
                    }
                    written.accept(batch.getRowCount());
                }
            } catch (IOException e) {
                throw new UncheckedIOException("reading the warehouse's answer failed: " + e.getMessage(), e);
            }
            Publication publication = new Publication(watermark, stored.stream().map(Feature::name).toList(),
                    entity.keys(), keyKinds, fingerprint, view.ttl() == null ? null : view.ttl().seconds());
            OnlineView published = writer.publish(publication);
            double seconds = (System.nanoTime() - startedAt) / 1e9;
            LOG.infof("Materialized %s as of %s: %s, %d rows, version %d, %.2f s", viewName, watermark,
                    incremental ? "incremental" : "full", writer.rows(), published.version(), seconds);
            return new Job.ViewRun(viewName, incremental ? "incremental" : "full", watermark, writer.rows(),
                    published.version(), seconds, null);
        }
    }

    /** How far the source's data reaches: its newest event time not after now, or now when it has no rows. */
    Instant newestEventTime(Source source) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        try (WarehouseCall call = warehouses.call(source.warehouse(), "watermark " + source.name(), ONLINE)) {
            return call.run(c -> {
                Instant newest = null;
                try (ArrowReader reader = c.session().query(WatermarkSql.newestEventTime(source, c.dialect(), now),
                        c.allocator())) {
                    while (reader.loadNextBatch()) {
                        VectorSchemaRoot root = reader.getVectorSchemaRoot();
                        if (root.getRowCount() > 0) {
                            newest = (Instant) ArrowValues.value(root.getVector(0), 0);
                        }
                    }
                }
                return newest == null ? now : newest;
            });
        }
    }
}
