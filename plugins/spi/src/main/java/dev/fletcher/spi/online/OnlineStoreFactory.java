package dev.fletcher.spi.online;

import dev.fletcher.spi.PluginConfig;
import dev.fletcher.spi.PluginFactory;

/**
 * Builds online stores (plugin kind {@link dev.fletcher.spi.PluginKind#ONLINE_STORE}), registered under
 * {@code META-INF/services/dev.fletcher.spi.online.OnlineStoreFactory} and chosen through
 * {@code fletcher.online.plugin}.
 */
public interface OnlineStoreFactory extends PluginFactory<OnlineStore> {
    /**
     * Builds the store. It need not reach its backend yet: a store whose backend is down answers
     * {@link OnlineStoreUnavailableException} until it is back.
     *
     * @throws dev.fletcher.spi.PluginException when the configuration is wrong
     */
    @Override
    OnlineStore create(PluginConfig config);
}
