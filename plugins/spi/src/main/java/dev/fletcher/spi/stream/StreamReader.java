package dev.fletcher.spi.stream;

import java.time.Duration;
import java.util.List;
import java.util.Set;

/** Reads one topic, record after record, for one caller; not thread safe. Survives the stream system's restarts. */
public interface StreamReader extends AutoCloseable {
    /** The records that arrived, waiting up to {@code timeout} for the first; empty when none came. */
    List<StreamRecord> poll(Duration timeout);

    /**
     * The partitions that may hold records the polls have not returned yet (a partition whose backlog is unknown
     * counts): a watermark must not pass what they have not delivered.
     */
    Set<Integer> behind();

    @Override
    void close();
}
