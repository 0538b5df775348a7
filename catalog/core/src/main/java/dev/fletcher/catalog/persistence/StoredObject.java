package dev.fletcher.catalog.persistence;

import dev.fletcher.catalog.model.ObjectKey;
import java.time.Instant;

/**
 * A live object as stored.
 *
 * @param spec canonical JSON of the definition
 */
public record StoredObject(ObjectKey key, int version, String spec, Instant createdAt, Instant updatedAt) {
}
