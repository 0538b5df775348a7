package dev.fletcher.server.warehouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fletcher.server.arrow.ArrowMemory;
import dev.fletcher.server.config.Configs;
import dev.fletcher.server.config.FletcherConfig;
import dev.fletcher.server.plugin.PluginInstances;
import dev.fletcher.server.plugin.RecordingReadiness;
import dev.fletcher.spi.PluginException;
import java.nio.file.Path;
import java.util.Map;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Building warehouses from configuration, with a stub plugin found through ServiceLoader. */
class WarehousesTest {
    final RecordingReadiness registry = new RecordingReadiness();
    final Map<String, HealthCheck> checks = registry.checks;

    @BeforeEach
    void forget() {
        StubWarehouseFactory.CREATED.clear();
    }

    static FletcherConfig config(Map<String, String> properties) {
        return Configs.fletcher(properties);
    }

    @Test
    void buildsEveryConfiguredInstanceWithItsOwnProperties() {
        PluginInstances plugins = new PluginInstances(config(Map.of(
                "fletcher.data-dir", "/tmp/fletcher-test",
                "fletcher.warehouses.main.plugin", "stub",
                "fletcher.warehouses.main.url", "jdbc:stub://main",
                "fletcher.warehouses.main.pool-size", "3",
                "fletcher.warehouses.lake.plugin", "stub")), registry);
        Warehouses warehouses = new Warehouses(plugins, new ArrowMemory());

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

        plugins.stop(null);
        assertThat(StubWarehouseFactory.CREATED).allSatisfy(stub -> assertThat(stub.closed).isTrue());
    }

    @Test
    void anUnknownInstanceNamesTheConfiguredOnes() {
        Warehouses warehouses = new Warehouses(new PluginInstances(config(Map.of(
                "fletcher.warehouses.main.plugin", "stub")), registry),
                new ArrowMemory());
        assertThatThrownBy(() -> warehouses.get("lake"))
                .isInstanceOf(PluginException.class)
                .hasMessageContaining("'lake'")
                .hasMessageContaining("configured: main");
    }

    @Test
    void anUnknownPluginNamesTheInstalledOnes() {
        Warehouses warehouses = new Warehouses(new PluginInstances(config(Map.of(
                "fletcher.warehouses.main.plugin", "teradata")), registry),
                new ArrowMemory());
        assertThatThrownBy(warehouses::all)
                .isInstanceOf(PluginException.class)
                .hasMessageContaining("no warehouse plugin named 'teradata'")
                .hasMessageContaining("fletcher.warehouses.main.plugin")
                .hasMessageContaining("stub");
    }

    @Test
    void aFailingInstanceClosesTheOnesBuiltBeforeIt() {
        Warehouses warehouses = new Warehouses(new PluginInstances(config(Map.of(
                "fletcher.warehouses.a.plugin", "stub",
                "fletcher.warehouses.b.plugin", "stub",
                "fletcher.warehouses.b.fail", "yes")), registry),
                new ArrowMemory());
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
