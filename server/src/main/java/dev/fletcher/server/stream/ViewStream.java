package dev.fletcher.server.stream;

import dev.fletcher.engine.eval.EntityState;
import dev.fletcher.engine.eval.StreamEvaluator;
import dev.fletcher.server.trainingset.Times;
import dev.fletcher.catalog.model.FeatureView;
import dev.fletcher.engine.plan.Measure;
import dev.fletcher.spi.online.OnlineStore;
import dev.fletcher.spi.online.OnlineView;
import dev.fletcher.spi.online.Publication;
import dev.fletcher.spi.online.StreamCommit;
import dev.fletcher.spi.online.StreamState;
import dev.fletcher.spi.stream.StreamReader;
import dev.fletcher.spi.stream.StreamRecord;
import dev.fletcher.spi.stream.StreamSource;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * One stream-fed view's processor, on a thread of its own. Each poll's records update the entities' events; the
 * watermark moves to the newest event time (less the allowed lateness), but no further than the newest event of
 * any partition that still has records to deliver; every entity whose values changed (by new
 * events, or by events leaving a window or the ttl as the watermark moved, found through a queue ordered by the
 * time of each entity's next change) is recomputed at the new watermark; and rows, entity states, offsets and the
 * view's new as_of are committed in one step. After a restart it resumes from the committed offsets with the
 * committed states, so no event is lost or counted twice. Events older than the watermark are late: counted, not
 * applied.
 */
final class ViewStream implements Runnable {
    private static final Logger LOG = Logger.getLogger(ViewStream.class);

    private final FeatureView view;
    private final String topic;
    private final String format;
    private final StreamEvaluator evaluator;
    private final Publication template;
    private final OnlineStore store;
    private final StreamState streams;
    private final StreamSource source;
    private final Duration poll;
    private final long lateness;
    private final Counter events;
    private final Counter late;
    private final Counter invalid;
    private final Counter restarts;
    private final Timer freshness;

    private final Map<String, EntityState> entities = new HashMap<>();
    private final PriorityQueue<Due> due = new PriorityQueue<>();
    private final Map<String, Long> scheduled = new HashMap<>();
    private final Map<Integer, Long> offsets = new HashMap<>();
    /** Entities with applied events that no commit has written yet. */
    private final Set<String> pending = new LinkedHashSet<>();
    /** Per partition, the newest event time it delivered since this processor started. */
    private final Map<Integer, Long> newestIn = new HashMap<>();
    private Long watermark;
    private volatile boolean running = true;
    private volatile Thread thread;

    private record Due(long at, String key) implements Comparable<Due> {
        @Override
        public int compareTo(Due other) {
            return Long.compare(at, other.at);
        }
    }

    ViewStream(FeatureView view, String topic, String format, StreamEvaluator evaluator, Publication template,
            OnlineStore store, StreamSource source, Duration poll, Duration lateness, MeterRegistry metrics) {
        this.view = view;
        this.topic = topic;
        this.format = format;
        this.evaluator = evaluator;
        this.template = template;
        this.store = store;
        this.streams = store.streams();
        this.source = source;
        this.poll = poll;
        this.lateness = lateness.toNanos() / 1_000L;
        this.events = Counter.builder("fletcher.stream.events").description("stream events applied")
                .tag("feature_view", view.name()).register(metrics);
        this.late = Counter.builder("fletcher.stream.late.events")
                .description("stream events older than the watermark, counted and not applied")
                .tag("feature_view", view.name()).register(metrics);
        this.invalid = Counter.builder("fletcher.stream.invalid.events")
                .description("stream messages that are not a row of the source (skipped)")
                .tag("feature_view", view.name()).register(metrics);
        this.restarts = Counter.builder("fletcher.stream.restarts")
                .description("times the processor failed and started again from the committed state")
                .tag("feature_view", view.name()).register(metrics);
        this.freshness = Timer.builder("fletcher.stream.freshness")
                .description("from an event's time to its effect being visible online")
                .tag("feature_view", view.name()).publishPercentiles(0.5, 0.99).publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofMinutes(10))
                .register(metrics);
    }

    String view() {
        return view.name();
    }

    /** Loads the committed state: offsets, every entity's events, the watermark. */
    private void restore() {
        offsets.putAll(streams.offsets(view.name()));
        OnlineView state = store.view(view.name()).orElse(null);
        if (state != null && state.layers().size() == 1
                && state.layers().get(0).id() == StreamState.STREAM_LAYER && !offsets.isEmpty()) {
            watermark = Times.micros(state.asOf());
        } else {
            offsets.clear();
        }
        if (watermark != null) {
            streams.forEachEntity(view.name(), (key, bytes) -> {
                EntityState entity = EntityState.decode(bytes);
                entities.put(key, entity);
                schedule(key, evaluator.nextChange(entity, watermark));
            });
        }
        LOG.infof("Stream of %s (topic %s): resuming at %s with %d entities, offsets %s", view.name(), topic,
                watermark == null ? "the beginning" : Instant.ofEpochSecond(0, watermark * 1000), entities.size(),
                offsets);
    }

    @Override
    public void run() {
        thread = Thread.currentThread();
        while (running) {
            try (StreamReader reader = openReader()) {
                while (running) {
                    List<StreamRecord> records = reader.poll(poll);
                    if (!records.isEmpty() || !pending.isEmpty()) {
                        apply(records, reader.behind());
                    }
                }
            } catch (RuntimeException e) {
                if (!running) {
                    break;
                }
                LOG.errorf(e, "Stream of %s failed; starting again from the committed state in 1 s", view.name());
                restarts.increment();
                entities.clear();
                pending.clear();
                newestIn.clear();
                due.clear();
                scheduled.clear();
                offsets.clear();
                watermark = null;
                sleep(1_000);
            }
        }
    }

    private StreamReader openReader() {
        restore();
        return source.open(topic, format, offsets);
    }

    private void apply(List<StreamRecord> records, java.util.Set<Integer> behind) {
        Map<Integer, Long> next = new HashMap<>(offsets);
        long floor = watermark == null ? Long.MIN_VALUE : watermark + lateness;
        long newest = floor;
        long[] times = new long[records.size()];
        int applied = 0;
        for (StreamRecord record : records) {
            next.merge(record.partition(), record.offset() + 1, Math::max);
            if (record.row() == null) {
                invalid.increment();
                LOG.debugf("Stream of %s: skipped message %d:%d: %s", view.name(), record.partition(),
                        record.offset(), record.error());
                continue;
            }
            Object[] row;
            String key;
            Long time;
            try {
                row = evaluator.row(record.row());
                key = evaluator.key(row);
                time = evaluator.time(row);
            } catch (IllegalArgumentException e) {
                invalid.increment();
                LOG.debugf("Stream of %s: skipped message %d:%d: %s", view.name(), record.partition(),
                        record.offset(), e.getMessage());
                continue;
            }
            if (key == null || time == null) {
                invalid.increment();
                continue;
            }
            if (watermark != null && time < watermark) {
                late.increment();
                continue;
            }
            entities.computeIfAbsent(key, k -> new EntityState()).add(evaluator.event(row));
            pending.add(key);
            newest = Math.max(newest, time);
            newestIn.merge(record.partition(), time, Math::max);
            times[applied++] = time;
        }
        // A partition with records still to come holds the watermark at the newest event it delivered, so its
        // earlier events are not taken for late ones because another partition ran ahead.
        long reachable = newest;
        for (int partition : behind) {
            reachable = Math.min(reachable, newestIn.getOrDefault(partition, floor));
        }
        long w = Math.max(watermark == null ? Long.MIN_VALUE : watermark,
                reachable == Long.MIN_VALUE ? Long.MIN_VALUE : reachable - lateness);
        if (w == Long.MIN_VALUE) {
            // no watermark yet: the events wait in memory, and the offsets with them, for the first commit
            offsets.putAll(next);
            return;
        }
        Set<String> recompute = new LinkedHashSet<>(pending);
        while (!due.isEmpty() && due.peek().at() <= w) {
            Due d = due.poll();
            if (Long.valueOf(d.at()).equals(scheduled.get(d.key()))) {
                scheduled.remove(d.key());
                recompute.add(d.key());
            }
        }
        Map<String, Object[]> rows = new LinkedHashMap<>();
        Map<String, byte[]> states = new LinkedHashMap<>();
        for (String key : recompute) {
            EntityState entity = entities.get(key);
            evaluator.prune(entity, w);
            rows.put(key, evaluator.evaluate(entity, w));
            states.put(key, entity.encode());
            schedule(key, evaluator.nextChange(entity, w));
        }
        Publication publication = new Publication(Instant.ofEpochSecond(Math.floorDiv(w, 1_000_000L),
                Math.floorMod(w, 1_000_000L) * 1_000L), template.features(), template.keyColumns(),
                template.keyKinds(), template.fingerprint(), template.ttlSeconds());
        streams.commit(view.name(), new StreamCommit(rows, states, next, publication, entities.size()));
        offsets.putAll(next);
        pending.clear();
        watermark = w;
        long now = Times.micros(Instant.now());
        for (int i = 0; i < applied; i++) {
            freshness.record(Math.max(0, now - times[i]), TimeUnit.MICROSECONDS);
        }
        events.increment(applied);
    }

    private void schedule(String key, long at) {
        if (at == Long.MAX_VALUE) {
            scheduled.remove(key);
            return;
        }
        scheduled.put(key, at);
        due.add(new Due(at, key));
    }

    /** Lets the current poll and commit finish (a poll ends within its timeout), interrupting only a stuck thread. */
    void stop() {
        running = false;
        Thread worker = thread;
        if (worker != null) {
            try {
                worker.join(10_000);
                if (worker.isAlive()) {
                    worker.interrupt();
                    worker.join(5_000);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    List<Measure> measures() {
        return evaluator.measures();
    }
}
