package dev.fletcher.catalog.model;

/** One definition of the catalog: an entity, source, feature view, metric, monitor or experiment. */
public interface CatalogObject {
    Kind kind();

    String name();

    default ObjectKey key() {
        return new ObjectKey(kind(), name());
    }
}
