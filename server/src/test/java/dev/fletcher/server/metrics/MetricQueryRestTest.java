package dev.fletcher.server.metrics;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import dev.fletcher.server.arrow.ArrowMemory;
import dev.fletcher.server.arrow.MemoryAssertions;
import dev.fletcher.server.catalog.CatalogService;
import dev.fletcher.examples.ExampleData;
import dev.fletcher.server.example.ExampleProfile;
import dev.fletcher.server.example.ExampleRows;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.config.JsonConfig;
import io.restassured.config.RestAssuredConfig;
import io.restassured.path.json.config.JsonPathConfig;
import jakarta.inject.Inject;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.ipc.ArrowStreamReader;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code POST /api/v1/metrics/query} on the example data. Expected values are computed here from the generator's own
 * rows with plain loops, never by the engine.
 */
@QuarkusTest
@TestProfile(ExampleProfile.class)
class MetricQueryRestTest {
    private static final RestAssuredConfig DOUBLES = RestAssuredConfig.config().jsonConfig(
            JsonConfig.jsonConfig().numberReturnType(JsonPathConfig.NumberReturnType.DOUBLE));
    private static final ExampleData DATA = ExampleData.generate();

    @Inject
    CatalogService catalog;
    @Inject
    ArrowMemory memory;

    @BeforeEach
    void applyExample() throws Exception {
        catalog.apply("catalog.yaml", Files.readString(Path.of("..", "examples", "catalog.yaml")), false, false);
    }

    private static io.restassured.response.Response post(String body) {
        return given().config(DOUBLES).contentType("application/json").body(body).when().post("/api/v1/metrics/query");
    }

    @Test
    void revenueAndOrdersByDayAndCountryWithAWhereItem() {
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
        var response = post("""
                {"metrics": ["revenue", "orders"], "group_by": ["metric_time__day", "country"],
                 "where": [{"dimension": "country", "op": "in", "values": ["DE", "FR"]}],
                 "start": "2026-02-01", "end": "2026-02-04", "order_by": ["metric_time__day", "country"]}""");
        response.then().statusCode(200).contentType(containsString("application/json"));
        assertThat(response.jsonPath().getList("columns", String.class))
                .containsExactly("metric_time__day", "country", "revenue", "orders");
        List<List<Object>> rows = response.jsonPath().getList("rows");
        assertThat(rows).hasSize(expected.size()).hasSize(6);
        int i = 0;
        for (Map.Entry<String, double[]> entry : expected.entrySet()) {
            List<Object> row = rows.get(i++);
            assertThat(Instant.parse((String) row.get(0)) + "|" + row.get(1)).isEqualTo(entry.getKey());
            assertThat(((Number) row.get(2)).doubleValue()).isCloseTo(entry.getValue()[0], within(1e-6));
            assertThat(((Number) row.get(3)).doubleValue()).isEqualTo(entry.getValue()[1]);
        }
        assertThat(response.jsonPath().getString("sql")).contains("SELECT").doesNotContain("'DE'");
    }

    @Test
    void aRepeatedQueryFollowsTheMetricAsLastApplied() throws Exception {
        Instant start = Instant.parse("2026-02-01T00:00:00Z");
        Instant end = Instant.parse("2026-02-03T00:00:00Z");
        long refunded = 0;
        long all = 0;
        for (Map<String, Object> order : ExampleRows.of(DATA, "orders")) {
            Instant at = (Instant) order.get("ordered_at");
            if (!at.isBefore(start) && at.isBefore(end)) {
                all++;
                refunded += "refunded".equals(order.get("status")) ? 1 : 0;
            }
        }
        assertThat(refunded).isPositive().isLessThan(all);
        String example = Files.readString(Path.of("..", "examples", "catalog.yaml"));
        String query = """
                {"metrics": ["probe_orders"], "start": "2026-02-01", "end": "2026-02-03"}""";
        try {
            for (String status : List.of("refunded", "completed", "refunded")) {
                catalog.apply("probe.yaml", example + "\n---\nkind: metric\nname: probe_orders\nsource: orders\n"
                        + "entity: customer\nmeasure: {agg: count}\nfilter: \"status " + ("refunded".equals(status)
                        ? "=" : "<>") + " 'refunded'\"\n", false, false);
                for (int repeat = 0; repeat < 2; repeat++) {
                    List<List<Object>> rows = post(query).then().statusCode(200).extract().jsonPath().getList("rows");
                    assertThat(((Number) rows.get(0).get(0)).longValue()).as(status + ", asked again: " + repeat)
                            .isEqualTo("refunded".equals(status) ? refunded : all - refunded);
                }
            }
        } finally {
            catalog.apply("catalog.yaml", example, false, true);
        }
    }

