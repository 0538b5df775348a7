package dev.fletcher.spi.online;

import java.util.Map;
import java.util.function.BiConsumer;

/**
 * A stream-fed view's processing state, kept in the online store beside its rows. The rows live in the view's stream
 * layer, layer {@value #STREAM_LAYER}, which each commit changes in place (and which never expires by age: the
 * processor recomputes values as the watermark passes their ttl or window).
 */
public interface StreamState {
    long STREAM_LAYER = 0;

    /** Per partition, the offset of the next record to read; empty before the first commit. */
    Map<Integer, Long> offsets(String view);

    /** Every entity's processing state, to rebuild the processor after a restart. */
    void forEachEntity(String view, BiConsumer<String, byte[]> consumer);

    /**
     * Writes rows, entity states, offsets and the view's new state in one atomic step; the view then reads from its
     * stream layer alone.
     */
    OnlineView commit(String view, StreamCommit commit);
}
