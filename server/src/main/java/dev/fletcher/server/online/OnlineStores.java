package dev.fletcher.server.online;

import dev.fletcher.server.config.FletcherConfig;
import dev.fletcher.spi.PluginConfig;
import dev.fletcher.spi.PluginException;
import dev.fletcher.spi.online.OnlineStore;
import dev.fletcher.spi.online.OnlineStoreFactories;
import dev.fletcher.spi.online.OnlineStoreFactory;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.health.api.HealthRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import org.jboss.logging.Logger;

/**
 * The configured online store ({@code fletcher.online.plugin}), found by name with {@link java.util.ServiceLoader}; its
 * properties are those under {@code fletcher.online.<plugin>.}. Built at start; a store whose backend is down is
 * reported not ready and recovers by itself.
 */
@ApplicationScoped
public class OnlineStores {
    private static final Logger LOG = Logger.getLogger(OnlineStores.class);

    private final OnlineConfig config;
    private final FletcherConfig fletcher;
    private final HealthRegistry readiness;
    private volatile OnlineStore store;

    @Inject
    public OnlineStores(OnlineConfig config, FletcherConfig fletcher, @Readiness HealthRegistry readiness) {
        this.config = config;
        this.fletcher = fletcher;
        this.readiness = readiness;
    }

    void start(@Observes StartupEvent event) {
        get();
    }

    public OnlineStore get() {
        OnlineStore built = store;
        if (built == null) {
            synchronized (this) {
                built = store;
                if (built == null) {
                    built = build();
                    store = built;
                }
            }
        }
        return built;
    }

    private OnlineStore build() {
        String plugin = config.plugin().trim().toLowerCase(Locale.ROOT);
        OnlineStoreFactory factory;
        try {
            factory = OnlineStoreFactories.find(plugin);
        } catch (PluginException e) {
            throw new PluginException("fletcher.online.plugin: " + e.getMessage(), e);
        }
        Map<String, String> properties = new HashMap<>(switch (plugin) {
            case "redis" -> config.redis();
            case "embedded" -> config.embedded();
            default -> Map.of();
        });
        String prefix = "fletcher.online." + plugin + ".";
        for (String name : ConfigProvider.getConfig().getPropertyNames()) {
            if (name.startsWith(prefix)) {
                ConfigProvider.getConfig().getOptionalValue(name, String.class)
                        .ifPresent(v -> properties.putIfAbsent(name.substring(prefix.length()), v));
            }
        }
        OnlineStore created = factory.create(new PluginConfig("online", properties, fletcher.dataDir()));
        LOG.infof("Online store: %s", created);
        readiness.register("online store", () -> check(created));
        return created;
    }

    private static HealthCheckResponse check(OnlineStore store) {
        try {
            store.view("_fl_health");
            return HealthCheckResponse.named("online store " + store.name()).up().build();
        } catch (RuntimeException e) {
            return HealthCheckResponse.named("online store " + store.name()).down()
                    .withData("error", String.valueOf(e.getMessage())).build();
        }
    }

    void stop(@Observes ShutdownEvent event) {
        OnlineStore built = store;
        store = null;
        if (built != null) {
            try {
                built.close();
            } catch (RuntimeException e) {
                LOG.warnf("Closing the online store failed: %s", e.getMessage());
            }
        }
    }
}
