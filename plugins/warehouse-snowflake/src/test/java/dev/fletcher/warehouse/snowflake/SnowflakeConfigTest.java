package dev.fletcher.warehouse.snowflake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fletcher.spi.PluginConfig;
import dev.fletcher.spi.PluginException;
import dev.fletcher.spi.PluginKind;
import dev.fletcher.spi.Plugins;
import dev.fletcher.spi.warehouse.WarehouseFactory;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Configuration, connection properties and the factory's failures, without an account. */
class SnowflakeConfigTest {
    private static PluginConfig config(String... keyValues) {
        Map<String, String> properties = new HashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            properties.put(keyValues[i], keyValues[i + 1]);
        }
        return new PluginConfig("sf", properties, null);
    }

    @Test
    void propertiesCarryTheAccountTheSessionSettingsAndDriverExtras() {
        SnowflakeConfig parsed = SnowflakeConfig.parse(config("url", " jdbc:snowflake://acme.snowflakecomputing.com ",
                "user", "fl", "password", "pw", "warehouse", "WH", "database", "DB", "schema", "PUBLIC", "role", "R",
                "jdbc.authenticator", "snowflake_jwt", "upload-batch-rows", "500"));
        assertThat(parsed.url()).isEqualTo("jdbc:snowflake://acme.snowflakecomputing.com");
        assertThat(parsed.properties()).containsEntry("user", "fl").containsEntry("password", "pw")
                .containsEntry("warehouse", "WH").containsEntry("database", "DB").containsEntry("schema", "PUBLIC")
                .containsEntry("role", "R").containsEntry("authenticator", "snowflake_jwt")
                .containsEntry("TIMEZONE", "UTC").containsEntry("JDBC_QUERY_RESULT_FORMAT", "ARROW")
                .containsEntry("WEEK_START", "1").containsEntry("loginTimeout", "60");
        assertThat(parsed.stagingSchema()).isEqualTo("PUBLIC");
        assertThat(parsed.uploadBatchRows()).isEqualTo(500);
        assertThat(parsed.fetchSize()).isEqualTo(10_000);
    }

    @Test
    void theStagingSchemaGoesToTheDialect() {
        SnowflakeConfig parsed = SnowflakeConfig.parse(config("url", "jdbc:snowflake://a.snowflakecomputing.com",
                "schema", "SRC", "staging-schema", "SCRATCH"));
        assertThat(parsed.stagingSchema()).isEqualTo("SCRATCH");
        assertThat(new SnowflakeWarehouse(parsed).dialect().scratchTable("fl_subjects"))
                .isEqualTo("SCRATCH.fl_subjects");
    }

    @Test
    void badConfigurationIsRefusedWithTheKeyToFix() {
        assertThatThrownBy(() -> SnowflakeConfig.parse(config()))
                .isInstanceOf(PluginException.class)
                .hasMessageContaining("warehouse 'sf' (snowflake)")
                .hasMessageContaining("fletcher.warehouses.sf.url");
        assertThatThrownBy(() -> SnowflakeConfig.parse(config("url", "jdbc:postgresql://x/y")))
                .isInstanceOf(PluginException.class).hasMessageContaining("jdbc:snowflake://");
        assertThatThrownBy(() -> SnowflakeConfig.parse(config("url", "jdbc:snowflake://a", "fetch-size", "0")))
                .isInstanceOf(PluginException.class).hasMessageContaining("fetch-size must be at least 1");
        assertThatThrownBy(() -> SnowflakeConfig.parse(config("url", "jdbc:snowflake://a", "schema", "a;b")))
                .isInstanceOf(PluginException.class).hasMessageContaining("a;b");
    }

    @Test
    void theFactoryIsFoundByNameAndFailsClearlyWhenTheAccountIsUnreachable() {
        WarehouseFactory factory = Plugins.load(WarehouseFactory.class, PluginKind.WAREHOUSE).find("snowflake");
        assertThat(factory).isInstanceOf(SnowflakeWarehouseFactory.class);
        long start = System.nanoTime();
        // Nothing listens on port 9 here; the driver's login gives up after the configured timeout.
        assertThatThrownBy(() -> factory.create(config("url", "jdbc:snowflake://127.0.0.1:9/?ssl=off", "user", "u",
                "password", "p", "login-timeout-seconds", "5", "jdbc.networkTimeout", "5000",
                "jdbc.maxHttpRetries", "0")))
                .isInstanceOf(PluginException.class)
                .hasMessageStartingWith("warehouse 'sf' (snowflake): cannot connect to jdbc:snowflake://127.0.0.1:9");
        assertThat((System.nanoTime() - start) / 1_000_000_000L).isLessThan(120);
    }
}
