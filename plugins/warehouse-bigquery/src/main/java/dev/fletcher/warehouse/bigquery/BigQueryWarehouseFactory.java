package dev.fletcher.warehouse.bigquery;

import com.google.cloud.bigquery.BigQueryException;
import com.google.cloud.bigquery.DatasetId;
import dev.fletcher.spi.PluginConfig;
import dev.fletcher.spi.PluginException;
import dev.fletcher.spi.warehouse.Warehouse;
import dev.fletcher.spi.warehouse.WarehouseFactory;
import java.io.IOException;

/** Google BigQuery as a warehouse; the properties are those of {@link BigQueryConfig}. */
public final class BigQueryWarehouseFactory implements WarehouseFactory {
    @Override
    public String name() {
        return BigQueryConfig.PLUGIN;
    }

    @Override
    public Warehouse create(PluginConfig config) {
        BigQueryConfig parsed = BigQueryConfig.parse(config);
        String prefix = BigQueryConfig.prefix(config.instanceName());
        BigQueryWarehouse warehouse;
        try {
            warehouse = new BigQueryWarehouse(parsed);
        } catch (IOException | RuntimeException e) {
            throw new PluginException(prefix + "cannot read the credentials"
                    + (parsed.credentialsFile() == null ? " (application default credentials; set"
                    + " GOOGLE_APPLICATION_CREDENTIALS or credentials-file)" : " in " + parsed.credentialsFile())
                    + ": " + e.getMessage(), e);
        }
        // Fail at start, with BigQuery's reason, rather than at the first query.
        try {
            for (String dataset : new String[] {parsed.dataset(), parsed.stagingDataset()}) {
                if (warehouse.bigQuery().getDataset(DatasetId.of(parsed.project(), dataset)) == null) {
                    throw new PluginException(prefix + "dataset " + parsed.project() + "." + dataset
                            + " does not exist or cannot be seen");
                }
            }
        } catch (BigQueryException | PluginException e) {
            warehouse.close();
            throw e instanceof PluginException p ? p : new PluginException(prefix + "cannot reach BigQuery project "
                    + parsed.project() + ": " + e.getMessage(), e);
        }
        return warehouse;
    }
}
