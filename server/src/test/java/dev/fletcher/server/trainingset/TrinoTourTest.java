package dev.fletcher.server.trainingset;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.fletcher.examples.ExampleData;
import dev.fletcher.server.arrow.ArrowMemory;
import dev.fletcher.server.catalog.CatalogService;
import dev.fletcher.server.example.ExampleRows;
import dev.fletcher.server.warehouse.Warehouses;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.config.JsonConfig;
import io.restassured.config.RestAssuredConfig;
import io.restassured.path.json.JsonPath;
import io.restassured.path.json.config.JsonPathConfig;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.ipc.ArrowStreamReader;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The README's tour with the default warehouse on a real Trino, the example's tables loaded into it by the example
 * loader: a training set, a metric query, the checkout_redesign analysis and a monitor run, each checked against
 * numbers computed here from the example generator's own rows (the same numbers the DuckDB tests check).
 */
@QuarkusTest
@TestProfile(TrinoTourProfile.class)
class TrinoTourTest {
    private static final ExampleData DATA = ExampleData.generate();
    private static final RestAssuredConfig DOUBLES = RestAssuredConfig.config()
            .jsonConfig(JsonConfig.jsonConfig().numberReturnType(JsonPathConfig.NumberReturnType.DOUBLE));

    @Inject
    Warehouses warehouses;
    @Inject
    CatalogService catalog;
    @Inject
    ArrowMemory memory;

    @BeforeEach
    void applyExample() throws Exception {
        given().contentType("application/yaml").body(Files.readAllBytes(Path.of("..", "examples", "catalog.yaml")))
                .when().post("/api/v1/catalog/apply").then().statusCode(200);
    }

    @Test
    void theDefaultWarehouseIsTrino() {
        assertThat(warehouses.get("default").dialect().name()).isEqualTo("trino");
    }

    @Test
    void trainingSetOfUploadedEntityRows() {
        TrainingSetFixture.install(warehouses, catalog, memory);
        Map<String, Object> body = new HashMap<>();
        body.put("features", TrainingSetFixture.FEATURES);
        body.put("entities", TrainingSetRestTest.jsonEntities());
        Response response = given().contentType("application/json").body(body).post("/api/v1/training-sets");
        assertThat(response.statusCode()).as(response.asString()).isEqualTo(200);
        try (BufferAllocator allocator = new RootAllocator()) {
            TrainingSetFixture.assertExpected(TrainingSetFixture.readAll(new ArrowStreamReader(
                    new ByteArrayInputStream(response.asByteArray()), allocator)));
        }
    }

