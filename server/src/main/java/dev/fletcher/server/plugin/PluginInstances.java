package dev.fletcher.server.plugin;

import dev.fletcher.server.config.FletcherConfig;
import dev.fletcher.server.config.FletcherConfig.PluginInstance;
import dev.fletcher.spi.PluginConfig;
import dev.fletcher.spi.PluginException;
import dev.fletcher.spi.PluginFactory;
import dev.fletcher.spi.PluginKind;
import dev.fletcher.spi.Plugins;
import dev.fletcher.spi.analysis.AnalysisFactory;
import dev.fletcher.spi.analysis.ExperimentAnalysis;
import dev.fletcher.spi.online.OnlineStore;
import dev.fletcher.spi.online.OnlineStoreFactory;
import dev.fletcher.spi.stream.StreamSource;
import dev.fletcher.spi.stream.StreamSourceFactory;
import dev.fletcher.spi.warehouse.Warehouse;
import dev.fletcher.spi.warehouse.WarehouseFactory;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.health.api.HealthRegistry;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Function;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import org.jboss.logging.Logger;

/**
 * Every plugin instance the configuration describes: {@code fletcher.<kind>.<name>.*} are an instance's properties
 * and {@code fletcher.<kind>.<name>.plugin} its plugin. Plugins are found with {@link java.util.ServiceLoader} and
 * chosen by name, so the server names none. An instance is built on first use (warehouses and the online store at
 * start, so that a wrong configuration stops the start), reported to readiness when its kind can be probed, and
 * closed at shutdown, last built first.
 */
@ApplicationScoped
public class PluginInstances {
    /** Named by the user; with none configured, {@code default} serves on the default plugin. */
    public static final Kind<Warehouse> WAREHOUSES = new Kind<>(PluginKind.WAREHOUSE, "warehouses",
            WarehouseFactory.class, FletcherConfig::warehouses, null, c -> Map.of(), "default", warehouse -> {
                try (var session = warehouse.openSession()) {
                    // a session that opens is the answer
                }
            });

    /** One serves, {@code fletcher.online.plugin}; a store whose backend is down is not ready and recovers itself. */
    public static final Kind<OnlineStore> ONLINE_STORES = new Kind<>(PluginKind.ONLINE_STORE, "online",
            OnlineStoreFactory.class, c -> c.online().instances(), c -> c.online().plugin(), c -> Map.of(), null,
            store -> store.view("_fl_health"));

    /** Named by a source's {@code stream.plugin}. */
    public static final Kind<StreamSource> STREAMS = new Kind<>(PluginKind.STREAM, "streams",
            StreamSourceFactory.class, c -> c.streams().instances(), null, c -> Map.of(), null, null);

    /** One serves, {@code fletcher.analysis.plugin}; {@code fletcher.analysis.<property>} still sets its properties. */
    public static final Kind<ExperimentAnalysis> ANALYSES = new Kind<>(PluginKind.ANALYSIS, "analysis",
            AnalysisFactory.class, c -> c.analysis().instances(), c -> c.analysis().plugin(),
            c -> c.analysis().properties(), null, null);

    /**
     * How the server configures one kind of plugin.
     *
     * @param key         the configuration's word for the kind, {@code fletcher.<key>.<name>.*}
     * @param factories   the kind's factory interface, which plugins register under
     * @param instances   the configured instances by name
     * @param chosen      the key that picks the one instance serving, for kinds where one serves
     * @param shared      properties under {@code fletcher.<key>.} that every instance takes; single words only,
     *                    since a longer key is an instance's
     * @param implicit    for kinds whose instances the user names: the one instance when none is configured. Such an
     *                    instance that names no plugin takes the default; any other kind's instance is named after
     *                    its plugin
     * @param probe       fails when the instance cannot serve; null for kinds not reported to readiness
     */
    public record Kind<P extends AutoCloseable>(PluginKind kind, String key,
            Class<? extends PluginFactory<P>> factories,
            Function<FletcherConfig, Map<String, PluginInstance>> instances,
            Function<FletcherConfig, Optional<String>> chosen,
            Function<FletcherConfig, Map<String, String>> shared,
            String implicit, Consumer<P> probe) {
    }

    private record Built(Kind<?> kind, String name, AutoCloseable instance) {
    }

    private static final Logger LOG = Logger.getLogger(PluginInstances.class);

    private final FletcherConfig config;
    private final HealthRegistry readiness;
    private final Map<Kind<?>, Plugins<?>> plugins = new ConcurrentHashMap<>();
    private final Map<Kind<?>, String> chosenNames = new ConcurrentHashMap<>();
    private final Map<String, AutoCloseable> instances = new ConcurrentHashMap<>();
    private final List<Built> built = new ArrayList<>();

    @Inject
    public PluginInstances(FletcherConfig config, @Readiness HealthRegistry readiness) {
        this.config = config;
        this.readiness = readiness;
    }

    void start(@Observes StartupEvent event) {
        all(WAREHOUSES);
        chosen(ONLINE_STORES);
    }

    /** The plugins of a kind on the class path. */
    @SuppressWarnings("unchecked")
    public <P extends AutoCloseable> Plugins<? extends PluginFactory<P>> plugins(Kind<P> kind) {
        return (Plugins<? extends PluginFactory<P>>) plugins.computeIfAbsent(kind,
                k -> Plugins.load(kind.factories(), kind.kind()));
    }

