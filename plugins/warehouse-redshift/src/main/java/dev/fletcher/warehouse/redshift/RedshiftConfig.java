package dev.fletcher.warehouse.redshift;

import dev.fletcher.spi.PluginConfig;
import dev.fletcher.spi.PluginException;
import java.util.Map;
import java.util.Properties;

/**
 * A Redshift warehouse's configuration. Properties: {@code url} ({@code jdbc:redshift://<endpoint>:5439/<database>},
 * or {@code jdbc:redshift:iam://...} for IAM authentication; required), {@code user}, {@code password},
 * {@code fetch-size} (default 10000), {@code batch-size} (rows per Arrow batch, default 8192),
 * {@code upload-batch-rows} (rows per INSERT round trip, default 1000), {@code login-timeout-seconds} (default 60),
 * and {@code jdbc.<name>} for any other driver property (e.g. {@code jdbc.ssl}, {@code jdbc.Profile}).
 */
record RedshiftConfig(String instanceName, String url, Properties properties, int fetchSize, int batchSize,
        int uploadBatchRows) {
    static final String PLUGIN = "redshift";

    /**
     * What every session runs first: UTC, and quoted identifiers kept as written (Redshift folds them to lower case
     * otherwise), so the dialect's quoting means the same as elsewhere.
     */
    static final String[] SESSION = {"SET timezone TO 'UTC'", "SET enable_case_sensitive_identifier TO true"};

    static RedshiftConfig parse(PluginConfig config) {
        String prefix = prefix(config.instanceName());
        String url = config.get("url").map(String::trim).orElseThrow(() -> new PluginException(prefix + "set fletcher"
                + ".warehouses." + config.instanceName() + ".url to jdbc:redshift://<endpoint>:5439/<database>"));
        if (!url.startsWith("jdbc:redshift:")) {
            throw new PluginException(prefix + "url must start with jdbc:redshift:, got '" + url + "'");
        }
        Properties properties = new Properties();
        config.get("user").ifPresent(user -> properties.setProperty("UID", user));
        config.get("password").ifPresent(password -> properties.setProperty("PWD", password));
        properties.setProperty("ApplicationName", "fletcher");
        properties.setProperty("loginTimeout", Integer.toString(positive(config, "login-timeout-seconds", 60)));
        for (Map.Entry<String, String> property : config.properties().entrySet()) {
            if (property.getKey().startsWith("jdbc.")) {
                properties.setProperty(property.getKey().substring(5), property.getValue());
            }
        }
        return new RedshiftConfig(config.instanceName(), url, properties, positive(config, "fetch-size", 10_000),
                positive(config, "batch-size", 8192), positive(config, "upload-batch-rows", 1000));
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
