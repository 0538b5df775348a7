package dev.fletcher.server.warehouse;

import dev.fletcher.server.plugin.PluginInstances;
import dev.fletcher.spi.PluginKind;
import dev.fletcher.spi.PluginException;
import dev.fletcher.spi.Plugins;
import dev.fletcher.spi.warehouse.Warehouse;
import dev.fletcher.spi.warehouse.WarehouseFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Map;

/** The configured warehouse instances, as {@link PluginInstances} builds them. */
@ApplicationScoped
public class Warehouses {
    public static final String DEFAULT_INSTANCE = PluginInstances.WAREHOUSES.implicit();

    /** The plugin of an instance that names none: the warehouse plugin on the class path that declares itself so. */
    public static final String DEFAULT_PLUGIN = Plugins.load(WarehouseFactory.class, PluginKind.WAREHOUSE).all().stream()
            .filter(WarehouseFactory::isDefault).map(WarehouseFactory::name).findFirst().orElse(null);

    private final PluginInstances plugins;

    @Inject
    public Warehouses(PluginInstances plugins) {
        this.plugins = plugins;
    }

    /**
     * The instance a source's {@code warehouse:} names.
     *
     * @throws PluginException naming the configured instances when there is no such instance
     */
    public Warehouse get(String instance) {
        return plugins.get(PluginInstances.WAREHOUSES, instance);
    }

    /** Every instance by name. */
    public Map<String, Warehouse> all() {
        return plugins.all(PluginInstances.WAREHOUSES);
    }
}
