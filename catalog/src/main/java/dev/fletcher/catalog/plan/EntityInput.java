package dev.fletcher.catalog.plan;

import java.time.Instant;
import java.util.Objects;

/** Where a training set's entity rows (the anchors) come from. */
public sealed interface EntityInput permits EntityInput.Table, EntityInput.Query, EntityInput.TimeRange {
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
}
