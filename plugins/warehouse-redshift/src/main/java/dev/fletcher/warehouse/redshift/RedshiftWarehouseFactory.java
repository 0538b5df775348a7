package dev.fletcher.warehouse.redshift;

import dev.fletcher.spi.PluginConfig;
import dev.fletcher.spi.PluginException;
import dev.fletcher.spi.warehouse.Statement;
import dev.fletcher.spi.warehouse.Warehouse;
import dev.fletcher.spi.warehouse.WarehouseFactory;
import dev.fletcher.spi.warehouse.WarehouseSession;

/** Amazon Redshift as a warehouse; the properties are those of {@link RedshiftConfig}. */
public final class RedshiftWarehouseFactory implements WarehouseFactory {
    @Override
    public String name() {
        return RedshiftConfig.PLUGIN;
    }

    @Override
    public Warehouse create(PluginConfig config) {
        RedshiftConfig parsed = RedshiftConfig.parse(config);
        RedshiftWarehouse warehouse = new RedshiftWarehouse(parsed);
        warehouse.statementTimeout(dev.fletcher.warehouse.jdbc.JdbcWarehouse.statementTimeout(config));
        // Fail at start, with Redshift's reason, rather than at the first query.
        try (WarehouseSession session = warehouse.openSession()) {
            session.execute(Statement.of("SELECT 1"));
        } catch (PluginException e) {
            warehouse.close();
            String prefix = RedshiftConfig.prefix(config.instanceName());
            String reason = e.getMessage().startsWith(prefix) ? e.getMessage().substring(prefix.length())
                    : e.getMessage();
            throw new PluginException(prefix + "cannot connect to " + parsed.url() + ": " + reason, e);
        }
        return warehouse;
    }
}
