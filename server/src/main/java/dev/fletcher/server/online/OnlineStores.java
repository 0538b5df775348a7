package dev.fletcher.server.online;

import dev.fletcher.server.plugin.PluginInstances;
import dev.fletcher.spi.online.OnlineStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** The online store that serves ({@code fletcher.online.plugin}), as {@link PluginInstances} builds it. */
@ApplicationScoped
public class OnlineStores {
    private final PluginInstances plugins;

    @Inject
    public OnlineStores(PluginInstances plugins) {
        this.plugins = plugins;
    }

    public OnlineStore get() {
        return plugins.chosen(PluginInstances.ONLINE_STORES);
    }
}
