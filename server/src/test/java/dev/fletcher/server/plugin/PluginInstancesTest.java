package dev.fletcher.server.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fletcher.server.config.Configs;
import dev.fletcher.spi.PluginException;
import dev.fletcher.spi.online.OnlineStore;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Building plugin instances from {@code fletcher.<kind>.<name>.*}, with the plugins of the server's build. */
class PluginInstancesTest {
    @TempDir
    Path dataDir;

    final RecordingReadiness readiness = new RecordingReadiness();

    PluginInstances plugins(String... keysAndValues) {
        Map<String, String> properties = new HashMap<>();
        properties.put("fletcher.data-dir", dataDir.toString());
        for (int i = 0; i < keysAndValues.length; i += 2) {
            properties.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return new PluginInstances(Configs.fletcher(properties), readiness);
    }

    @Test
    void withNothingConfiguredTheDefaultPluginOfTheKindServes() {
        PluginInstances plugins = plugins();
        OnlineStore store = plugins.chosen(PluginInstances.ONLINE_STORES);
        assertThat(store.name()).isEqualTo("embedded");
        assertThat(plugins.chosen(PluginInstances.ONLINE_STORES)).isSameAs(store);
        assertThat(readiness.checks).containsOnlyKeys("online store embedded");
        assertThat(readiness.checks.get("online store embedded").call().getStatus())
                .isEqualTo(HealthCheckResponse.Status.UP);
        plugins.stop(null);
        assertThat(readiness.checks).isEmpty();
    }

    @Test
    void theChosenInstanceIsFoundByItsPluginsNameIgnoringCase() {
        PluginInstances plugins = plugins("fletcher.online.plugin", " Redis ",
                "fletcher.online.redis.url", "redis://127.0.0.1:6379",
                "fletcher.online.redis.key-prefix", "fltest-plugins:",
                "fletcher.online.embedded.path", "/nowhere");
        assertThat(plugins.properties(PluginInstances.ONLINE_STORES, "redis"))
                .isEqualTo(Map.of("url", "redis://127.0.0.1:6379", "key-prefix", "fltest-plugins:"));
        assertThat(plugins.chosen(PluginInstances.ONLINE_STORES).name()).isEqualTo("redis");
        plugins.stop(null);
    }

    @Test
    void anInstanceMayNameItsPluginItself() {
        PluginInstances plugins = plugins("fletcher.online.plugin", "cache",
                "fletcher.online.cache.plugin", "embedded",
                "fletcher.online.cache.path", dataDir.resolve("cache.mv.db").toString());
        assertThat(plugins.chosen(PluginInstances.ONLINE_STORES).name()).isEqualTo("embedded");
        assertThat(readiness.checks).containsOnlyKeys("online store cache");
        plugins.stop(null);
    }

    @Test
    void aChosenNameThatIsNoPluginListsTheKnownOnes() {
        assertThatThrownBy(() -> plugins("fletcher.online.plugin", "memcached").chosen(PluginInstances.ONLINE_STORES))
                .isInstanceOf(PluginException.class)
                .hasMessage("online store instance 'memcached' (fletcher.online.plugin): no online store plugin named"
                        + " 'memcached'; known: embedded, redis");
    }

    @Test
    void streamInstancesKeepDottedPropertiesAndAreNamedAfterTheirPlugin() {
        PluginInstances plugins = plugins("fletcher.streams.enabled", "true",
                "fletcher.streams.poll", "50ms",
                "fletcher.streams.kafka.bootstrap-servers", "broker:9092",
                "fletcher.streams.kafka.consumer.security.protocol", "SSL");
        assertThat(plugins.properties(PluginInstances.STREAMS, "kafka")).isEqualTo(Map.of(
                "bootstrap-servers", "broker:9092", "consumer.security.protocol", "SSL"));
        assertThatThrownBy(() -> plugins.get(PluginInstances.STREAMS, "pulsar"))
                .hasMessage("stream instance 'pulsar' (fletcher.streams.pulsar.plugin): no stream plugin named"
                        + " 'pulsar'; known: kafka");
    }

    @Test
    void aWarehouseThatNamesNoPluginIsTheDefaultOne() {
        // the default plugin's own check of its properties shows which plugin was built, before any connection
        PluginInstances plugins = plugins("fletcher.warehouses.local.batch-size", "0");
        assertThatThrownBy(() -> plugins.all(PluginInstances.WAREHOUSES))
                .isInstanceOf(PluginException.class)
                .hasMessage("warehouse 'local' (duckdb): batch-size must be at least 1, got 0");
        assertThat(readiness.checks).isEmpty();
    }
}
