package dev.fletcher.catalog.model;

import java.util.Objects;

/** Identifies a catalog object: names are unique per kind. */
public record ObjectKey(Kind kind, String name) implements Comparable<ObjectKey> {
    public ObjectKey {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(name, "name");
    }

    @Override
    public int compareTo(ObjectKey other) {
        int byKind = kind.compareTo(other.kind);
        return byKind != 0 ? byKind : name.compareTo(other.name);
    }

    @Override
    public String toString() {
        return kind.id() + "/" + name;
    }
}
