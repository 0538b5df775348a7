package dev.fletcher.warehouse.bigquery;

import dev.fletcher.spi.PluginConfig;
import dev.fletcher.spi.warehouse.Warehouse;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The a BigQuery project (a dataset the credentials may create tables in) the credential-gated suites run against, named by environment variables; without them the
 * suites are skipped, and the build log says which variables to set.
 */
public final class BigQueryAccount implements ExecutionCondition {
    /** What must be set for the suites to run. */
    static final List<String> REQUIRED = List.of("FLETCHER_TEST_BIGQUERY_PROJECT", "FLETCHER_TEST_BIGQUERY_DATASET", "GOOGLE_APPLICATION_CREDENTIALS");

    /** Environment variable, plugin property. */
    private static final String[][] PROPERTIES = {
        {"FLETCHER_TEST_BIGQUERY_PROJECT", "project"},
        {"FLETCHER_TEST_BIGQUERY_DATASET", "dataset"},
        {"FLETCHER_TEST_BIGQUERY_STAGING_DATASET", "staging-dataset"},
        {"FLETCHER_TEST_BIGQUERY_LOCATION", "location"},
    };

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        List<String> missing = REQUIRED.stream().filter(name -> blank(System.getenv(name))).toList();
        if (missing.isEmpty()) {
            return ConditionEvaluationResult.enabled("bigquery account configured");
        }
        String reason = "skipped: set " + String.join(", ", REQUIRED) + " to run (missing " + missing + ")";
        // Also on the console: surefire's summary counts a skipped class but does not say why.
        System.err.println(context.getDisplayName() + " " + reason);
        return ConditionEvaluationResult.disabled(reason);
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }

    /** The plugin properties the environment names. */
    static Map<String, String> properties() {
        Map<String, String> properties = new HashMap<>();
        for (String[] property : PROPERTIES) {
            String value = System.getenv(property[0]);
            if (!blank(value)) {
                properties.put(property[1], value);
            }
        }
        return properties;
    }

    /** A warehouse on the account; every suite of the plugin uses this one spelling. */
    static Warehouse warehouse(Path dataDir) {
        return new BigQueryWarehouseFactory().create(new PluginConfig("conformance", properties(), dataDir));
    }
}
