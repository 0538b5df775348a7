package dev.fletcher.catalog.persistence;

import java.time.Instant;

/**
 * One entry of an object's history.
 *
 * @param spec      canonical JSON of the definition at that version; for a deletion, the definition that was deleted
 * @param changedBy who made the change (a key's name, {@code local} or {@code server}); null when not recorded
 */
public record ObjectVersion(int version, long catalogVersion, ChangeType change, String spec, Instant changedAt,
                            String changedBy) {
}
