package dev.fletcher.warehouse.trino;

import dev.fletcher.spi.PluginConfig;
import dev.fletcher.spi.PluginException;
import dev.fletcher.spi.warehouse.Warehouse;
import dev.fletcher.spi.warehouse.WarehouseFactory;
import dev.fletcher.warehouse.jdbc.JdbcWarehouse;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Trino as a warehouse. Properties: {@code url} ({@code jdbc:trino://host:port/catalog/schema}, required; plain
 * table names resolve there), {@code user} (default {@code fletcher}), {@code password}, {@code staging-schema}
 * (where uploaded rows go, {@code catalog.schema}, created when missing; default {@code memory.fletcher}),
 * {@code session.<name>} for Trino session properties, {@code upload-rows} (rows per INSERT of an upload, default
 * 1000), {@code batch-size} (rows per Arrow batch, default 8192) and {@code jdbc.<name>} for any other driver
 * property. Every session runs in time zone UTC.
 */
public final class TrinoWarehouseFactory implements WarehouseFactory {
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    @Override
    public String name() {
        return "trino";
    }

    @Override
    public Warehouse create(PluginConfig config) {
        String prefix = JdbcWarehouse.messagePrefix(config.instanceName(), name());
        String url = config.get("url").map(String::trim).orElseThrow(() -> new PluginException(prefix
                + "set fletcher.warehouses." + config.instanceName()
                + ".url to jdbc:trino://host:port/catalog/schema"));
        if (!url.startsWith("jdbc:trino:")) {
            throw new PluginException(prefix + "url must start with jdbc:trino:, got '" + url + "'");
        }
        String staging = config.get("staging-schema").map(String::trim).orElse("memory.fletcher");
        String[] stagingParts = staging.split("\\.", -1);
        if (stagingParts.length != 2 || !NAME.matcher(stagingParts[0]).matches()
                || !NAME.matcher(stagingParts[1]).matches()) {
            throw new PluginException(prefix + "staging-schema must be catalog.schema (letters, digits and"
                    + " underscores), got '" + staging + "'");
        }
        int uploadRows = positive(config, "upload-rows", 1000, prefix);
        int batchSize = positive(config, "batch-size", 8192, prefix);

        Properties properties = new Properties();
        properties.setProperty("user", config.get("user").orElse("fletcher"));
        config.get("password").ifPresent(password -> properties.setProperty("password", password));
        properties.setProperty("source", "fletcher");
        for (Map.Entry<String, String> property : config.properties().entrySet()) {
            if (property.getKey().startsWith("jdbc.")) {
                properties.setProperty(property.getKey().substring(5), property.getValue());
            }
        }
        // Timestamps without a zone are UTC, whatever the server's or this JVM's zone.
        properties.setProperty("timezone", "UTC");
        // EXECUTE IMMEDIATE carries the statement in the request body, not in a header of limited size.
        properties.setProperty("explicitPrepare", "false");
        Map<String, String> session = new TreeMap<>();
        for (Map.Entry<String, String> property : config.properties().entrySet()) {
            if (property.getKey().startsWith("session.")) {
                String key = property.getKey().substring("session.".length());
                if (key.isEmpty() || key.contains(";") || key.contains(":") || property.getValue().contains(";")) {
                    throw new PluginException(prefix + "session property '" + property.getKey()
                            + "' must be a name and a value without ';' or ':'");
                }
                session.put(key, property.getValue());
            }
        }
        if (!session.isEmpty()) {
            StringBuilder joined = new StringBuilder();
            session.forEach((key, value) -> joined.append(joined.length() == 0 ? "" : ";").append(key).append(':')
                    .append(value));
            properties.setProperty("sessionProperties", joined.toString());
        }
        java.time.Duration timeout = JdbcWarehouse.statementTimeout(config);
        TrinoWarehouse warehouse = TrinoWarehouse.start(config.instanceName(), url, properties, stagingParts[0],
                stagingParts[1], uploadRows, batchSize);
        warehouse.statementTimeout(timeout);
        return warehouse;
    }

    private static int positive(PluginConfig config, String key, int defaultValue, String prefix) {
        int value = config.getInt(key, defaultValue);
        if (value < 1) {
            throw new PluginException(prefix + key + " must be at least 1, got " + value);
        }
        return value;
    }
}
