package dev.fletcher.server.experiment;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.fletcher.server.arrow.ArrowMemory;
import dev.fletcher.server.example.ExampleProfile;
import dev.fletcher.server.warehouse.Warehouses;
import dev.fletcher.spi.warehouse.Statement;
import dev.fletcher.spi.warehouse.WarehouseSession;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.config.JsonConfig;
import io.restassured.config.RestAssuredConfig;
import io.restassured.path.json.JsonPath;
import io.restassured.path.json.config.JsonPathConfig;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The example experiment through REST, checked against SQL the test writes itself; and the statistics helpers. */
@QuarkusTest
@TestProfile(ExampleProfile.class)
class ExperimentResourceTest {
    private static final RestAssuredConfig DOUBLES = RestAssuredConfig.config()
            .jsonConfig(JsonConfig.jsonConfig().numberReturnType(JsonPathConfig.NumberReturnType.DOUBLE));

    @Inject
    Warehouses warehouses;

    @Inject
    ArrowMemory memory;

    @BeforeEach
    void applyExample() throws Exception {
        given().contentType("application/yaml").body(Files.readAllBytes(Path.of("..", "examples", "catalog.yaml")))
                .when().post("/api/v1/catalog/apply").then().statusCode(200);
    }

    @Test
    void checkoutRedesignAnalysis() throws Exception {
        JsonPath result = given().config(DOUBLES).when().post("/api/v1/experiments/checkout_redesign/analysis")
                .then().statusCode(200).extract().jsonPath();
        assertThat(result.getString("experiment")).isEqualTo("checkout_redesign");

        // Subjects and per-variant mean revenue by a correlated subquery per subject, a different shape of SQL.
        Map<String, double[]> expected = new HashMap<>();
        long excluded = 0;
        try (WarehouseSession session = warehouses.get("default").openSession();
                BufferAllocator allocator = memory.child("experiment-test")) {
            try (ArrowReader reader = session.query(Statement.of("""
                    WITH f AS (SELECT customer_id, MIN(assigned_at) AS a, MIN(variant) AS v FROM assignments
                               GROUP BY customer_id HAVING COUNT(DISTINCT variant) = 1)
                    SELECT v, COUNT(*) AS n, AVG(COALESCE((SELECT SUM(o.revenue) FROM orders o
                        WHERE o.customer_id = f.customer_id AND o.status <> 'refunded'
                          AND o.ordered_at >= f.a AND o.ordered_at < f.a + INTERVAL 14 DAY), 0)) AS revenue
                    FROM f GROUP BY v"""), allocator)) {
                VectorSchemaRoot root = reader.getVectorSchemaRoot();
                while (reader.loadNextBatch()) {
                    List<FieldVector> v = root.getFieldVectors();
                    for (int i = 0; i < root.getRowCount(); i++) {
                        expected.put(v.get(0).getObject(i).toString(), new double[] {
                            ((Number) v.get(1).getObject(i)).doubleValue(), ((Number) v.get(2).getObject(i)).doubleValue()});
                    }
                }
            }
            try (ArrowReader reader = session.query(Statement.of("SELECT COUNT(*) FROM (SELECT customer_id FROM"
                    + " assignments GROUP BY customer_id HAVING COUNT(DISTINCT variant) > 1) AS x"), allocator)) {
                reader.loadNextBatch();
                excluded = ((Number) reader.getVectorSchemaRoot().getVector(0).getObject(0)).longValue();
            }
        }
        assertThat(excluded).isPositive();
        assertThat(result.getLong("excluded.multiple_variants")).isEqualTo(excluded);
        assertThat(result.getDouble("subjects.control")).isEqualTo(expected.get("control")[0]);
        assertThat(result.getDouble("subjects.treatment")).isEqualTo(expected.get("treatment")[0]);
        assertThat(result.getDouble("srm_p_value")).isBetween(0.0, 1.0);

        Map<String, Object> revenue = result.getMap("results.find { it.metric == 'revenue' }");
        assertThat(revenue.get("variant")).isEqualTo("treatment");
        @SuppressWarnings("unchecked")
        Map<String, Double> means = (Map<String, Double>) revenue.get("means");
        assertThat(means.get("control")).isCloseTo(expected.get("control")[1], within(1e-6 * expected.get("control")[1]));
        assertThat(means.get("treatment")).isCloseTo(expected.get("treatment")[1],
                within(1e-6 * expected.get("treatment")[1]));
        double estimate = result.getDouble("results.find { it.metric == 'revenue' }.unadjusted.estimate");
        assertThat(estimate).isCloseTo(means.get("treatment") - means.get("control"), within(1e-9));
        for (String field : List.of("std_error", "ci_low", "ci_high", "p_value", "relative.estimate")) {
            assertThat(result.getDouble("results.find { it.metric == 'revenue' }.unadjusted." + field)).isNotNull();
        }
        String cuped = "results.find { it.metric == 'revenue' }.cuped.";
        assertThat(result.getList(cuped + "covariates")).containsExactly("revenue");
        assertThat(result.getDouble(cuped + "variance_reduction")).isBetween(0.0, 1.0);
        assertThat(result.getDouble(cuped + "std_error")).isLessThan(
                result.getDouble("results.find { it.metric == 'revenue' }.unadjusted.std_error"));
        assertThat(result.getDouble(cuped + "std_error_hc1")).isPositive();
        assertThat(result.getDouble(cuped + "ci_low")).isLessThan(result.getDouble(cuped + "ci_high"));
        assertThat(result.getList("results.metric")).containsExactlyInAnyOrder("revenue", "orders");
    }