    /**
     * The instance called {@code name}.
     *
     * @throws PluginException when a kind of named instances has none so named, or the instance cannot be built
     */
    @SuppressWarnings("unchecked")
    public <P extends AutoCloseable> P get(Kind<P> kind, String name) {
        P instance = (P) instances.get(id(kind, name));
        return instance != null ? instance : build(kind, name);
    }

    /** The one instance serving for a kind where one serves: the one its {@code plugin} key names, or the default. */
    public <P extends AutoCloseable> P chosen(Kind<P> kind) {
        // online reads ask for every view they read: the configuration is read once
        String name = chosenNames.computeIfAbsent(kind, k -> kind.chosen().apply(config)
                .map(n -> n.trim().toLowerCase(Locale.ROOT)).orElseGet(() -> plugins(kind).defaultPlugin().name()));
        return get(kind, name);
    }

    /**
     * Every configured instance of a kind whose instances the user names, by name; all are built, or none is.
     *
     * @throws PluginException naming the instance that cannot be built
     */
    public <P extends AutoCloseable> Map<String, P> all(Kind<P> kind) {
        Map<String, P> all = new LinkedHashMap<>();
        int before;
        synchronized (this) {
            before = built.size();
            try {
                for (String name : names(kind)) {
                    all.put(name, get(kind, name));
                }
            } catch (RuntimeException e) {
                List<Built> added = new ArrayList<>(built.subList(before, built.size()));
                built.subList(before, built.size()).clear();
                Collections.reverse(added);
                added.forEach(this::forget);
                throw e;
            }
        }
        return Collections.unmodifiableMap(all);
    }

    private List<String> names(Kind<?> kind) {
        Map<String, PluginInstance> configured = kind.instances().apply(config);
        return configured.isEmpty() && kind.implicit() != null ? List.of(kind.implicit())
                : List.copyOf(new TreeMap<>(configured).keySet());
    }

    private synchronized <P extends AutoCloseable> P build(Kind<P> kind, String name) {
        @SuppressWarnings("unchecked")
        P existing = (P) instances.get(id(kind, name));
        if (existing != null) {
            return existing;
        }
        Map<String, PluginInstance> configured = kind.instances().apply(config);
        PluginInstance instance = configured.get(name);
        if (kind.implicit() != null && !names(kind).contains(name)) {
            throw new PluginException("no " + kind.kind() + " instance '" + name + "' is configured; configured: "
                    + String.join(", ", names(kind)) + " (set fletcher." + kind.key() + "." + name + ".plugin)");
        }
        Optional<String> pluginName = instance == null ? Optional.empty() : instance.plugin();
        PluginFactory<P> factory;
        try {
            factory = pluginName.isPresent() ? plugins(kind).find(pluginName.get())
                    : kind.implicit() != null ? plugins(kind).defaultPlugin() : plugins(kind).find(name);
        } catch (PluginException e) {
            String key = pluginName.isEmpty() && kind.chosen() != null ? "fletcher." + kind.key() + ".plugin"
                    : "fletcher." + kind.key() + "." + name + ".plugin";
            throw new PluginException(kind.kind() + " instance '" + name + "' (" + key + "): " + e.getMessage(), e);
        }
        LOG.infof("%s instance '%s' uses plugin '%s'", kind.kind(), name, factory.name());
        P created = factory.create(new PluginConfig(name, properties(kind, name), config.dataDir()));
        instances.put(id(kind, name), created);
        built.add(new Built(kind, name, created));
        if (kind.probe() != null) {
            String check = kind.kind() + " " + name;
            readiness.register(check, () -> probe(check, kind.probe(), created));
        }
        return created;
    }

    /** What an instance is built from: the kind's shared properties, then its own, less the name of its plugin. */
    public Map<String, String> properties(Kind<?> kind, String name) {
        Map<String, String> properties = new TreeMap<>();
        kind.shared().apply(config).forEach((key, value) -> {
            if (!key.contains(".")) {
                properties.put(key, value);
            }
        });
        PluginInstance instance = kind.instances().apply(config).get(name);
        if (instance != null) {
            properties.putAll(instance.properties());
        }
        properties.remove("plugin");
        return properties;
    }

    private static <P> HealthCheckResponse probe(String check, Consumer<P> probe, P instance) {
        try {
            probe.accept(instance);
            return HealthCheckResponse.named(check).up().build();
        } catch (RuntimeException e) {
            return HealthCheckResponse.named(check).down().withData("error", String.valueOf(e.getMessage())).build();
        }
    }

    private static String id(Kind<?> kind, String name) {
        return kind.key() + "." + name;
    }

    /** After the services that use the instances (default priority), before the Arrow root allocator closes. */
    public synchronized void stop(@Observes @Priority(Integer.MAX_VALUE - 2000) ShutdownEvent event) {
        List<Built> closing = new ArrayList<>(built);
        built.clear();
        Collections.reverse(closing);
        closing.forEach(this::forget);
    }

    private void forget(Built b) {
        instances.remove(id(b.kind(), b.name()));
        if (b.kind().probe() != null) {
            readiness.remove(b.kind().kind() + " " + b.name());
        }
        try {
            b.instance().close();
        } catch (Exception e) {
            LOG.warnf("Closing %s '%s' failed: %s", b.kind().kind(), b.name(), e.getMessage());
        }
    }
}
