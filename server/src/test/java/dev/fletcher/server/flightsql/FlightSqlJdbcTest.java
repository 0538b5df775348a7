package dev.fletcher.server.flightsql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.fletcher.server.catalog.CatalogService;
import dev.fletcher.examples.ExampleData;
import dev.fletcher.server.example.ExampleProfile;
import dev.fletcher.server.example.ExampleRows;
import dev.fletcher.server.flight.FlightService;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.arrow.flight.Action;
import org.apache.arrow.flight.FlightClient;
import org.apache.arrow.flight.Location;
import org.apache.arrow.flight.Result;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Arrow's own Flight SQL JDBC driver against the Flight port: metadata calls list metrics and dimensions, metric
 * statements run, bad statements fail with their position. Expected values come from the generator's rows.
 */
@QuarkusTest
@TestProfile(ExampleProfile.class)
class FlightSqlJdbcTest {
    private static final ExampleData DATA = ExampleData.generate();

    @Inject
    CatalogService catalog;
    @Inject
    FlightService flight;

    @BeforeEach
    void applyExample() throws Exception {
        catalog.apply("catalog.yaml", Files.readString(Path.of("..", "examples", "catalog.yaml")), false, false);
    }

    private Connection connect() throws SQLException {
        Properties properties = new Properties();
        properties.put("useEncryption", "false");
        return DriverManager.getConnection("jdbc:arrow-flight-sql://127.0.0.1:" + flight.port(), properties);
    }

    @Test
    void metadataListsMetricsAsTablesWithTheirDimensions() throws Exception {
        try (Connection connection = connect()) {
            DatabaseMetaData metadata = connection.getMetaData();
            List<String> tables = new ArrayList<>();
            try (ResultSet rows = metadata.getTables(null, null, "%", null)) {
                while (rows.next()) {
                    assertThat(rows.getString("TABLE_CAT")).isEqualTo("fletcher");
                    assertThat(rows.getString("TABLE_SCHEM")).isEqualTo("metrics");
                    tables.add(rows.getString("TABLE_NAME"));
                }
            }
            assertThat(tables).contains("metrics", "revenue", "orders", "prediction_accuracy", "lead_conversion_rate",
                    "revenue_28d");
            Map<String, String> columns = new TreeMap<>();
            try (ResultSet rows = metadata.getColumns(null, null, "revenue", "%")) {
                while (rows.next()) {
                    columns.put(rows.getString("COLUMN_NAME"), rows.getString("TYPE_NAME"));
                }
            }
            assertThat(columns).containsKeys("metric_time__day", "metric_time__week", "metric_time__year", "country",
                    "channel", "revenue").doesNotContainKey("status");
            try (ResultSet rows = metadata.getColumns(null, null, "prediction_accuracy", "%")) {
                List<String> names = new ArrayList<>();
                while (rows.next()) {
                    names.add(rows.getString("COLUMN_NAME"));
                }
                assertThat(names).contains("referrer", "model_version", "prediction_accuracy");
            }
            try (ResultSet rows = metadata.getCatalogs()) {
                assertThat(rows.next()).isTrue();
                assertThat(rows.getString(1)).isEqualTo("fletcher");
            }
        }
    }