    @Test
    void revenueAndOrdersByDayAndCountry() {
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
            sums[1] += 1;
        }
        Response response = given().config(DOUBLES).contentType("application/json").body("""
                {"metrics": ["revenue", "orders"], "group_by": ["metric_time__day", "country"],
                 "where": [{"dimension": "country", "op": "in", "values": ["DE", "FR"]}],
                 "start": "2026-02-01", "end": "2026-02-04", "order_by": ["metric_time__day", "country"]}""")
                .when().post("/api/v1/metrics/query");
        assertThat(response.statusCode()).as(response.asString()).isEqualTo(200);
        List<List<Object>> rows = response.jsonPath().getList("rows");
        assertThat(rows).hasSize(expected.size()).hasSize(6);
        int i = 0;
        for (Map.Entry<String, double[]> entry : expected.entrySet()) {
            List<Object> row = rows.get(i++);
            assertThat(Instant.parse((String) row.get(0)) + "|" + row.get(1)).isEqualTo(entry.getKey());
            assertThat(((Number) row.get(2)).doubleValue()).isCloseTo(entry.getValue()[0], within(1e-6));
            assertThat(((Number) row.get(3)).doubleValue()).isEqualTo(entry.getValue()[1]);
        }
        assertThat(response.jsonPath().getString("sql")).contains("TIMESTAMP(6)").doesNotContain("'DE'");
    }

    @Test
    void checkoutRedesignAnalysis() {
        // Subjects: customers assigned to one variant only, from their first assignment; revenue of their orders
        // that were not refunded in the 14 days from it.
        Map<String, Set<String>> variants = new HashMap<>();
        Map<String, Instant> first = new HashMap<>();
        for (Map<String, Object> a : ExampleRows.of(DATA, "assignments")) {
            String customer = (String) a.get("customer_id");
            variants.computeIfAbsent(customer, k -> new HashSet<>()).add((String) a.get("variant"));
            first.merge(customer, (Instant) a.get("assigned_at"), (x, y) -> x.isBefore(y) ? x : y);
        }
        Map<String, Double> revenue = new HashMap<>();
        for (Map<String, Object> o : ExampleRows.of(DATA, "orders")) {
            String customer = (String) o.get("customer_id");
            Instant from = first.get(customer);
            Instant at = (Instant) o.get("ordered_at");
            if (from != null && !"refunded".equals(o.get("status")) && !at.isBefore(from)
                    && at.isBefore(from.plus(Duration.ofDays(14)))) {
                revenue.merge(customer, (Double) o.get("revenue"), Double::sum);
            }
        }
        Map<String, double[]> expected = new HashMap<>();
        long excluded = 0;
        for (Map.Entry<String, Set<String>> v : variants.entrySet()) {
            if (v.getValue().size() > 1) {
                excluded++;
                continue;
            }
            double[] sums = expected.computeIfAbsent(v.getValue().iterator().next(), k -> new double[2]);
            sums[0]++;
            sums[1] += revenue.getOrDefault(v.getKey(), 0.0);
        }

        JsonPath result = given().config(DOUBLES).when().post("/api/v1/experiments/checkout_redesign/analysis")
                .then().statusCode(200).extract().jsonPath();
        assertThat(excluded).isPositive();
        assertThat(result.getLong("excluded.multiple_variants")).isEqualTo(excluded);
        for (String variant : List.of("control", "treatment")) {
            assertThat(result.getDouble("subjects." + variant)).isEqualTo(expected.get(variant)[0]);
            double mean = expected.get(variant)[1] / expected.get(variant)[0];
            assertThat(result.getDouble("results.find { it.metric == 'revenue' }.means." + variant))
                    .isCloseTo(mean, within(1e-6 * mean));
        }
        String cuped = "results.find { it.metric == 'revenue' }.cuped.";
        assertThat(result.getDouble(cuped + "variance_reduction")).isBetween(0.0, 1.0);
        assertThat(result.getDouble(cuped + "std_error")).isLessThan(
                result.getDouble("results.find { it.metric == 'revenue' }.unadjusted.std_error"));
    }

    @Test
    void modelAccuracyMonitorRun() {
        Instant at = Instant.parse("2026-02-01T15:00:00Z");
        Map<String, Instant> created = new HashMap<>();
        for (Map<String, Object> lead : ExampleRows.of(DATA, "leads")) {
            created.put((String) lead.get("lead_id"), (Instant) lead.get("created_at"));
        }
        Set<String> converted = new HashSet<>();
        for (Map<String, Object> c : ExampleRows.of(DATA, "conversions")) {
            String lead = (String) c.get("lead_id");
            if (((Instant) c.get("converted_at")).isBefore(created.get(lead).plus(Duration.ofDays(1)))) {
                converted.add(lead);
            }
        }
        Instant end = at.minus(Duration.ofDays(1));
        Instant start = end.minus(Duration.ofHours(3));
        Set<String> predicted = new HashSet<>();
        Set<String> correct = new HashSet<>();
        for (Map<String, Object> p : ExampleRows.of(DATA, "predictions")) {
            String lead = (String) p.get("lead_id");
            Instant t = created.get(lead);
            if (!t.isAfter(start) || t.isAfter(end)) {
                continue;
            }
            predicted.add(lead);
            if ((((Long) p.get("predicted_label")) == 1) == converted.contains(lead)) {
                correct.add(lead);
            }
        }
        double accuracy = (double) correct.size() / predicted.size();
        JsonPath evaluation = given().config(DOUBLES).when().post("/api/v1/monitors/model_accuracy/run?at=" + at)
                .then().statusCode(200).extract().jsonPath();
        assertThat(evaluation.getDouble("value")).isCloseTo(accuracy, within(1e-9));
        assertThat(evaluation.getString("state")).isEqualTo(accuracy < 0.75 ? "alerting" : "ok");
    }
}
