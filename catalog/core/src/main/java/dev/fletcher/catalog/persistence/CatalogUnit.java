package dev.fletcher.catalog.persistence;

import java.lang.annotation.Annotation;

/**
 * Names the persistence unit that holds the catalog. The application provides one bean of this type: the
 * database (H2 or PostgreSQL) is chosen from configuration at start, while both units exist at build time.
 */
public interface CatalogUnit {
    /** The CDI qualifier of the active unit's {@code EntityManager}. */
    Annotation qualifier();
}
