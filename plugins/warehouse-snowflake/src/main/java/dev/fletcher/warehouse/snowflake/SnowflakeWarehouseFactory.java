package dev.fletcher.warehouse.snowflake;

import dev.fletcher.spi.PluginConfig;
import dev.fletcher.spi.PluginException;
import dev.fletcher.spi.warehouse.Warehouse;
import dev.fletcher.spi.warehouse.WarehouseFactory;
import dev.fletcher.spi.warehouse.WarehouseSession;

/** Snowflake as a warehouse; the properties are those of {@link SnowflakeConfig}. */
public final class SnowflakeWarehouseFactory implements WarehouseFactory {
    @Override
    public String name() {
        return SnowflakeConfig.PLUGIN;
    }

    @Override
    public Warehouse create(PluginConfig config) {
        SnowflakeConfig parsed = SnowflakeConfig.parse(config);
        SnowflakeWarehouse warehouse = new SnowflakeWarehouse(parsed);
        warehouse.statementTimeout(dev.fletcher.warehouse.jdbc.JdbcWarehouse.statementTimeout(config));
        // Fail at start, with Snowflake's reason, rather than at the first query.
        try (WarehouseSession session = warehouse.openSession()) {
            session.execute(dev.fletcher.spi.warehouse.Statement.of("SELECT 1"));
        } catch (PluginException e) {
            warehouse.close();
            String prefix = SnowflakeConfig.prefix(config.instanceName());
            String reason = e.getMessage().startsWith(prefix) ? e.getMessage().substring(prefix.length())
                    : e.getMessage();
            throw new PluginException(prefix + "cannot connect to " + parsed.url() + ": " + reason, e);
        }
        return warehouse;
    }
}
