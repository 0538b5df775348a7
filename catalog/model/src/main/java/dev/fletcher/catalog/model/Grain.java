package dev.fletcher.catalog.model;

import java.util.Arrays;
import java.util.Optional;

/** Time buckets for metrics: half-open in UTC; weeks are ISO weeks starting on Monday. */
public enum Grain {
    HOUR("hour"),
    DAY("day"),
    WEEK("week"),
    MONTH("month"),
    QUARTER("quarter"),
    YEAR("year");

    private final String id;

    Grain(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    public static Optional<Grain> fromId(String id) {
        return Arrays.stream(values()).filter(g -> g.id.equals(id)).findFirst();
    }

    @Override
    public String toString() {
        return id;
    }
}
