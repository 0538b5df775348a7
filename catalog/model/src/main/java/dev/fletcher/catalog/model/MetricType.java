package dev.fletcher.catalog.model;

import java.util.Arrays;
import java.util.Optional;

/** The {@code type} of a metric; {@link #SIMPLE} when a definition gives none. */
public enum MetricType {
    SIMPLE("simple"),
    RATIO("ratio"),
    DERIVED("derived"),
    CUMULATIVE("cumulative"),
    CONVERSION("conversion");

    private final String id;

    MetricType(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    public static Optional<MetricType> fromId(String id) {
        return Arrays.stream(values()).filter(t -> t.id.equals(id)).findFirst();
    }

    @Override
    public String toString() {
        return id;
    }
}
