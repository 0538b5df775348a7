package dev.fletcher.catalog.persistence;

import dev.fletcher.catalog.model.ObjectKey;
import java.time.Instant;

/**
 * One change of one object, as the catalog's history lists it.
 *
 * @param version        the object's version this change made
 * @param catalogVersion the catalog version of the apply that made it
 * @param changedBy      who made it; null when not recorded (changes older than the record)
 */
public record CatalogChange(ObjectKey key, int version, long catalogVersion, ChangeType change, Instant changedAt,
                            String changedBy) {
}