    @Test
    void optionsAndErrors() {
        JsonPath off = given().contentType("application/json").body("{\"cuped\": false}")
                .when().post("/api/v1/experiments/checkout_redesign/analysis").then().statusCode(200)
                .extract().jsonPath();
        assertThat(off.getList("results.cuped")).containsOnlyNulls();
        given().contentType("application/json").body("{\"cuped\": {\"covariates\": [\"orders\"], \"ridge\": 0.5}}")
                .when().post("/api/v1/experiments/checkout_redesign/analysis").then().statusCode(200);

        given().contentType("application/json").body("{\"cuped\": {\"covariates\": [\"no_such_metric\"]}}")
                .when().post("/api/v1/experiments/checkout_redesign/analysis").then().statusCode(400)
                .contentType("application/problem+json")
                .body("detail", org.hamcrest.Matchers.containsString("no_such_metric"));
        given().contentType("application/json").body("{\"cupd\": false}")
                .when().post("/api/v1/experiments/checkout_redesign/analysis").then().statusCode(400)
                .contentType("application/problem+json");
        given().contentType("application/json").body("{not json")
                .when().post("/api/v1/experiments/checkout_redesign/analysis").then().statusCode(400);
        given().when().post("/api/v1/experiments/nope/analysis").then().statusCode(404)
                .contentType("application/problem+json");
    }

    @Test
    void compareSummaryStatistics() {
        // control 1..5, treatment 2,4,...,12: difference 4, Welch SE sqrt(14/6 + 2.5/5).
        JsonPath e = given().config(DOUBLES).contentType("application/json").body("""
                {"variants": {"control": {"n": 5, "sum": 15, "sum_squares": 55},
                              "treatment": {"n": 6, "sum": 42, "sum_squares": 364}}}""")
                .when().post("/api/v1/stats/compare").then().statusCode(200).extract().jsonPath();
        assertThat(e.getDouble("estimate")).isCloseTo(4.0, within(1e-12));
        assertThat(e.getDouble("std_error")).isCloseTo(Math.sqrt(14.0 / 6 + 0.5), within(1e-12));
        assertThat(e.getDouble("relative.estimate")).isCloseTo(4.0 / 3, within(1e-12));
        given().contentType("application/json").body("{\"variants\": {\"control\": {\"n\": 1, \"sum\": 1,"
                + " \"sum_squares\": 1}, \"treatment\": {\"n\": 5, \"sum\": 1, \"sum_squares\": 1}}}")
                .when().post("/api/v1/stats/compare").then().statusCode(400).contentType("application/problem+json");
    }

    @Test
    void power() {
        JsonPath p = given().config(DOUBLES).contentType("application/json")
                .body("{\"baseline_rate\": 0.02, \"mde_relative\": 0.10, \"alpha\": 0.05, \"power\": 0.8}")
                .when().post("/api/v1/power").then().statusCode(200).extract().jsonPath();
        double root = 1.959964 * Math.sqrt(2 * 0.02 * 0.98) + 0.841621 * Math.sqrt(0.02 * 0.98 + 0.022 * 0.978);
        assertThat(p.getDouble("n_per_variant")).isCloseTo(Math.ceil(root * root / 4e-6), within(1.0));
        JsonPath reduced = given().config(DOUBLES).contentType("application/json")
                .body("{\"baseline_rate\": 0.02, \"mde_relative\": 0.10, \"variance_reduction\": 0.4}")
                .when().post("/api/v1/power").then().statusCode(200).extract().jsonPath();
        assertThat(reduced.getDouble("n_per_variant")).isCloseTo(0.6 * p.getDouble("n_per_variant"), within(1.0));
        given().contentType("application/json").body("{\"baseline_rate\": 2, \"mde_relative\": 0.1}")
                .when().post("/api/v1/power").then().statusCode(400).contentType("application/problem+json")
                .body("detail", org.hamcrest.Matchers.containsString("baseline_rate"));
        given().contentType("application/json").body("{\"baseline_rate\": 0.02}")
                .when().post("/api/v1/power").then().statusCode(400).contentType("application/problem+json");
    }
}
