package dev.fletcher.server.stream;

import dev.fletcher.engine.eval.StreamEvaluator;
import dev.fletcher.catalog.model.Catalog;
import dev.fletcher.catalog.model.Entity;
import dev.fletcher.catalog.model.Feature;
import dev.fletcher.catalog.model.FeatureRef;
import dev.fletcher.catalog.model.FeatureView;
import dev.fletcher.catalog.model.Kind;
import dev.fletcher.catalog.model.Source;
import dev.fletcher.engine.plan.EntityInput;
import dev.fletcher.engine.plan.TrainingSetRequest;
import dev.fletcher.engine.plan.ViewPlan;
import dev.fletcher.server.catalog.CatalogService;
import dev.fletcher.server.config.FletcherConfig;
import dev.fletcher.server.online.Fingerprints;
import dev.fletcher.server.online.Materializer;
import dev.fletcher.server.online.OnlineStores;
import dev.fletcher.server.plugin.PluginInstances;
import dev.fletcher.server.trainingset.PreparedTrainingSet;
import dev.fletcher.server.trainingset.TrainingSets;
import dev.fletcher.server.warehouse.Warehouses;
import dev.fletcher.spi.online.OnlineStore;
import dev.fletcher.spi.online.OnlineView;
import dev.fletcher.spi.online.Publication;
import dev.fletcher.spi.stream.StreamSource;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Runs a {@link ViewStream} for every online view whose source has a {@code stream:} (with
 * {@code fletcher.streams.enabled=true}), starting, stopping and restarting them as the catalog changes. A view whose
 * definition changed starts over from the stream's earliest record.
 */
@ApplicationScoped
public class StreamProcessors {
    private static final Logger LOG = Logger.getLogger(StreamProcessors.class);

    private final StreamConfig config;
    private final CatalogService catalog;
    private final OnlineStores stores;
    private final TrainingSets trainingSets;
    private final Warehouses warehouses;
    private final MeterRegistry metrics;
    private final FletcherConfig fletcher;
    private final PluginInstances plugins;
    private final Map<String, Running> running = new ConcurrentHashMap<>();
    private ScheduledExecutorService supervisor;

    private record Running(ViewStream stream, Thread thread, String fingerprint) {
    }

    @Inject
    public StreamProcessors(StreamConfig config, CatalogService catalog, OnlineStores stores, TrainingSets trainingSets,
            Warehouses warehouses, MeterRegistry metrics, FletcherConfig fletcher, PluginInstances plugins) {
        this.config = config;
        this.catalog = catalog;
        this.stores = stores;
        this.trainingSets = trainingSets;
        this.warehouses = warehouses;
        this.metrics = metrics;
        this.fletcher = fletcher;
        this.plugins = plugins;
    }

    void start(@Observes StartupEvent event) {
        if (!fletcher.streams().enabled()) {
            return;
        }
        supervisor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "stream-supervisor");
            thread.setDaemon(true);
            return thread;
        });
        supervisor.scheduleWithFixedDelay(this::supervise, 0, config.supervise().toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Brings the running streams in line with the catalog. */
    synchronized void supervise() {
        try {
            Catalog current = catalog.catalog();
            Map<String, String> wanted = new HashMap<>();
            for (var object : current.asMap().values()) {
                if (object.kind() != Kind.FEATURE_VIEW) {
                    continue;
                }
                FeatureView view = (FeatureView) object;
                Source source = current.source(view.source()).orElse(null);
                Entity entity = current.entity(view.entity()).orElse(null);
                if (view.online() && source != null && entity != null && source.stream() != null) {
                    wanted.put(view.name(), Fingerprints.of(view, entity, source));
                }
            }
            for (String view : List.copyOf(running.keySet())) {
                Running r = running.get(view);
                if (!r.fingerprint().equals(wanted.get(view))) {
                    stop(view);
                }
            }
            for (Map.Entry<String, String> entry : wanted.entrySet()) {
                if (!running.containsKey(entry.getKey())) {
                    try {
                        launch(current, entry.getKey(), entry.getValue());
                    } catch (RuntimeException e) {
                        LOG.errorf("The stream of feature view %s cannot start: %s", entry.getKey(), e.getMessage());
                    }
                }
            }
        } catch (RuntimeException e) {
            LOG.warnf("Checking the streams failed: %s", e.getMessage());
        }
    }

    private void launch(Catalog current, String viewName, String fingerprint) {
        FeatureView view = current.featureView(viewName).orElseThrow();
        Source source = current.source(view.source()).orElseThrow();
        Entity entity = current.entity(view.entity()).orElseThrow();
        StreamSource stream = plugins.get(PluginInstances.STREAMS,
                source.stream().plugin().trim().toLowerCase(Locale.ROOT));
        List<Feature> stored = Materializer.stored(view);
        List<FeatureRef> refs = stored.stream().map(f -> new FeatureRef(viewName, f.name())).toList();
        ViewPlan plan;
        try (PreparedTrainingSet prepared = trainingSets.prepare(current, new TrainingSetRequest(refs,
                new EntityInput.Snapshot(Instant.now(), null), Materializer.ANCHOR_COLUMN, false))) {
            plan = prepared.plan().views().get(0);
        }
        StreamEvaluator evaluator = new StreamEvaluator(plan.aggregate().source(), plan.aggregate().measures(),
                warehouses.get(source.warehouse()).dialect().integerDivisionTruncates());
        List<String> keyKinds = plan.aggregate().source().keyColumns().stream()
                .map(c -> plan.aggregate().source().kindOf(c).name()).toList();
        Publication template = new Publication(Instant.EPOCH, stored.stream().map(Feature::name).toList(),
                entity.keys(), keyKinds, fingerprint, view.ttl() == null ? null : view.ttl().seconds());
        OnlineStore store = stores.get();
        OnlineView existing = store.view(viewName).orElse(null);
        if (existing != null && !existing.fingerprint().equals(fingerprint)) {
            LOG.infof("Feature view %s changed: its stream starts over from the earliest record", viewName);
            store.drop(viewName);
        }
        ViewStream processor = new ViewStream(view, source.stream().topic(), source.stream().format(), evaluator,
                template, store, stream, config.poll(), config.allowedLateness(), metrics);
        Thread thread = new Thread(processor, "stream-" + viewName);
        thread.setDaemon(true);
        running.put(viewName, new Running(processor, thread, fingerprint));
        thread.start();
        LOG.infof("Feature view %s follows stream %s (topic %s)", viewName, source.stream().plugin(),
                source.stream().topic());
    }

    /** Whether the view's online values come from its stream. */
    public boolean streams(String view) {
        return running.containsKey(view);
    }

    /** Stops a view's processor; the supervisor starts it again from the committed state. */
    public synchronized void stop(String view) {
        Running r = running.remove(view);
        if (r != null) {
            r.stream().stop();
        }
    }

    void stop(@Observes ShutdownEvent event) {
        if (supervisor != null) {
            supervisor.shutdownNow();
        }
        List.copyOf(running.keySet()).forEach(this::stop);
    }
}
