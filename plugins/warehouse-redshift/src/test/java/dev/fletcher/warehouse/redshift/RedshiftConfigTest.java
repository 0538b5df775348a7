package dev.fletcher.warehouse.redshift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fletcher.spi.PluginConfig;
import dev.fletcher.spi.PluginException;
import dev.fletcher.spi.PluginKind;
import dev.fletcher.spi.Plugins;
import dev.fletcher.spi.warehouse.WarehouseFactory;
import java.util.HashMap;
import java.util.Map;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.junit.jupiter.api.Test;

/** Configuration, connection properties, upload types and the factory's failures, without a cluster. */
class RedshiftConfigTest {
    private static PluginConfig config(String... keyValues) {
        Map<String, String> properties = new HashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            properties.put(keyValues[i], keyValues[i + 1]);
        }
        return new PluginConfig("rs", properties, null);
    }

    @Test
    void propertiesCarryTheCredentialsAndDriverExtras() {
        RedshiftConfig parsed = RedshiftConfig.parse(config("url", "jdbc:redshift://w.123.eu-west-1.redshift"
                + "-serverless.amazonaws.com:5439/dev", "user", "fl", "password", "pw", "jdbc.ssl", "true",
                "upload-batch-rows", "250"));
        assertThat(parsed.properties()).containsEntry("UID", "fl").containsEntry("PWD", "pw")
                .containsEntry("ssl", "true").containsEntry("ApplicationName", "fletcher");
        assertThat(parsed.uploadBatchRows()).isEqualTo(250);
        assertThat(RedshiftConfig.SESSION).contains("SET timezone TO 'UTC'");
    }

    @Test
    void badConfigurationIsRefusedWithTheKeyToFix() {
        assertThatThrownBy(() -> RedshiftConfig.parse(config()))
                .isInstanceOf(PluginException.class)
                .hasMessageContaining("warehouse 'rs' (redshift)")
                .hasMessageContaining("fletcher.warehouses.rs.url");
        assertThatThrownBy(() -> RedshiftConfig.parse(config("url", "jdbc:postgresql://x/y")))
                .isInstanceOf(PluginException.class).hasMessageContaining("jdbc:redshift:");
        assertThatThrownBy(() -> RedshiftConfig.parse(config("url", "jdbc:redshift://x/y", "batch-size", "-1")))
                .isInstanceOf(PluginException.class).hasMessageContaining("batch-size must be at least 1");
    }

    @Test
    void uploadedColumnsGetRedshiftTypes() {
        assertThat(RedshiftSession.type(field(new ArrowType.Int(32, true)))).isEqualTo("BIGINT");
        assertThat(RedshiftSession.type(field(new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE))))
                .isEqualTo("DOUBLE PRECISION");
        assertThat(RedshiftSession.type(field(ArrowType.Utf8.INSTANCE))).isEqualTo("VARCHAR(MAX)");
        assertThat(RedshiftSession.type(field(new ArrowType.Timestamp(TimeUnit.MICROSECOND, "UTC"))))
                .isEqualTo("TIMESTAMPTZ");
        assertThat(RedshiftSession.type(field(new ArrowType.Timestamp(TimeUnit.MICROSECOND, null))))
                .isEqualTo("TIMESTAMP");
        assertThatThrownBy(() -> RedshiftSession.type(field(ArrowType.Binary.INSTANCE)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cannot be uploaded to Redshift");
    }

    private static Field field(ArrowType type) {
        return new Field("c", FieldType.nullable(type), null);
    }

    @Test
    void theFactoryIsFoundByNameAndFailsClearlyWhenTheClusterIsUnreachable() {
        WarehouseFactory factory = Plugins.load(WarehouseFactory.class, PluginKind.WAREHOUSE).find("redshift");
        assertThat(factory).isInstanceOf(RedshiftWarehouseFactory.class);
        // Nothing listens on port 9 here.
        assertThatThrownBy(() -> factory.create(config("url", "jdbc:redshift://127.0.0.1:9/dev", "user", "u",
                "password", "p", "login-timeout-seconds", "5")))
                .isInstanceOf(PluginException.class)
                .hasMessageStartingWith("warehouse 'rs' (redshift): cannot connect to jdbc:redshift://127.0.0.1:9/dev");
    }
}
