package dev.fletcher.server.online;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/** One materialization job: which views, how far it got, and what each view's run did. */
public final class Job {
    public enum State { QUEUED, RUNNING, SUCCEEDED, FAILED }

    /**
     * What one view's run did.
     *
     * @param mode {@code full} or {@code incremental}
     */
    public record ViewRun(String featureView, String mode, Instant asOf, long rows, long version, double seconds,
            String error) {
    }

    private final String id;
    private final List<String> views;
    private final Instant requestedEnd;
    private final boolean full;
    private final String trigger;
    private final Instant created = Instant.now();
    private final AtomicLong rows = new AtomicLong();
    private final List<ViewRun> runs = new ArrayList<>();
    private volatile State state = State.QUEUED;
    private volatile String current;
    private volatile Instant started;
    private volatile Instant finished;
    private volatile String error;

    Job(String id, List<String> views, Instant requestedEnd, boolean full, String trigger) {
        this.id = id;
        this.views = List.copyOf(views);
        this.requestedEnd = requestedEnd;
        this.full = full;
        this.trigger = trigger;
    }

    public String id() {
        return id;
    }

    public List<String> views() {
        return views;
    }

    public Instant requestedEnd() {
        return requestedEnd;
    }

    public boolean full() {
        return full;
    }

    public State state() {
        return state;
    }

    void started() {
        started = Instant.now();
        state = State.RUNNING;
    }

    void running(String view) {
        current = view;
    }

    void addRows(long count) {
        rows.addAndGet(count);
    }

    synchronized void finished(ViewRun run) {
        runs.add(run);
        current = null;
    }

    void done() {
        boolean failed;
        synchronized (this) {
            failed = runs.stream().anyMatch(r -> r.error() != null);
            if (failed) {
                error = runs.stream().filter(r -> r.error() != null).map(r -> r.featureView() + ": " + r.error())
                        .reduce((a, b) -> a + "; " + b).orElse(null);
            }
        }
        finished = Instant.now();
        state = failed ? State.FAILED : State.SUCCEEDED;
    }

    /** The job as {@code GET /api/v1/jobs/{id}} answers it. */
    public synchronized Map<String, Object> describe() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", id);
        json.put("kind", "materialize");
        json.put("state", state.name().toLowerCase(java.util.Locale.ROOT));
        json.put("trigger", trigger);
        json.put("feature_views", views);
        json.put("end", requestedEnd == null ? null : requestedEnd.toString());
        json.put("full", full);
        json.put("created_at", created.toString());
        json.put("started_at", started == null ? null : started.toString());
        json.put("finished_at", finished == null ? null : finished.toString());
        Map<String, Object> progress = new LinkedHashMap<>();
        progress.put("views_done", runs.size());
        progress.put("views_total", views.size());
        progress.put("current_view", current);
        progress.put("rows_written", rows.get());
        json.put("progress", progress);
        List<Map<String, Object>> history = new ArrayList<>();
        for (ViewRun run : runs) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("feature_view", run.featureView());
            r.put("state", run.error() == null ? "succeeded" : "failed");
            r.put("mode", run.mode());
            r.put("as_of", run.asOf() == null ? null : run.asOf().toString());
            r.put("rows", run.rows());
            r.put("version", run.version());
            r.put("seconds", Math.round(run.seconds() * 1000) / 1000.0);
            if (run.error() != null) {
                r.put("error", run.error());
            }
            history.add(r);
        }
        json.put("runs", history);
        if (error != null) {
            json.put("error", error);
        }
        return json;
    }
}
