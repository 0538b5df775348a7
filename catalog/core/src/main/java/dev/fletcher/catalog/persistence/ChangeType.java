package dev.fletcher.catalog.persistence;

/** What a stored version did to its object. */
public enum ChangeType {
    CREATED,
    UPDATED,
    DELETED;

    /** The lower-case word used in JSON answers. */
    public String id() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
