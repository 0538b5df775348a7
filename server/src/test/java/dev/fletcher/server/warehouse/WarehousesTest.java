package dev.fletcher.server.warehouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fletcher.server.config.FletcherConfig;
import dev.fletcher.spi.PluginException;
import io.quarkus.runtime.configuration.MemorySizeConverter;
import io.quarkus.runtime.configuration.PathConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.health.api.HealthRegistry;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Building warehouses from configuration, with a stub plugin found through ServiceLoader. */
class WarehousesTest {
    final Map<String, HealthCheck> checks = new LinkedHashMap<>();
    final HealthRegistry registry = new HealthRegistry() {
        @Override
        public HealthRegistry register(String id, HealthCheck check) {
            checks.put(id, check);
            return this;
        }

        @Override
        public HealthRegistry register(String id, AsyncHealthCheck check) {
            throw new UnsupportedOperationException();
        }

        @Override
        public HealthRegistry remove(String id) {
            checks.remove(id);
            return this;
        }
    };

    @BeforeEach
    void forget() {
        StubWarehouseFactory.CREATED.clear();
    }

    static FletcherConfig config(Map<String, String> properties) {
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withMapping(FletcherConfig.class)
                .withConverter(Path.class, 100, new PathConverter())
                .withConverter(io.quarkus.runtime.configuration.MemorySize.class, 100, new MemorySizeConverter())
                .withSources(new PropertiesConfigSource(properties, "test", 100))
                .build();
        return config.getConfigMapping(FletcherConfig.class);
    }

    @Test
    void buildsEveryConfiguredInstanceWithItsOwnProperties() {
        Warehouses warehouses = new Warehouses(config(Map.of(
                "fletcher.data-dir", "/tmp/fletcher-test",
                "fletcher.warehouses.main.plugin", "stub",
                "fletcher.warehouses.main.url", "jdbc:stub://main",
                "fletcher.warehouses.main.pool-size", "3",
                "fletcher.warehouses.lake.plugin", "stub")), registry);

        assertThat(warehouses.all()).containsOnlyKeys("main", "lake");
        StubWarehouseFactory.Stub main = (StubWarehouseFactory.Stub) warehouses.get("main");
        assertThat(main.config.instanceName()).isEqualTo("main");
        assertThat(main.config.properties()).isEqualTo(Map.of("url", "jdbc:stub://main", "pool-size", "3"));
        assertThat(main.config.dataDir()).isEqualTo(Path.of("/tmp/fletcher-test"));
        assertThat(((StubWarehouseFactory.Stub) warehouses.get("lake")).config.properties()).isEmpty();

        assertThat(checks).containsOnlyKeys("warehouse main", "warehouse lake");
        assertThat(checks.get("warehouse main").call().getStatus()).isEqualTo(HealthCheckResponse.Status.UP);
        main.down = true;
        assertThat(checks.get("warehouse main").call().getStatus()).isEqualTo(HealthCheckResponse.Status.DOWN);

        warehouses.stop(null);
        assertThat(StubWarehouseFactory.CREATED).allSatisfy(stub -> assertThat(stub.closed).isTrue());
    }

    @Test
    void anUnknownInstanceNamesTheConfiguredOnes() {
        Warehouses warehouses = new Warehouses(config(Map.of(
                "fletcher.warehouses.main.plugin", "stub")), registry);
        assertThatThrownBy(() -> warehouses.get("lake"))
                .isInstanceOf(PluginException.class)
                .hasMessageContaining("'lake'")
                .hasMessageContaining("configured: main");
    }

    @Test
    void anUnknownPluginNamesTheInstalledOnes() {
        Warehouses warehouses = new Warehouses(config(Map.of(
                "fletcher.warehouses.main.plugin", "snowflake")), registry);
        assertThatThrownBy(warehouses::all)
                .isInstanceOf(PluginException.class)
                .hasMessageContaining("no warehouse plugin named 'snowflake'")
                .hasMessageContaining("fletcher.warehouses.main.plugin")
                .hasMessageContaining("stub");
    }

    @Test
    void aFailingInstanceClosesTheOnesBuiltBeforeIt() {
        Warehouses warehouses = new Warehouses(config(Map.of(
                "fletcher.warehouses.a.plugin", "stub",
                "fletcher.warehouses.b.plugin", "stub",
                "fletcher.warehouses.b.fail", "yes")), registry);
        assertThatThrownBy(warehouses::all).hasMessageContaining("stub instance 'b' was told to fail");
        assertThat(StubWarehouseFactory.CREATED).hasSize(1)
                .allSatisfy(stub -> assertThat(stub.closed).isTrue());
    }

    @Test
    void withoutConfigurationTheDefaultInstanceUsesDuckDb() {
        FletcherConfig config = config(Map.of());
        assertThat(config.warehouses()).isEmpty();
        assertThat(config.dataDir()).isEqualTo(Path.of("./fletcher-data"));
        assertThat(config.flight().port()).isEqualTo(8815);
        assertThat(config.catalog().maxBundleBytes().asLongValue()).isEqualTo(4L * 1024 * 1024);
        assertThat(config.example().enabled()).isFalse();
        assertThat(Warehouses.DEFAULT_PLUGIN).isEqualTo("duckdb");
    }
}
