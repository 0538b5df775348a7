package dev.fletcher.catalog.model;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/** How rows in a window (features) or in a group (metric measures) are combined into one value. */
public enum Aggregation {
    SUM("sum"),
    COUNT("count"),
    COUNT_DISTINCT("count_distinct"),
    AVG("avg"),
    MIN("min"),
    MAX("max"),
    STDDEV("stddev"),
    VARIANCE("variance"),
    /** The value of the newest row in the window (ties broken as for latest-value features). */
    LAST("last"),
    /** Needs a {@code percentile} between 0 and 1. */
    APPROX_PERCENTILE("approx_percentile");

    /** The aggregations a metric's measure may use. */
    public static final Set<Aggregation> MEASURE = EnumSet.of(SUM, COUNT, COUNT_DISTINCT, AVG, MIN, MAX);

    private final String id;

    Aggregation(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    /** {@code count} alone may go without a column: it counts rows. */
    public boolean needsColumn() {
        return this != COUNT;
    }

    /** Aggregations that only make sense over numbers. */
    public boolean needsNumbers() {
        return this == SUM || this == AVG || this == STDDEV || this == VARIANCE || this == APPROX_PERCENTILE;
    }

    /** Over no rows these give 0; every other aggregation gives null. */
    public boolean isZeroWhenEmpty() {
        return this == SUM || this == COUNT || this == COUNT_DISTINCT;
    }

    /** Count-like aggregations always give whole numbers. */
    public boolean isCount() {
        return this == COUNT || this == COUNT_DISTINCT;
    }

    public static Optional<Aggregation> fromId(String id) {
        return Arrays.stream(values()).filter(a -> a.id.equals(id)).findFirst();
    }

    @Override
    public String toString() {
        return id;
    }
}