    @Test
    void leadConversionRateByReferrerAndDay() {
        Instant start = Instant.parse("2026-02-10T00:00:00Z");
        Instant end = start.plus(Duration.ofDays(1));
        Map<String, List<Instant>> conversions = new TreeMap<>();
        for (Map<String, Object> row : ExampleRows.of(DATA, "conversions")) {
            conversions.computeIfAbsent((String) row.get("lead_id"), k -> new ArrayList<>())
                    .add((Instant) row.get("converted_at"));
        }
        Map<String, int[]> counts = new TreeMap<>();
        for (Map<String, Object> lead : ExampleRows.of(DATA, "leads")) {
            Instant at = (Instant) lead.get("created_at");
            if (at.isBefore(start) || !at.isBefore(end)) {
                continue;
            }
            boolean converted = conversions.getOrDefault((String) lead.get("lead_id"), List.of()).stream()
                    .anyMatch(c -> !c.isBefore(at) && c.isBefore(at.plus(Duration.ofDays(7))));
            int[] c = counts.computeIfAbsent((String) lead.get("referrer"), k -> new int[2]);
            c[0] += converted ? 1 : 0;
            c[1]++;
        }
        var response = post("""
                {"metrics": ["lead_conversion_rate"], "group_by": ["metric_time__day", "referrer"],
                 "start": "2026-02-10", "end": "2026-02-11"}""");
        response.then().statusCode(200);
        List<List<Object>> rows = response.jsonPath().getList("rows");
        assertThat(rows).hasSize(4);
        for (List<Object> row : rows) {
            assertThat(row.get(0)).isEqualTo("2026-02-10T00:00:00Z");
            int[] c = counts.get((String) row.get(1));
            assertThat((Double) row.get(2)).isCloseTo((double) c[0] / c[1], within(1e-9));
        }
    }

    @Test
    void revenueByThePlanEachCustomerHadAtTheTimeOfEachOrder() {
        Instant start = Instant.parse("2026-02-01T00:00:00Z");
        Instant end = Instant.parse("2026-02-08T00:00:00Z");
        Map<String, List<Map<String, Object>>> profiles = new TreeMap<>();
        for (Map<String, Object> row : ExampleRows.of(DATA, "customer_profiles")) {
            profiles.computeIfAbsent((String) row.get("customer_id"), k -> new ArrayList<>()).add(row);
        }
        Map<String, Double> expected = new TreeMap<>(Comparator.nullsLast(Comparator.naturalOrder()));
        for (Map<String, Object> order : ExampleRows.of(DATA, "orders")) {
            Instant at = (Instant) order.get("ordered_at");
            if (at.isBefore(start) || !at.isBefore(end) || "refunded".equals(order.get("status"))) {
                continue;
            }
            // The newest profile row at or before the order, no older than the view's 365-day ttl.
            String plan = profiles.getOrDefault((String) order.get("customer_id"), List.of()).stream()
                    .filter(p -> !((Instant) p.get("updated_at")).isAfter(at)
                            && !((Instant) p.get("updated_at")).isBefore(at.minus(Duration.ofDays(365))))
                    .max(Comparator.comparing(p -> (Instant) p.get("updated_at")))
                    .map(p -> (String) p.get("plan")).orElse(null);
            expected.merge(plan, (Double) order.get("revenue"), Double::sum);
        }
        var response = post("""
                {"metrics": ["revenue"], "group_by": ["customer_profile__plan"],
                 "start": "2026-02-01", "end": "2026-02-08"}""");
        response.then().statusCode(200);
        List<List<Object>> rows = response.jsonPath().getList("rows");
        assertThat(rows).hasSize(expected.size());
        int i = 0;
        for (Map.Entry<String, Double> entry : expected.entrySet()) {
            assertThat(rows.get(i).get(0)).isEqualTo(entry.getKey());
            assertThat((Double) rows.get(i++).get(1)).isCloseTo(entry.getValue(), within(1e-6));
        }
    }

