package dev.fletcher.spi.online;

import dev.fletcher.spi.PluginConfig;

/**
 * Builds online stores (plugin kind {@code online}). Implementations are found with {@link java.util.ServiceLoader}
 * ({@code META-INF/services/dev.fletcher.spi.online.OnlineStoreFactory}) and chosen by {@link #name()} through
 * {@code fletcher.online.plugin}; {@link OnlineStoreFactories} does the lookup.
 */
public interface OnlineStoreFactory {
    /** The plugin name users configure, e.g. {@code redis}. */
    String name();

    /**
     * Builds the store. It need not reach its backend yet: a store whose backend is down answers
     * {@link OnlineStoreUnavailableException} until it is back.
     *
     * @throws dev.fletcher.spi.PluginException when the configuration is wrong
     */
    OnlineStore create(PluginConfig config);
}
