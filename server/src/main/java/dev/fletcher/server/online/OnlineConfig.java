package dev.fletcher.server.online;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Map;

/**
 * Online features, under {@code fletcher.online.}; which store serves them, and its properties, are
 * {@link dev.fletcher.server.config.FletcherConfig#online()}.
 */
@ConfigMapping(prefix = "fletcher.online")
public interface OnlineConfig {
    /** Per feature view, how often it is materialized (incrementally where it can be), e.g. {@code 10m}. */
    Map<String, Duration> schedules();

    /** Incremental runs stack layers; after this many a run is full again, so reads stay one or two lookups. */
    @WithDefault("4")
    int maxLayers();

    /** Materialization jobs run on this many threads (each view one at a time). */
    @WithDefault("1")
    int materializeThreads();

    /** How many finished jobs {@code GET /api/v1/jobs} keeps. */
    @WithDefault("200")
    int jobHistory();

    /** The most entities one {@code POST /api/v1/online/features} may ask for. */
    @WithDefault("1000")
    int maxEntities();

    /** The largest sample {@code GET .../consistency?sample=N} takes. */
    @WithDefault("10000")
    int maxConsistencySample();
}
