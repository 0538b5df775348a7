package dev.fletcher.spi.online;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What a run publishes besides its rows.
 *
 * @param asOf        the watermark the values were computed at
 * @param features    the names of the values in each row, in order
 * @param keyColumns  the entity's key columns, in key order
 * @param keyKinds    each key column's kind as the warehouse reported it (e.g. {@code STRING}, {@code INTEGER})
 * @param fingerprint identifies the definitions the values were computed from; a different one needs a full run
 * @param ttlSeconds  the layer expires this long after it was written or last refreshed; null never
 */
public record Publication(Instant asOf, List<String> features, List<String> keyColumns, List<String> keyKinds,
        String fingerprint, Long ttlSeconds) {
    public Publication {
        Objects.requireNonNull(asOf, "asOf");
        Objects.requireNonNull(fingerprint, "fingerprint");
        features = List.copyOf(features);
        keyColumns = List.copyOf(keyColumns);
        keyKinds = List.copyOf(keyKinds);
        if (keyColumns.size() != keyKinds.size()) {
            throw new IllegalArgumentException("one kind per key column");
        }
    }
}
