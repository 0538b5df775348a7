package dev.fletcher.spi.warehouse;

import dev.fletcher.spi.PluginConfig;
import dev.fletcher.spi.PluginFactory;

/**
 * Builds warehouse instances (plugin kind {@link dev.fletcher.spi.PluginKind#WAREHOUSE}), registered under
 * {@code META-INF/services/dev.fletcher.spi.warehouse.WarehouseFactory} and chosen through
 * {@code fletcher.warehouses.<instance>.plugin}.
 */
public interface WarehouseFactory extends PluginFactory<Warehouse> {
    /**
     * Builds an instance and checks that it can reach its warehouse.
     *
     * @throws dev.fletcher.spi.PluginException with an actionable message when the configuration is wrong or
     *     the warehouse cannot be reached
     */
    @Override
    Warehouse create(PluginConfig config);
}
