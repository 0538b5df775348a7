package dev.fletcher.server.warehouse;

import dev.fletcher.server.config.FletcherConfig;
import dev.fletcher.spi.PluginConfig;
import dev.fletcher.spi.PluginException;
import dev.fletcher.spi.warehouse.Warehouse;
import dev.fletcher.spi.warehouse.WarehouseFactories;
import dev.fletcher.spi.warehouse.WarehouseFactory;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.health.api.HealthRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import org.jboss.logging.Logger;

/**
 * The configured warehouse instances. Plugins are found with {@link java.util.ServiceLoader} and chosen by name, so the
 * server never names a plugin class; a plugin is a dependency of the build.
 */
@ApplicationScoped
public class Warehouses {
    public static final String DEFAULT_INSTANCE = "default";
    public static final String DEFAULT_PLUGIN = "duckdb";

    private static final Logger LOG = Logger.getLogger(Warehouses.class);

    private final FletcherConfig config;
    private final HealthRegistry readiness;
    private volatile Map<String, Warehouse> instances;

    @Inject
    public Warehouses(FletcherConfig config, @Readiness HealthRegistry readiness) {
        this.config = config;
        this.readiness = readiness;
    }

    void start(@Observes StartupEvent event) {
        all();
    }

    /**
     * The instance a source's {@code warehouse:} names.
     *
     * @throws PluginException naming the configured instances when there is no such instance
     */
    public Warehouse get(String instance) {
        Warehouse warehouse = all().get(instance);
        if (warehouse == null) {
            throw new PluginException("no warehouse instance '" + instance + "' is configured; configured: "
                    + String.join(", ", all().keySet()) + " (set fletcher.warehouses." + instance + ".plugin)");
        }
        return warehouse;
    }

    /** Every instance by name. */
    public Map<String, Warehouse> all() {
        Map<String, Warehouse> built = instances;
        if (built == null) {
            synchronized (this) {
                built = instances;
                if (built == null) {
                    built = build();
                    instances = built;
                }
            }
        }
        return built;
    }

    private Map<String, Warehouse> build() {
        List<WarehouseFactory> factories = WarehouseFactories.available();
        Map<String, FletcherConfig.WarehouseInstanceConfig> configured = new TreeMap<>(config.warehouses());
        Map<String, Warehouse> built = new LinkedHashMap<>();
        try {
            if (configured.isEmpty()) {
                built.put(DEFAULT_INSTANCE, create(factories, DEFAULT_INSTANCE, DEFAULT_PLUGIN, Map.of()));
            }
            configured.forEach((name, instance) ->
                    built.put(name, create(factories, name, instance.plugin(), instance.properties())));
        } catch (RuntimeException e) {
            built.values().forEach(Warehouses::closeQuietly);
            throw e;
        }
        built.forEach((name, warehouse) -> readiness.register("warehouse " + name, () -> check(name, warehouse)));
        return Collections.unmodifiableMap(built);
    }

    private Warehouse create(List<WarehouseFactory> factories, String name, String plugin,
                             Map<String, String> properties) {
        WarehouseFactory factory;
        try {
            factory = WarehouseFactories.find(plugin, factories);
        } catch (PluginException e) {
            throw new PluginException("warehouse instance '" + name + "' (fletcher.warehouses." + name
                    + ".plugin): " + e.getMessage(), e);
        }
        Map<String, String> pluginProperties = new HashMap<>(properties);
        pluginProperties.remove("plugin");
        LOG.infof("Warehouse '%s' uses plugin '%s'", name, factory.name());
        return factory.create(new PluginConfig(name, pluginProperties, config.dataDir()));
    }

    private static HealthCheckResponse check(String name, Warehouse warehouse) {
        try (var session = warehouse.openSession()) {
            return HealthCheckResponse.named("warehouse " + name).up().build();
        } catch (RuntimeException e) {
            return HealthCheckResponse.named("warehouse " + name).down()
                    .withData("error", String.valueOf(e.getMessage())).build();
        }
    }

    void stop(@Observes ShutdownEvent event) {
        Map<String, Warehouse> built = instances;
        instances = null;
        if (built != null) {
            List.copyOf(built.values()).forEach(Warehouses::closeQuietly);
        }
    }

    private static void closeQuietly(Warehouse warehouse) {
        try {
            warehouse.close();
        } catch (RuntimeException e) {
            LOG.warnf("Closing warehouse '%s' failed: %s", warehouse.instanceName(), e.getMessage());
        }
    }
}
