package dev.fletcher.warehouse.spark;

import dev.fletcher.spi.PluginConfig;
import dev.fletcher.spi.PluginException;
import dev.fletcher.spi.warehouse.Warehouse;
import dev.fletcher.spi.warehouse.WarehouseFactory;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Spark through Spark Connect (Spark 3.5+, 4; Databricks clusters and SQL warehouses that speak it). Properties:
 * {@code url} ({@code sc://host:port}, optionally {@code /;token=...;use_ssl=true;user_id=...;<header>=...},
 * required), {@code session.<spark conf>} for any Spark SQL setting of every session (e.g.
 * {@code session.spark.sql.shuffle.partitions=8}), {@code upload-chunk-bytes} (the largest Arrow message one
 * upload sends, default 16 MiB; larger uploads go to a staging table chunk by chunk) and {@code staging-schema}
 * (where those staging tables are created, default the session's current schema).
 */
public final class SparkWarehouseFactory implements WarehouseFactory {
    static final int DEFAULT_CHUNK_BYTES = 16 << 20;

    @Override
    public String name() {
        return "spark";
    }

    @Override
    public Set<String> aliases() {
        return Set.of("spark-connect", "databricks");
    }

    @Override
    public Warehouse create(PluginConfig config) {
        String prefix = "warehouse '" + config.instanceName() + "' (spark): ";
        String url = config.get("url").map(String::trim).orElseThrow(() -> new PluginException(prefix
                + "set fletcher.warehouses." + config.instanceName() + ".url to sc://host:port"));
        ConnectUrl connect;
        try {
            connect = ConnectUrl.parse(url);
        } catch (IllegalArgumentException e) {
            throw new PluginException(prefix + e.getMessage(), e);
        }
        int chunkBytes = config.getInt("upload-chunk-bytes", DEFAULT_CHUNK_BYTES);
        if (chunkBytes < 1024 || chunkBytes > (64 << 20)) {
            throw new PluginException(prefix + "upload-chunk-bytes must be between 1024 and 67108864, got "
                    + chunkBytes);
        }
        String stagingSchema = config.get("staging-schema").map(String::trim).orElse(null);
        if (stagingSchema != null) {
            try {
                SparkDialect.checkTableName(stagingSchema);
            } catch (IllegalArgumentException e) {
                throw new PluginException(prefix + "staging-schema: " + e.getMessage(), e);
            }
            if (stagingSchema.contains(".")) {
                throw new PluginException(prefix + "staging-schema must be one name, got '" + stagingSchema + "'");
            }
        }
        Map<String, String> sessionConf = new LinkedHashMap<>();
        for (Map.Entry<String, String> property : config.properties().entrySet()) {
            if (property.getKey().startsWith("session.")) {
                sessionConf.put(property.getKey().substring("session.".length()), property.getValue());
            }
        }
        SparkWarehouse warehouse = new SparkWarehouse(config.instanceName(), connect, sessionConf, chunkBytes,
                stagingSchema);
        try {
            // Fail at start, with the server's reason, rather than at the first query.
            warehouse.openSession().close();
        } catch (PluginException e) {
            warehouse.close();
            throw new PluginException(prefix + "cannot reach " + connect.display() + ": " + e.getMessage(), e);
        }
        return warehouse;
    }
}
