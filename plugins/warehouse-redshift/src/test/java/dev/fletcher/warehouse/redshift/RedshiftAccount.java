package dev.fletcher.warehouse.redshift;

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
 * The a Redshift cluster or serverless workgroup (a database the user may create tables in) the credential-gated suites run against, named by environment variables; without them the
 * suites are skipped, and the build log says which variables to set.
 */
public final class RedshiftAccount implements ExecutionCondition {
    /** What must be set for the suites to run. */
    static final List<String> REQUIRED = List.of("FLETCHER_TEST_REDSHIFT_URL", "FLETCHER_TEST_REDSHIFT_USER", "FLETCHER_TEST_REDSHIFT_PASSWORD");

    /** Environment variable, plugin property. */
    private static final String[][] PROPERTIES = {
        {"FLETCHER_TEST_REDSHIFT_URL", "url"},
        {"FLETCHER_TEST_REDSHIFT_USER", "user"},
        {"FLETCHER_TEST_REDSHIFT_PASSWORD", "password"},
    };

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        List<String> missing = REQUIRED.stream().filter(name -> blank(System.getenv(name))).toList();
        if (missing.isEmpty()) {
            return ConditionEvaluationResult.enabled("redshift account configured");
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
        return new RedshiftWarehouseFactory().create(new PluginConfig("conformance", properties(), dataDir));
    }
}
