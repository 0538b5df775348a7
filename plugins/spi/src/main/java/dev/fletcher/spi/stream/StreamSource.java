package dev.fletcher.spi.stream;

import java.util.Map;

/** A configured stream system (a Kafka cluster, say). Thread safe. */
public interface StreamSource extends AutoCloseable {
    /**
     * Reads a topic from the given positions. The caller keeps the positions (with the state it derives from the
     * records, committed together), so the plugin commits nothing itself.
     *
     * @param format how each message is encoded (a source's {@code stream.format}, e.g. {@code json})
     * @param from   per partition, the offset of the next record to read; partitions not named are read from the
     *               earliest record kept
     * @throws dev.fletcher.spi.NotSupportedException for a format the plugin does not read
     */
    StreamReader open(String topic, String format, Map<Integer, Long> from);

    @Override
    void close();
}
