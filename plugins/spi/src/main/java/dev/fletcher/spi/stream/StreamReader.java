package dev.fletcher.spi.stream;

import java.time.Duration;
import java.util.List;

/** Reads one topic, record after record, for one caller; not thread safe. Survives the stream system's restarts. */
public interface StreamReader extends AutoCloseable {
    /** The records that arrived, waiting up to {@code timeout} for the first; empty when none came. */
    List<StreamRecord> poll(Duration timeout);

    @Override
    void close();
}
