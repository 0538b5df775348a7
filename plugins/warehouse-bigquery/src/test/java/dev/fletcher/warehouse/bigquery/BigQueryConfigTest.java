package dev.fletcher.warehouse.bigquery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.cloud.bigquery.QueryParameterValue;
import com.google.cloud.bigquery.StandardSQLTypeName;
import dev.fletcher.spi.PluginConfig;
import dev.fletcher.spi.PluginException;
import dev.fletcher.spi.PluginKind;
import dev.fletcher.spi.Plugins;
import dev.fletcher.spi.warehouse.WarehouseFactory;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.TimeStampMicroTZVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.ipc.ArrowStreamReader;
import org.apache.arrow.vector.ipc.ArrowStreamWriter;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;
import org.junit.jupiter.api.Test;

/** Configuration, parameters, uploads as JSON and the factory's failures, without a project. */
class BigQueryConfigTest {
    private static PluginConfig config(String... keyValues) {
        Map<String, String> properties = new HashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            properties.put(keyValues[i], keyValues[i + 1]);
        }
        return new PluginConfig("bq", properties, null);
    }

    @Test
    void theStagingDatasetDefaultsToTheSourceDataset() {
        BigQueryConfig parsed = BigQueryConfig.parse(config("project", "acme-analytics", "dataset", "events"));
        assertThat(parsed.stagingDataset()).isEqualTo("events");
        assertThat(parsed.stagingExpirationMinutes()).isEqualTo(60);
        BigQueryConfig staged = BigQueryConfig.parse(config("project", "acme-analytics", "dataset", "events",
                "staging-dataset", "fletcher_scratch", "location", "EU", "staging-expiration-minutes", "15"));
        assertThat(staged.stagingDataset()).isEqualTo("fletcher_scratch");
        assertThat(staged.location()).isEqualTo("EU");
        assertThat(new BigQueryDialect(staged.stagingDataset()).scratchTable("fl_subjects"))
                .isEqualTo("fletcher_scratch.fl_subjects");
    }

    @Test
    void badConfigurationIsRefusedWithTheKeyToFix() {
        assertThatThrownBy(() -> BigQueryConfig.parse(config("dataset", "d")))
                .isInstanceOf(PluginException.class).hasMessageContaining("fletcher.warehouses.bq.project");
        assertThatThrownBy(() -> BigQueryConfig.parse(config("project", "acme-analytics")))
                .isInstanceOf(PluginException.class).hasMessageContaining("fletcher.warehouses.bq.dataset");
        assertThatThrownBy(() -> BigQueryConfig.parse(config("project", "Acme Analytics", "dataset", "d")))
                .isInstanceOf(PluginException.class).hasMessageContaining("not a valid project id");
        assertThatThrownBy(() -> BigQueryConfig.parse(config("project", "acme-analytics", "dataset", "d-1")))
                .isInstanceOf(PluginException.class).hasMessageContaining("dataset 'd-1' is not valid");
    }

    @Test
    void requestValuesBecomeTypedPositionalParameters() {
        assertThat(BigQuerySession.parameter("x").getType()).isEqualTo(StandardSQLTypeName.STRING);
        assertThat(BigQuerySession.parameter(7L).getType()).isEqualTo(StandardSQLTypeName.INT64);
        assertThat(BigQuerySession.parameter(7).getValue()).isEqualTo("7");
        assertThat(BigQuerySession.parameter(1.5).getType()).isEqualTo(StandardSQLTypeName.FLOAT64);
        assertThat(BigQuerySession.parameter(new BigDecimal("1.25")).getType())
                .isEqualTo(StandardSQLTypeName.BIGNUMERIC);
        QueryParameterValue ts = BigQuerySession.parameter(Instant.parse("2026-01-02T03:04:05.123456Z"));
        assertThat(ts.getType()).isEqualTo(StandardSQLTypeName.TIMESTAMP);
        assertThat(ts.getValue()).startsWith("2026-01-02 03:04:05.123456");
        assertThat(BigQuerySession.parameter(LocalDate.of(2026, 1, 2)).getValue()).isEqualTo("2026-01-02");
        assertThat(BigQuerySession.parameter(null).getValue()).isNull();
    }

    @Test
    void rowsUploadAsNewlineDelimitedJsonWithTheirSchema() throws IOException {
        Schema schema = new Schema(List.of(new Field("id", FieldType.nullable(new ArrowType.Int(64, true)), null),
                new Field("name", FieldType.nullable(ArrowType.Utf8.INSTANCE), null),
                new Field("at", FieldType.nullable(new ArrowType.Timestamp(TimeUnit.MICROSECOND, "UTC")), null)));
        try (BufferAllocator allocator = new RootAllocator();
                VectorSchemaRoot root = VectorSchemaRoot.create(schema, allocator)) {
            ((BigIntVector) root.getVector("id")).setSafe(0, 1);
            ((VarCharVector) root.getVector("name")).setSafe(0, "a \"quoted\"\nline".getBytes());
            ((TimeStampMicroTZVector) root.getVector("at")).setSafe(0, 1_767_323_045_123_456L);
            ((BigIntVector) root.getVector("id")).setSafe(1, 2);
            root.setRowCount(2);
            ByteArrayOutputStream ipc = new ByteArrayOutputStream();
            try (ArrowStreamWriter writer = new ArrowStreamWriter(root, null, ipc)) {
                writer.writeBatch();
            }
            try (ArrowReader rows = new ArrowStreamReader(new java.io.ByteArrayInputStream(ipc.toByteArray()),
                    allocator)) {
                assertThat(Uploads.schema(rows.getVectorSchemaRoot().getSchema()).getFields())
                        .extracting(f -> f.getType().getStandardType())
                        .containsExactly(StandardSQLTypeName.INT64, StandardSQLTypeName.STRING,
                                StandardSQLTypeName.TIMESTAMP);
                ByteArrayOutputStream json = new ByteArrayOutputStream();
                Uploads.writeJson(rows, json);
                assertThat(json.toString()).isEqualTo("{\"id\":1,\"name\":\"a \\\"quoted\\\"\\nline\","
                        + "\"at\":\"2026-01-02T03:04:05.123456Z\"}\n{\"id\":2}\n");
            }
        }
        StringWriter control = new StringWriter();
        Uploads.string(control, "\u0001");
        assertThat(control.toString()).isEqualTo("\"\\u0001\"");
    }

    @Test
    void resultTimestampsWithoutAZoneAreLabelledUtc() {
        Schema sent = new Schema(List.of(new Field("t", FieldType.nullable(new ArrowType.Timestamp(
                TimeUnit.MICROSECOND, null)), null)));
        assertThat(StorageReader.utc(sent).getFields().get(0).getType())
                .isEqualTo(new ArrowType.Timestamp(TimeUnit.MICROSECOND, "UTC"));
    }

    @Test
    void theFactoryIsFoundByNameAndFailsClearlyWithoutCredentials() {
        WarehouseFactory factory = Plugins.load(WarehouseFactory.class, PluginKind.WAREHOUSE).find("bigquery");
        assertThat(factory).isInstanceOf(BigQueryWarehouseFactory.class);
        assertThatThrownBy(() -> factory.create(config("project", "acme-analytics", "dataset", "events",
                "credentials-file", "/nonexistent/key.json")))
                .isInstanceOf(PluginException.class)
                .hasMessageStartingWith("warehouse 'bq' (bigquery): cannot read the credentials in"
                        + " /nonexistent/key.json");
    }
}
