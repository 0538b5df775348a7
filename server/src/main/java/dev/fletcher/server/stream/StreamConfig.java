package dev.fletcher.server.stream;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/**
 * How streams are processed, under {@code fletcher.streams.}; whether they are at all, and the stream plugins'
 * instances, are {@link dev.fletcher.server.config.FletcherConfig#streams()}.
 */
@ConfigMapping(prefix = "fletcher.streams")
public interface StreamConfig {
    /** How long one poll waits for records; a batch is committed after each poll that brought any. */
    @WithDefault("50ms")
    Duration poll();

    /** The watermark trails the newest event time by this much; events older than the watermark are late. */
    @WithDefault("0s")
    Duration allowedLateness();

    /** How often the catalog is checked for stream-fed views that started, stopped or changed. */
    @WithDefault("2s")
    Duration supervise();
}