    @Test
    void arrowAnswerWhenAsked() throws Exception {
        double expected = ExampleRows.of(DATA, "orders").stream()
                .filter(o -> !"refunded".equals(o.get("status")) && "GB".equals(o.get("country")))
                .mapToDouble(o -> (Double) o.get("revenue")).sum();
        long idle = memory.allocatedBytes();
        byte[] bytes = given().contentType("application/json").accept(MetricQueryResource.ARROW_STREAM)
                .body("{\"metrics\": [\"revenue\"], \"where\": {\"country\": \"GB\"}}")
                .when().post("/api/v1/metrics/query").then().statusCode(200)
                .contentType(MetricQueryResource.ARROW_STREAM).extract().asByteArray();
        try (BufferAllocator allocator = new RootAllocator();
                ArrowStreamReader reader = new ArrowStreamReader(new ByteArrayInputStream(bytes), allocator)) {
            assertThat(reader.loadNextBatch()).isTrue();
            assertThat(reader.getVectorSchemaRoot().getSchema().getFields().get(0).getName()).isEqualTo("revenue");
            assertThat(((Float8Vector) reader.getVectorSchemaRoot().getVector(0)).get(0)).isCloseTo(expected,
                    within(1e-6));
        }
        MemoryAssertions.assertReturnsTo(memory, idle);
    }

    @Test
    void badQueriesAreProblemsNamingTheFault() {
        problem("{\"metrics\": [\"revenu\"]}", "unknown metric 'revenu'");
        problem("{\"metrics\": [\"revenue\", \"leads\"], \"group_by\": [\"referrer\"]}",
                "metric 'revenue' cannot be grouped by 'referrer'");
        problem("{\"metrics\": [\"revenue\"], \"group_by\": [\"metric_time__fortnight\"]}",
                "unknown time grain 'fortnight'");
        problem("{\"metrics\": [\"revenue\"], \"group_by\": [\"colour\"]}", "unknown dimension 'colour'");
        problem("{\"metrics\": [\"revenue\"], \"where\": [{\"dimension\": \"country\", \"op\": \"in\", \"value\": \"DE\"}]}",
                "op in takes a non-empty list \\\"values\\\"");
        problem("{\"metrics\": [\"revenue\"], \"where\": [{\"dimension\": \"country\", \"op\": \"=\", \"values\": [1]}]}",
                "op = takes one scalar");
        problem("{\"metrics\": [\"revenue\"], \"where\": [{\"dimension\": \"country\", \"op\": \"=\", \"value\": 5}]}",
                "the dimension holds text");
        problem("{\"metrics\": [\"revenue\"], \"where\": [{\"dimension\": \"country\", \"op\": \"like\", \"value\": \"D\"}]}",
                "'like' is not an op");
        problem("{\"metrics\": [\"revenue\"], \"start\": \"soon\"}", "'soon' is not a time");
        problem("{\"metrics\": [\"revenue\"], \"grup_by\": []}", "unknown field 'grup_by'");
        given().contentType("application/json").accept("text/csv").body("{\"metrics\": [\"revenue\"]}")
                .when().post("/api/v1/metrics/query").then().statusCode(406).contentType("application/problem+json");
    }

    private static void problem(String body, String detail) {
        post(body).then().statusCode(400).contentType("application/problem+json")
                .body("title", equalTo("Invalid metrics query"))
                .body("detail", containsString(detail.replace("\\\"", "\"")));
        Objects.requireNonNull(detail);
    }
}