    @Test
    void metricStatementsRunThroughTheDriver() throws Exception {
        Instant start = Instant.parse("2026-02-01T00:00:00Z");
        Instant end = Instant.parse("2026-02-04T00:00:00Z");
        Map<String, double[]> expected = new TreeMap<>();
        for (Map<String, Object> order : ExampleRows.of(DATA, "orders")) {
            Instant at = (Instant) order.get("ordered_at");
            String country = (String) order.get("country");
            if (at.isBefore(start) || !at.isBefore(end) || !List.of("DE", "FR").contains(country)) {
                continue;
            }
            double[] sums = expected.computeIfAbsent(at.truncatedTo(ChronoUnit.DAYS) + "|" + country, k -> new double[2]);
            if (!"refunded".equals(order.get("status"))) {
                sums[0] += (Double) order.get("revenue");
            }
            sums[1]++;
        }
        try (Connection connection = connect(); Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT revenue, orders, country FROM metrics"
                        + " WHERE metric_time >= '2026-02-01' AND metric_time < TIMESTAMP '2026-02-04 00:00:00'"
                        + " AND country IN ('DE', 'FR')"
                        + " GROUP BY metric_time__day, country ORDER BY metric_time__day, country")) {
            assertThat(rows.getMetaData().getColumnName(1)).isEqualTo("metric_time__day");
            List<String> keys = new ArrayList<>();
            int i = 0;
            List<Map.Entry<String, double[]>> entries = new ArrayList<>(expected.entrySet());
            while (rows.next()) {
                String key = rows.getTimestamp(1).toInstant() + "|" + rows.getString(2);
                keys.add(key);
                assertThat(key).isEqualTo(entries.get(i).getKey());
                assertThat(rows.getDouble("revenue")).isCloseTo(entries.get(i).getValue()[0], within(1e-6));
                assertThat(rows.getLong("orders")).isEqualTo((long) entries.get(i).getValue()[1]);
                i++;
            }
            assertThat(keys).hasSize(expected.size()).hasSize(6);
        }
        try (Connection connection = connect(); Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("select prediction_accuracy from metrics"
                        + " where model_version = 'v2' limit 1")) {
            assertThat(rows.next()).isTrue();
            assertThat(rows.getDouble(1)).isBetween(0.0, 1.0);
            assertThat(rows.next()).isFalse();
        }
    }

    @Test
    void badStatementsFailWithTheirPosition() throws Exception {
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            assertThatThrownBy(() -> statement.executeQuery("SELECT revenue FROM metrics GROUP BY")).isInstanceOf(
                    SQLException.class).hasMessageContaining("does not parse at line 1, column");
            assertThatThrownBy(() -> statement.executeQuery("SELECT revenue\nFROM metrics WHERE country LIKE 'D%'"))
                    .isInstanceOf(SQLException.class).hasMessageContaining("'LIKE' is not supported")
                    .hasMessageContaining("line 2");
            assertThatThrownBy(() -> statement.executeQuery("SELECT revenu FROM metrics")).isInstanceOf(
                    SQLException.class).hasMessageContaining("'revenu' is not a metric (did you mean 'revenue'?)");
            assertThatThrownBy(() -> statement.executeQuery("SELECT revenue FROM metrics WHERE country = 'DE'; DROP"
                    + " TABLE orders")).isInstanceOf(SQLException.class).hasMessageContaining("does not parse");
        }
    }

    @Test
    void statementsRunWithoutPreparingThroughAPlainFlightSqlClient() throws Exception {
        double expected = ExampleRows.of(DATA, "orders").stream()
                .filter(o -> !"refunded".equals(o.get("status")) && "ES".equals(o.get("country")))
                .mapToDouble(o -> (Double) o.get("revenue")).sum();
        try (BufferAllocator allocator = new RootAllocator();
                FlightClient client = FlightClient.builder(allocator, Location.forGrpcInsecure("127.0.0.1", flight.port()))
                        .build()) {
            org.apache.arrow.flight.sql.FlightSqlClient sql = new org.apache.arrow.flight.sql.FlightSqlClient(client);
            org.apache.arrow.flight.FlightInfo info = sql.execute("SELECT revenue FROM revenue WHERE country = 'ES'");
            assertThat(info.getSchemaOptional().orElseThrow().getFields().get(0).getName()).isEqualTo("revenue");
            try (org.apache.arrow.flight.FlightStream stream = sql.getStream(info.getEndpoints().get(0).getTicket())) {
                assertThat(stream.next()).isTrue();
                assertThat(((org.apache.arrow.vector.Float8Vector) stream.getRoot().getVector(0)).get(0))
                        .isCloseTo(expected, within(1e-6));
            }
            assertThatThrownBy(() -> sql.execute("SELECT revenue FROM"))
                    .isInstanceOfSatisfying(org.apache.arrow.flight.FlightRuntimeException.class, e -> {
                        assertThat(e.status().code()).isEqualTo(org.apache.arrow.flight.FlightStatusCode.INVALID_ARGUMENT);
                        assertThat(e.getMessage()).contains("does not parse at line 1, column 19");
                    });
        }
    }

    @Test
    void plainFlightStillServesItsOwnCallsOnTheSamePort() throws Exception {
        try (BufferAllocator allocator = new RootAllocator();
                FlightClient client = FlightClient.builder(allocator, Location.forGrpcInsecure("127.0.0.1", flight.port()))
                        .build()) {
            var results = client.doAction(new Action("health"));
            assertThat(results.hasNext()).isTrue();
            Result result = results.next();
            assertThat(new String(result.getBody(), java.nio.charset.StandardCharsets.UTF_8)).contains("UP");
        }
    }
}
