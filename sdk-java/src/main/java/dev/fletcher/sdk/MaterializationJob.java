package dev.fletcher.sdk;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonValue;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * A materialization job ({@code POST /api/v1/materialize}, {@code GET /api/v1/jobs/{id}}): which online views it
 * writes, how far it got, and what each view's run did.
 *
 * @param kind         {@code materialize}
 * @param trigger      what started it: {@code request} or {@code schedule}
 * @param end          the watermark asked for; null for the newest event time in each view's source
 * @param full         whether every entity is recomputed, not only those with new rows
 * @param startedAt    null while queued
 * @param finishedAt   null until it has finished
 * @param runs         one per view done so far, in the order they ran
 * @param error        every failed view's error, or null
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record MaterializationJob(
        @JsonProperty("id") String id,
        @JsonProperty("kind") String kind,
        @JsonProperty("state") State state,
        @JsonProperty("trigger") String trigger,
        @JsonProperty("feature_views") List<String> featureViews,
        @JsonProperty("end") Instant end,
        @JsonProperty("full") boolean full,
        @JsonProperty("created_at") Instant createdAt,
        @JsonProperty("started_at") Instant startedAt,
        @JsonProperty("finished_at") Instant finishedAt,
        @JsonProperty("progress") Progress progress,
        @JsonProperty("runs") List<ViewRun> runs,
        @JsonProperty("error") String error) {

    public MaterializationJob {
        state = state == null ? State.UNKNOWN : state;
        featureViews = featureViews == null ? List.of() : List.copyOf(featureViews);
        runs = runs == null ? List.of() : List.copyOf(runs);
    }

    /** Whether the job has stopped, failed or not. */
    public boolean finished() {
        return state.finished();
    }

    /** The run of one view, or null when it has not run (yet). */
    public ViewRun run(String featureView) {
        return runs.stream().filter(r -> r.featureView().equals(featureView)).findFirst().orElse(null);
    }

    /** A job's, or one view's run's, state. */
    public enum State {
        QUEUED, RUNNING, SUCCEEDED, FAILED,
        /** A state a newer server knows and this client does not. */
        UNKNOWN;

        @JsonCreator
        static State of(String text) {
            if (text == null) {
                return UNKNOWN;
            }
            for (State state : values()) {
                if (state.id().equals(text)) {
                    return state;
                }
            }
            return UNKNOWN;
        }

        @JsonValue
        String id() {
            return name().toLowerCase(Locale.ROOT);
        }

        public boolean finished() {
            return this == SUCCEEDED || this == FAILED;
        }
    }

    /**
     * How far the job got.
     *
     * @param currentView the view being written now, or null
     * @param rowsWritten rows written to the online store so far, over every view
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Progress(
            @JsonProperty("views_done") int viewsDone,
            @JsonProperty("views_total") int viewsTotal,
            @JsonProperty("current_view") String currentView,
            @JsonProperty("rows_written") long rowsWritten) {
    }

    /**
     * What one view's run did.
     *
     * @param state   {@link State#SUCCEEDED} or {@link State#FAILED}
     * @param mode    {@code full} or {@code incremental}
     * @param asOf    the watermark the view's online values are now as of
     * @param version the view's online version after the run
     * @param error   why it failed, or null
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record ViewRun(
            @JsonProperty("feature_view") String featureView,
            @JsonProperty("state") State state,
            @JsonProperty("mode") String mode,
            @JsonProperty("as_of") Instant asOf,
            @JsonProperty("rows") long rows,
            @JsonProperty("version") long version,
            @JsonProperty("seconds") double seconds,
            @JsonProperty("error") String error) {

        public ViewRun {
            state = state == null ? State.UNKNOWN : state;
        }
    }
}
