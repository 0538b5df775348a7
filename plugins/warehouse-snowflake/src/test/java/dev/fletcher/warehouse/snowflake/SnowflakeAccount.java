package dev.fletcher.warehouse.snowflake;

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
 * The a Snowflake account (database and schema the user may create tables in) the credential-gated suites run against, named by environment variables; without them the
 * suites are skipped, and the build log says which variables to set.
 */
public final class SnowflakeAccount implements ExecutionCondition {
    /** What must be set for the suites to run. */
    static final List<String> REQUIRED = List.of("FLETCHER_TEST_SNOWFLAKE_URL", "FLETCHER_TEST_SNOWFLAKE_USER", "FLETCHER_TEST_SNOWFLAKE_PASSWORD");

    /** Environment variable, plugin property. */
    private static final String[][] PROPERTIES = {
        {"FLETCHER_TEST_SNOWFLAKE_URL", "url"},
        {"FLETCHER_TEST_SNOWFLAKE_USER", "user"},
        {"FLETCHER_TEST_SNOWFLAKE_PASSWORD", "password"},
        {"FLETCHER_TEST_SNOWFLAKE_WAREHOUSE", "warehouse"},
        {"FLETCHER_TEST_SNOWFLAKE_DATABASE", "database"},
        {"FLETCHER_TEST_SNOWFLAKE_SCHEMA", "schema"},
        {"FLETCHER_TEST_SNOWFLAKE_ROLE", "role"},
        {"FLETCHER_TEST_SNOWFLAKE_STAGING_SCHEMA", "staging-schema"},
    };

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        List<String> missing = REQUIRED.stream().filter(name -> blank(System.getenv(name))).toList();
        if (missing.isEmpty()) {
            return ConditionEvaluationResult.enabled("snowflake account configured");
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
        return new SnowflakeWarehouseFactory().create(new PluginConfig("conformance", properties(), dataDir));
    }
}
