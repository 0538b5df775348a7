package dev.fletcher.server.stream;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Map;

/** Stream processing, under {@code fletcher.streams.}; each stream plugin's own properties under its name. */
@ConfigMapping(prefix = "fletcher.streams")
public interface StreamConfig {
    /** Process the {@code stream:} of every online view's source (otherwise those views are materialized in batch). */
    @WithDefault("false")
    boolean enabled();

    /** Properties of the kafka plugin ({@code bootstrap-servers}, {@code consumer.<name>}). */
    Map<String, String> kafka();

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
