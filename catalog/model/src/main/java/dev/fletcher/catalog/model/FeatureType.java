package dev.fletcher.catalog.model;

import java.util.Arrays;
import java.util.Optional;

/** The value type a feature declares; warehouses map these to their own column types. */
public enum FeatureType {
    STRING("string"),
    INT32("int32"),
    INT64("int64"),
    FLOAT32("float32"),
    FLOAT64("float64"),
    BOOL("bool"),
    TIMESTAMP("timestamp"),
    DATE("date");

    private final String id;

    FeatureType(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    public boolean isNumeric() {
        return this == INT32 || this == INT64 || this == FLOAT32 || this == FLOAT64;
    }

    public boolean isInteger() {
        return this == INT32 || this == INT64;
    }

    public static Optional<FeatureType> fromId(String id) {
        return Arrays.stream(values()).filter(t -> t.id.equals(id)).findFirst();
    }

    @Override
    public String toString() {
        return id;
    }
}
