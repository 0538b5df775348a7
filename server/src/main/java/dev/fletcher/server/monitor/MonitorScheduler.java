package dev.fletcher.server.monitor;

import dev.fletcher.catalog.model.Monitor;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Evaluates each monitor on its {@code every} schedule: at every multiple of {@code every} since the epoch (so the
 * times are the same across restarts), once, when the scheduler's tick finds it due.
 */
@ApplicationScoped
public class MonitorScheduler {
    private static final Logger LOG = Logger.getLogger(MonitorScheduler.class);

    private final Monitors monitors;
    private final MonitorConfig config;
    private final MonitorClock clock;
    private final Map<String, Instant> done = new ConcurrentHashMap<>();
    private ScheduledExecutorService executor;

    @Inject
    public MonitorScheduler(Monitors monitors, MonitorConfig config, MonitorClock clock) {
        this.monitors = monitors;
        this.config = config;
        this.clock = clock;
    }

    void start(@Observes StartupEvent event) {
        if (!config.monitors().schedule()) {
            return;
        }
        if (!clock.real()) {
            LOG.infof("Monitors are evaluated on a clock that reads %s now (fletcher.monitors.clock)", clock.now());
        }
        executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "fletcher-monitors");
            thread.setDaemon(true);
            return thread;
        });
        long tick = Math.max(1, config.monitors().tick().toMillis());
        executor.scheduleWithFixedDelay(this::tick, 0, tick, TimeUnit.MILLISECONDS);
    }

    void stop(@Observes ShutdownEvent event) {
        if (executor != null) {
            executor.shutdownNow();
        }
    }

    /** Evaluates every monitor whose latest scheduled time has no evaluation yet. */
    void tick() {
        Instant now = clock.now();
        try {
            for (Monitor monitor : monitors.catalog().monitors()) {
                long every = Math.max(1, monitor.every().seconds());
                Instant due = Instant.ofEpochSecond(Math.floorDiv(now.getEpochSecond(), every) * every);
                Instant last = done.computeIfAbsent(monitor.name(), name -> monitors.latest(name).orElse(Instant.MIN));
                if (!last.isBefore(due)) {
                    continue;
                }
                try {
                    monitors.evaluate(monitor.name(), due);
                } catch (RuntimeException e) {
                    LOG.warnf("Monitor %s could not be evaluated at %s: %s", monitor.name(), due, e.getMessage());
                }
                // A failing monitor waits for its next time rather than failing on every tick.
                done.put(monitor.name(), due);
            }
        } catch (RuntimeException e) {
            LOG.warnf("The monitor scheduler's tick failed: %s", e.getMessage());
        }
    }
}
