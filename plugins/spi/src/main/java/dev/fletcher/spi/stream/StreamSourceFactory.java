package dev.fletcher.spi.stream;

import dev.fletcher.spi.PluginFactory;

/**
 * Builds stream sources (plugin kind {@link dev.fletcher.spi.PluginKind#STREAM}): where a source's
 * {@code stream: {plugin, topic, format}} rows arrive live. Registered under
 * {@code META-INF/services/dev.fletcher.spi.stream.StreamSourceFactory} and chosen by the name a source's
 * {@code plugin} gives.
 */
public interface StreamSourceFactory extends PluginFactory<StreamSource> {
}
