package dev.fletcher.warehouse.snowflake;

import dev.fletcher.spi.PluginConfig;
import dev.fletcher.spi.PluginException;
import dev.fletcher.spi.warehouse.Dialect;
import java.util.Map;
import java.util.Properties;

/**
 * A Snowflake warehouse's configuration: where it connects, as whom, and the session settings every connection
 * gets. Properties: {@code url} ({@code jdbc:snowflake://<account>.snowflakecomputing.com}, required), {@code user},
 * {@code password}, {@code role}, {@code warehouse}, {@code database}, {@code schema} (where unqualified source
 * tables are found), {@code staging-schema} (where uploaded rows and intermediate tables go; default
 * {@code schema}), {@code fetch-size} (default 10000), {@code batch-size} (rows per Arrow batch, default 8192),
 * {@code upload-batch-rows} (rows per INSERT round trip, default 10000), {@code login-timeout-seconds} (default 60),
 * and {@code jdbc.<name>} for any other driver property (e.g. {@code jdbc.authenticator},
 * {@code jdbc.private_key_file}).
 */
record SnowflakeConfig(String instanceName, String url, Properties properties, String schema, String stagingSchema,
        int fetchSize, int batchSize, int uploadBatchRows) {
    static final String PLUGIN = "snowflake";

    /** Session parameters every connection carries: UTC, Arrow results, ISO weeks. */
    static final Map<String, String> SESSION = Map.of(
            "TIMEZONE", "UTC",
            "JDBC_QUERY_RESULT_FORMAT", "ARROW",
            "WEEK_START", "1",
            "CLIENT_TIMESTAMP_TYPE_MAPPING", "TIMESTAMP_NTZ");

    static SnowflakeConfig parse(PluginConfig config) {
        String prefix = prefix(config.instanceName());
        String url = config.get("url").map(String::trim).orElseThrow(() -> new PluginException(prefix + "set fletcher"
                + ".warehouses." + config.instanceName() + ".url to jdbc:snowflake://<account>.snowflakecomputing.com"));
        if (!url.startsWith("jdbc:snowflake://")) {
            throw new PluginException(prefix + "url must start with jdbc:snowflake://, got '" + url + "'");
        }
        String schema = config.get("schema").map(String::trim).orElse(null);
        String staging = config.get("staging-schema").map(String::trim).orElse(schema);
        for (String name : new String[] {schema, staging}) {
            if (name != null) {
                try {
                    if (Dialect.checkTableName(name).length != 1) {
                        throw new IllegalArgumentException("schema '" + name + "' is not valid: give one name");
                    }
                } catch (IllegalArgumentException e) {
                    throw new PluginException(prefix + e.getMessage().replace("table name", "schema"));
                }
            }
        }
        Properties properties = new Properties();
        for (String key : new String[] {"user", "password", "role", "warehouse", "database"}) {
            config.get(key).ifPresent(value -> properties.setProperty(key, value));
        }
        if (schema != null) {
            properties.setProperty("schema", schema);
        }
        properties.setProperty("application", "fletcher");
        properties.setProperty("loginTimeout", Integer.toString(positive(config, "login-timeout-seconds", 60)));
        SESSION.forEach(properties::setProperty);
        for (Map.Entry<String, String> property : config.properties().entrySet()) {
            if (property.getKey().startsWith("jdbc.")) {
                properties.setProperty(property.getKey().substring(5), property.getValue());
            }
        }
        return new SnowflakeConfig(config.instanceName(), url, properties, schema, staging,
                positive(config, "fetch-size", 10_000), positive(config, "batch-size", 8192),
                positive(config, "upload-batch-rows", 10_000));
    }

    static String prefix(String instanceName) {
        return "warehouse '" + instanceName + "' (" + PLUGIN + "): ";
    }

    private static int positive(PluginConfig config, String key, int defaultValue) {
        int value = config.getInt(key, defaultValue);
        if (value < 1) {
            throw new PluginException(prefix(config.instanceName()) + key + " must be at least 1, got " + value);
        }
        return value;
    }
}
