package dev.fletcher.engine.plan;

import dev.fletcher.catalog.model.Aggregation;
import java.util.List;
import java.util.Objects;

/** One value computed per anchor from a source's rows inside a {@link RelativeWindow} of the anchor time. */
public sealed interface Measure permits Measure.Windowed, Measure.Latest {
    /** The value's name inside its aggregate (the feature's name for feature views). */
    String name();

    RelativeWindow window();

    /** Rows a catalog predicate keeps, or null for every row. */
    String filter();

    /**
     * An aggregation over the rows in the window.
     *
     * @param column the aggregated source column, or null for {@code count} of rows
     * @param kind   the column's kind (null with the column)
     */
    record Windowed(String name, Aggregation aggregation, String column, ColumnKind kind, String filter,
            Double percentile, RelativeWindow window) implements Measure {
        public Windowed {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(aggregation, "aggregation");
            Objects.requireNonNull(window, "window");
            if (aggregation == Aggregation.LAST) {
                throw new IllegalArgumentException("last is a Latest measure");
            }
            if (column == null && aggregation != Aggregation.COUNT) {
                throw new IllegalArgumentException(aggregation + " needs a column");
            }
        }
    }

    /**
     * The value of {@code column} in the newest row in the window: newest by event time, then created time, then
     * the {@code tiebreak} columns (nulls lowest, strings byte-wise), so rows tied on both times give one answer
     * everywhere. With an unbounded lower bound this is the latest value as of the anchor; with (a - W, a] it is
     * the {@code last} aggregation.
     *
     * @param tiebreak source columns ordering rows tied on event and created time
     */
    record Latest(String name, String column, ColumnKind kind, String filter, List<String> tiebreak,
            RelativeWindow window) implements Measure {
        public Latest {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(column, "column");
            Objects.requireNonNull(window, "window");
            tiebreak = List.copyOf(tiebreak);
            if (!window.endsAtAnchor()) {
                throw new IllegalArgumentException("a latest value is taken as of the anchor: its window must end there,"
                        + " got " + window);
            }
        }
    }
}
