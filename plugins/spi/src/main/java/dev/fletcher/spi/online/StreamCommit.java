package dev.fletcher.spi.online;

import java.util.Map;
import java.util.Objects;

/**
 * What one batch of stream records produced, committed in one step with the positions it read up to, so a restart
 * resumes exactly after it: nothing lost, nothing counted twice.
 *
 * @param rows        the entities' new rows of values (in {@code publication.features()} order)
 * @param entities    the entities' new processing state (the stream processor's own encoding)
 * @param offsets     per partition, the offset of the next record to read
 * @param publication the view's new state: its watermark and what the rows hold
 * @param totalRows   how many entities the stream layer holds after this commit
 */
public record StreamCommit(Map<String, Object[]> rows, Map<String, byte[]> entities, Map<Integer, Long> offsets,
        Publication publication, long totalRows) {
    public StreamCommit {
        Objects.requireNonNull(publication, "publication");
        rows = Map.copyOf(rows);
        entities = Map.copyOf(entities);
        offsets = Map.copyOf(offsets);
    }
}
