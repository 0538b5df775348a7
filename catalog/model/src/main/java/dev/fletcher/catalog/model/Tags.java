package dev.fletcher.catalog.model;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

final class Tags {
    private Tags() {
    }

    /** Sorted, so that two equal tag sets also print the same. */
    static Map<String, String> copy(Map<String, String> tags) {
        return tags == null || tags.isEmpty() ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(tags));
    }
}
