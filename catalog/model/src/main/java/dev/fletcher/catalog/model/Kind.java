package dev.fletcher.catalog.model;

import java.util.Arrays;
import java.util.Optional;

/** The kinds of catalog object, by the name a YAML document gives in its {@code kind} field. */
public enum Kind {
    ENTITY("entity"),
    SOURCE("source"),
    FEATURE_VIEW("feature_view"),
    METRIC("metric"),
    MONITOR("monitor"),
    EXPERIMENT("experiment");

    private final String id;

    Kind(String id) {
        this.id = id;
    }

    /** The name used in YAML and in REST paths, e.g. {@code feature_view}. */
    public String id() {
        return id;
    }

    public static Optional<Kind> fromId(String id) {
        return Arrays.stream(values()).filter(k -> k.id.equals(id)).findFirst();
    }

    @Override
    public String toString() {
        return id;
    }
}
