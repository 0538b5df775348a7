package dev.fletcher.catalog.persistence;

import dev.fletcher.catalog.model.ObjectKey;

/**
 * What an apply does (or, on a dry run, would do) to one object.
 *
 * @param version the object's version after the apply; for a deletion, the version that records it
 */
public record PlannedChange(ObjectKey key, Action action, int version) {
    public enum Action {
        CREATED,
        UPDATED,
        UNCHANGED,
        DELETED;

        public String id() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
