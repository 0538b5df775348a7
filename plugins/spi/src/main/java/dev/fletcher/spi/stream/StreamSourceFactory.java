package dev.fletcher.spi.stream;

import dev.fletcher.spi.PluginConfig;

/**
 * Builds stream sources (plugin kind {@code stream}): where a source's {@code stream: {plugin, topic, format}} rows
 * arrive live. Found with {@link java.util.ServiceLoader}
 * ({@code META-INF/services/dev.fletcher.spi.stream.StreamSourceFactory}) by the name a source's {@code plugin}
 * gives; {@link StreamSourceFactories} does the lookup.
 */
public interface StreamSourceFactory {
    /** The plugin name sources give, e.g. {@code kafka}. */
    String name();

    StreamSource create(PluginConfig config);
}
