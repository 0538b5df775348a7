package dev.fletcher.spi.warehouse;

import dev.fletcher.spi.PluginConfig;
import java.util.Set;

/**
 * Builds warehouse instances. Implementations are found with {@link java.util.ServiceLoader}
 * ({@code META-INF/services/dev.fletcher.spi.warehouse.WarehouseFactory}) and chosen by {@link #name()}
 * through {@code fletcher.warehouses.<instance>.plugin}; {@link WarehouseFactories} does the lookup.
 */
public interface WarehouseFactory {
    /** The plugin name users configure, e.g. {@code duckdb}. */
    String name();

    /** Other names users may configure for the same plugin, e.g. {@code postgresql}. */
    default Set<String> aliases() {
        return Set.of();
    }

    /**
     * Builds an instance and checks that it can reach its warehouse.
     *
     * @throws dev.fletcher.spi.PluginException with an actionable message when the configuration is wrong or
     *     the warehouse cannot be reached
     */
    Warehouse create(PluginConfig config);
}
