package dev.fletcher.server.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fletcher.catalog.lang.BundleException;
import dev.fletcher.catalog.lang.BundleParser;
import dev.fletcher.catalog.lang.ParsedObject;
import dev.fletcher.server.arrow.ArrowMemory;
import dev.fletcher.server.config.Configs;
import dev.fletcher.server.plugin.PluginInstances;
import dev.fletcher.server.plugin.RecordingReadiness;
import dev.fletcher.server.warehouse.StubWarehouseFactory;
import dev.fletcher.server.warehouse.Warehouses;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Sources are read in their warehouse when it can be reached, and reported as not checked when it cannot. */
class SourceChecksTest {
    @TempDir
    Path dataDir;

    PluginInstances plugins;
    SourceChecks checks;

    @BeforeEach
    void setUp() {
        StubWarehouseFactory.CREATED.clear();
        plugins = new PluginInstances(Configs.fletcher(Map.of(
                "fletcher.data-dir", dataDir.toString(),
                "fletcher.warehouses.duck.plugin", "duckdb",
                "fletcher.warehouses.duck.url", ":memory:",
                "fletcher.warehouses.away.plugin", "stub")), new RecordingReadiness());
        checks = new SourceChecks(new Warehouses(plugins, new ArrowMemory()));
    }

    @AfterEach
    void tearDown() {
        plugins.stop(null);
    }

    private static List<ParsedObject> sources(String warehouse, String sql) {
        return BundleParser.parse("b.yaml", "kind: entity\nname: e\nkeys: [id]\n---\nkind: source\nname: s\n"
                + "warehouse: " + warehouse + "\nsql: \"" + sql + "\"\ntimestamp: ts\nentity_columns: {e: id}\n")
                .objects();
    }

    @Test
    void aSourceWhoseWarehouseCannotBeReachedIsNotChecked() {
        ((StubWarehouseFactory.Stub) new Warehouses(plugins, new ArrowMemory()).get("away")).down = true;
        assertThat(checks.check(sources("away", "select 1 as id, now() as ts")))
                .containsExactly(new SourceChecks.NotChecked("s", "away",
                        "the warehouse failed: stub warehouse is down"));
        assertThat(checks.check(sources("nowhere", "select 1 as id, now() as ts")))
                .singleElement().satisfies(n -> assertThat(n.reason()).contains("'nowhere'"));
    }

    @Test
    void aReachableWarehouseReadsTheSource() {
        assertThat(checks.check(sources("duck", "select 1 as id, now() as ts"))).isEmpty();
        assertThatThrownBy(() -> checks.check(sources("duck", "select 1 as id from no_such_table")))
                .isInstanceOfSatisfying(BundleException.class, e -> assertThat(e.errors()).singleElement()
                        .satisfies(error -> {
                            assertThat(error.field()).isEqualTo("sql");
                            assertThat(error.line()).isEqualTo(8);
                            assertThat(error.message()).contains("source `s` cannot be read in warehouse 'duck'")
                                    .contains("no_such_table");
                        }));
        assertThatThrownBy(() -> checks.check(sources("duck", "select 1 as id, 2 as other")))
                .isInstanceOfSatisfying(BundleException.class, e -> assertThat(e.errors()).singleElement()
                        .satisfies(error -> assertThat(error.field()).isEqualTo("timestamp")));
    }
}
