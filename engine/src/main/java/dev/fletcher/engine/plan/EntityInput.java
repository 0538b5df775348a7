package dev.fletcher.engine.plan;

import java.time.Instant;
import java.util.Objects;

/** Where a training set's entity rows (the anchors) come from. */
public sealed interface EntityInput permits EntityInput.Table, EntityInput.Query, EntityInput.TimeRange,
        EntityInput.Snapshot {
    /** Rows already in the warehouse session under this name, e.g. uploaded and registered there. */
    record Table(String name) implements EntityInput {
        public Table {
            Objects.requireNonNull(name, "name");
        }
    }

    /** A query run inside the warehouse ({@code entity_sql}); its rows never leave it. */
    record Query(String sql) implements EntityInput {
        public Query {
            if (sql == null || sql.isBlank()) {
                throw new PlanException("entity_sql is empty: give a query that returns the entity rows");
            }
        }
    }

    /** No rows: every entity's values at each of its own event times in [start, end), from the views' sources. */
    record TimeRange(Instant start, Instant end) implements EntityInput {
        public TimeRange {
            if (start == null || end == null) {
                throw new PlanException("a time range needs both start and end");
            }
            if (!start.isBefore(end)) {
                throw new PlanException("the time range is empty: start " + start + " is not before end " + end);
            }
        }
    }

    /**
     * Every entity of the views' sources that has a row visible at {@code asOf}, each once, anchored at
     * {@code asOf}: the online values of the views as of that watermark. With {@code since} (an earlier watermark)
     * only the entities whose values can differ between the two: those with rows after {@code since} (or created
     * after it, when the source records that), and those with rows leaving one of the views' windows or ttl
     * between the two times.
     */
    record Snapshot(Instant asOf, Instant since) implements EntityInput {
        public Snapshot {
            if (asOf == null) {
                throw new PlanException("a snapshot needs the time it is taken at");
            }
            if (since != null && since.isAfter(asOf)) {
                throw new PlanException("a snapshot's earlier watermark " + since + " is after its time " + asOf);
            }
        }
    }
}
