package dev.fletcher.warehouse.bigquery;

import dev.fletcher.spi.PluginConfig;
import dev.fletcher.spi.PluginException;
import java.util.regex.Pattern;

/**
 * A BigQuery warehouse's configuration. Properties: {@code project} (the project queries run and are billed in,
 * required), {@code dataset} (where unqualified tables are found and permanent tables are created, required),
 * {@code staging-dataset} (where uploaded rows land before they become session tables; default {@code dataset}),
 * {@code location} (e.g. {@code EU}; default the datasets' own), {@code credentials-file} (a service account key;
 * default the application default credentials, e.g. {@code GOOGLE_APPLICATION_CREDENTIALS}),
 * {@code staging-expiration-minutes} (how long an uploaded table outlives a session that dies before dropping it,
 * default 60), {@code timeout-seconds} (how long a query may run, default 3600).
 */
record BigQueryConfig(String instanceName, String project, String dataset, String stagingDataset, String location,
        String credentialsFile, int stagingExpirationMinutes, int timeoutSeconds) {
    static final String PLUGIN = "bigquery";

    /** Project ids: lower-case letters, digits and hyphens (a domain-scoped id adds a prefix and a colon). */
    private static final Pattern PROJECT = Pattern.compile("([a-z0-9.-]+:)?[a-z][a-z0-9-]{4,61}[a-z0-9]");
    private static final Pattern DATASET = Pattern.compile("[A-Za-z0-9_]{1,1024}");

    static BigQueryConfig parse(PluginConfig config) {
        String prefix = prefix(config.instanceName());
        String key = "fletcher.warehouses." + config.instanceName() + ".";
        String project = config.get("project").map(String::trim).orElseThrow(() -> new PluginException(prefix
                + "set " + key + "project to the Google Cloud project queries run in"));
        if (!PROJECT.matcher(project).matches()) {
            throw new PluginException(prefix + "project '" + project + "' is not a valid project id");
        }
        String dataset = config.get("dataset").map(String::trim).orElseThrow(() -> new PluginException(prefix
                + "set " + key + "dataset to the dataset that holds the source tables"));
        String staging = config.get("staging-dataset").map(String::trim).orElse(dataset);
        for (String name : new String[] {dataset, staging}) {
            if (!DATASET.matcher(name).matches()) {
                throw new PluginException(prefix + "dataset '" + name + "' is not valid: use letters, digits and"
                        + " underscores");
            }
        }
        return new BigQueryConfig(config.instanceName(), project, dataset, staging,
                config.get("location").map(String::trim).orElse(null),
                config.get("credentials-file").map(String::trim).orElse(null),
                positive(config, "staging-expiration-minutes", 60), positive(config, "timeout-seconds", 3600));
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
