package dev.fletcher.conformance.warehouse;

import dev.fletcher.spi.PluginConfig;
import dev.fletcher.spi.warehouse.Warehouse;
import dev.fletcher.spi.warehouse.WarehouseFactory;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A hosted warehouse account that a plugin's credential-gated suites run against, named by environment variables.
 * Without the required ones the suites are skipped, and the build log says which variables to set. A plugin's
 * tests declare their account as a subclass and put it on each suite with {@code @ExtendWith}.
 */
public abstract class CloudAccount implements ExecutionCondition {
    private final String engine;
    private final List<String> required;
    private final Map<String, String> variables;

    /**
     * @param engine    the engine's name, for messages
     * @param required  the variables without which the suites cannot run
     * @param variables each environment variable the suites read, with the plugin property it sets
     */
    protected CloudAccount(String engine, List<String> required, Map<String, String> variables) {
        this.engine = engine;
        this.required = List.copyOf(required);
        this.variables = new LinkedHashMap<>(variables);
    }

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        List<String> missing = required.stream().filter(name -> blank(System.getenv(name))).toList();
        if (missing.isEmpty()) {
            return ConditionEvaluationResult.enabled(engine + " account configured");
        }
        String reason = "skipped: set " + String.join(", ", required) + " to run on a real " + engine + " account"
                + " (missing " + missing + ")";
        // Also on the console: surefire's summary counts a skipped class but does not say why.
        System.err.println(context.getDisplayName() + " " + reason);
        return ConditionEvaluationResult.disabled(reason);
    }

    /** The plugin properties the environment sets. */
    public Map<String, String> properties() {
        Map<String, String> properties = new HashMap<>();
        variables.forEach((variable, property) -> {
            String value = System.getenv(variable);
            if (!blank(value)) {
                properties.put(property, value);
            }
        });
        return properties;
    }

    /** A warehouse on the account, named {@code conformance}; every suite of a plugin uses this one spelling. */
    public Warehouse warehouse(WarehouseFactory factory, Path dataDir) {
        return factory.create(new PluginConfig("conformance", properties(), dataDir));
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }
}
