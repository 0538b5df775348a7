package dev.fletcher.spi.warehouse;

import dev.fletcher.spi.PluginConfig;

/**
 * Builds warehouse instances. Implementations are found with {@link java.util.ServiceLoader}
 * ({@code META-INF/services/dev.fletcher.spi.warehouse.WarehouseFactory}) and chosen by {@link #name()}
 * through {@code fletcher.warehouses.<instance>.plugin}.
 */
public interface WarehouseFactory {
    /** The plugin name users configure, e.g. {@code duckdb}. */
    String name();

    Warehouse create(PluginConfig config);
}
