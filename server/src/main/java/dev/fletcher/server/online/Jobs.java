package dev.fletcher.server.online;

import dev.fletcher.catalog.model.Catalog;
import dev.fletcher.catalog.model.FeatureView;
import dev.fletcher.catalog.model.Kind;
import dev.fletcher.server.catalog.CatalogService;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * Materialization jobs: queued, run on a small pool (each view one run at a time), kept in a bounded history for
 * {@code GET /api/v1/jobs/{id}}. Views with a schedule ({@code fletcher.online.schedules.<view>}) get a job every
 * period, unless one for them is still queued or running.
 */
@ApplicationScoped
public class Jobs {
    private static final Logger LOG = Logger.getLogger(Jobs.class);

    private final Materializer materializer;
    private final CatalogService catalog;
    private final OnlineConfig config;
    private final Map<String, Job> byId = new ConcurrentHashMap<>();
    private final Deque<Job> history = new ArrayDeque<>();
    private final Set<String> pendingScheduled = ConcurrentHashMap.newKeySet();
    private final ExecutorService runner;
    private ScheduledExecutorService scheduler;

    @Inject
    public Jobs(Materializer materializer, CatalogService catalog, OnlineConfig config) {
        this.materializer = materializer;
        this.catalog = catalog;
        this.config = config;
        AtomicInteger threads = new AtomicInteger();
        this.runner = Executors.newFixedThreadPool(Math.max(1, config.materializeThreads()), r -> {
            Thread thread = new Thread(r, "materialize-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    void start(@Observes StartupEvent event) {
        if (config.schedules().isEmpty()) {
            return;
        }
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "materialize-schedule");
            thread.setDaemon(true);
            return thread;
        });
        config.schedules().forEach((view, every) -> {
            if (every.isZero() || every.isNegative()) {
                throw new IllegalArgumentException("fletcher.online.schedules." + view + " must be a positive duration");
            }
            LOG.infof("Feature view %s is materialized every %s", view, every);
            scheduler.scheduleWithFixedDelay(() -> scheduled(view), every.toMillis(), every.toMillis(),
                    TimeUnit.MILLISECONDS);
        });
    }

    private void scheduled(String view) {
        try {
            Catalog current = catalog.catalog();
            Optional<FeatureView> definition = current.featureView(view);
            if (definition.isEmpty() || !definition.get().online()) {
                LOG.warnf("Scheduled materialization of %s skipped: no online feature view of that name", view);
                return;
            }
            if (pendingScheduled.add(view)) {
                submit(current, List.of(view), null, false, "schedule", () -> pendingScheduled.remove(view));
            }
        } catch (RuntimeException e) {
            LOG.warnf("Scheduled materialization of %s failed to start: %s", view, e.getMessage());
        }
    }

    /** Queues a job over the views (already checked to be online views of {@code current}). */
    public Job submit(Catalog current, List<String> views, Instant end, boolean full, String trigger) {
        return submit(current, views, end, full, trigger, () -> { });
    }

    private Job submit(Catalog current, List<String> views, Instant end, boolean full, String trigger,
            Runnable after) {
        Job job = new Job(UUID.randomUUID().toString(), views, end, full, trigger);
        byId.put(job.id(), job);
        synchronized (history) {
            history.addFirst(job);
            while (history.size() > Math.max(1, config.jobHistory())) {
                Job old = history.removeLast();
                byId.remove(old.id());
            }
        }
        runner.submit(() -> {
            try {
                job.started();
                for (String view : views) {
                    job.running(view);
                    long started = System.nanoTime();
                    try {
                        job.finished(materializer.run(current, view, end, full, job::addRows));
                    } catch (RuntimeException e) {
                        LOG.errorf(e, "Materializing %s failed (job %s)", view, job.id());
                        job.finished(new Job.ViewRun(view, null, null, 0, 0, (System.nanoTime() - started) / 1e9,
                                String.valueOf(dev.fletcher.server.warehouse.WarehouseMessages.withoutValues(
                                        e.getMessage()))));
                    }
                }
                job.done();
            } finally {
                after.run();
            }
        });
        return job;
    }

    public Optional<Job> get(String id) {
        return Optional.ofNullable(byId.get(id));
    }

    /** Newest first. */
    public List<Job> list() {
        synchronized (history) {
            return new ArrayList<>(history);
        }
    }

    /** The names of the views marked {@code online: true}, by name. */
    static List<String> onlineViews(Catalog catalog) {
        return catalog.asMap().values().stream().filter(o -> o.kind() == Kind.FEATURE_VIEW)
                .map(FeatureView.class::cast).filter(FeatureView::online).map(FeatureView::name).sorted().toList();
    }

    void stop(@Observes ShutdownEvent event) {
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
        runner.shutdownNow();
        try {
            runner.awaitTermination(Duration.ofSeconds(10).toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
