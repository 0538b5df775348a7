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
    void checkoutRedesignByDay() throws Exception {
        JsonPath result = given().config(DOUBLES).when()
                .post("/api/v1/experiments/checkout_redesign/analysis?by=day").then().statusCode(200)
                .extract().jsonPath();
        List<Map<String, Object>> days = result.getList("by_day");
        assertThat(days).hasSizeGreaterThan(2);
        // Every day from the first assignment's (UTC) on, in order.
        java.time.LocalDate first;
        try (WarehouseSession session = warehouses.get("default").openSession();
                BufferAllocator allocator = memory.child("experiment-test");
                ArrowReader reader = session.query(Statement.of("SELECT CAST(CAST(MIN(assigned_at) AS DATE) AS VARCHAR)"
                        + " FROM assignments"), allocator)) {
            reader.loadNextBatch();
            first = java.time.LocalDate.parse(reader.getVectorSchemaRoot().getVector(0).getObject(0).toString());
        }
        for (int d = 0; d < days.size(); d++) {
            assertThat(days.get(d).get("date")).isEqualTo(first.plusDays(d).toString());
        }
        // Subjects only accumulate; the last day saw every window end, so it is the whole result.
        for (int d = 1; d < days.size(); d++) {
            assertThat(result.getDouble("by_day[" + d + "].subjects.control"))
                    .isGreaterThanOrEqualTo(result.getDouble("by_day[" + (d - 1) + "].subjects.control"));
        }
        int last = days.size() - 1;
        assertThat(result.getMap("by_day[" + last + "].subjects")).isEqualTo(result.getMap("subjects"));
        for (String field : List.of("unadjusted.estimate", "unadjusted.relative.ci_low", "cuped.estimate",
                "cuped.std_error_hc1")) {
            double whole = result.getDouble("results.find { it.metric == 'revenue' }." + field);
            assertThat(result.getDouble("by_day[" + last + "].results.find { it.metric == 'revenue' }." + field))
                    .isCloseTo(whole, within(1e-6 * Math.abs(whole)));
        }
        assertThat(result.getDouble("by_day[" + last + "].srm_p_value")).isCloseTo(result.getDouble("srm_p_value"),
                within(1e-9));
        // The first day has fewer subjects than the end.
        assertThat(result.getDouble("by_day[0].subjects.control")).isLessThan(result.getDouble("subjects.control"));

        // Sequential: every day carries its always-valid interval of the relative lift.
        JsonPath sequential = given().config(DOUBLES).contentType("application/json")
                .body("{\"analysis\": {\"sequential\": true}}")
                .when().post("/api/v1/experiments/checkout_redesign/analysis?by=day").then().statusCode(200)
                .extract().jsonPath();
        assertThat(sequential.getList("by_day.results.unadjusted.relative.sequential.ci_low").toString())
                .doesNotContain("null");
    }

    @Test
    void checkoutRedesignByPlanAtAssignment() throws Exception {
        JsonPath result = given().config(DOUBLES).when()
                .post("/api/v1/experiments/checkout_redesign/analysis?slice=customer_profile__plan").then()
                .statusCode(200).extract().jsonPath();
        assertThat(result.getString("slice")).isEqualTo("customer_profile__plan");
        // The plan each kept subject had at its first assignment, by a correlated subquery per subject.
        Map<String, Double> expected = new HashMap<>();
        try (WarehouseSession session = warehouses.get("default").openSession();
                BufferAllocator allocator = memory.child("experiment-test");
                ArrowReader reader = session.query(Statement.of("""
                    WITH f AS (SELECT customer_id, MIN(assigned_at) AS a, MIN(variant) AS v FROM assignments
                               GROUP BY customer_id HAVING COUNT(DISTINCT variant) = 1)
                    SELECT COALESCE((SELECT p.plan FROM customer_profiles p WHERE p.customer_id = f.customer_id
                               AND p.updated_at <= f.a AND p.updated_at >= f.a - INTERVAL 365 DAY
                               ORDER BY p.updated_at DESC LIMIT 1), '(none)') AS plan, v, COUNT(*) AS n
                    FROM f GROUP BY 1, 2"""), allocator)) {
            VectorSchemaRoot root = reader.getVectorSchemaRoot();
            while (reader.loadNextBatch()) {
                List<FieldVector> v = root.getFieldVectors();
                for (int i = 0; i < root.getRowCount(); i++) {
                    expected.put(v.get(0).getObject(i) + "/" + v.get(1).getObject(i),
                            ((Number) v.get(2).getObject(i)).doubleValue());
                }
            }
        }
        List<Map<String, Object>> slices = result.getList("slices");
        assertThat(slices).hasSizeGreaterThan(1);
        Map<String, Double> actual = new HashMap<>();
        for (int s = 0; s < slices.size(); s++) {
            String value = result.getString("slices[" + s + "].value");
            for (String variant : List.of("control", "treatment")) {
                double n = result.getDouble("slices[" + s + "].subjects." + variant);
                if (n > 0) {
                    actual.put((value == null ? "(none)" : value) + "/" + variant, n);
                }
            }
            assertThat(result.getDouble("slices[" + s + "].srm_p_value")).isBetween(0.0, 1.0);
            assertThat(result.getList("slices[" + s + "].results.metric")).containsExactlyInAnyOrder("revenue",
                    "orders");
        }
        assertThat(actual).isEqualTo(expected);
    }

    @Test
    void breakdownErrors() {
        given().when().post("/api/v1/experiments/checkout_redesign/analysis?slice=planet").then().statusCode(400)
                .contentType("application/problem+json")
                .body("detail", org.hamcrest.Matchers.containsString("unknown slice 'planet'"))
                .body("detail", org.hamcrest.Matchers.containsString("customer_profile__plan"));
        given().when().post("/api/v1/experiments/checkout_redesign/analysis?slice=customer_orders__orders_7d")
                .then().statusCode(400).contentType("application/problem+json")
                .body("detail", org.hamcrest.Matchers.containsString("latest-value"));
        given().when().post("/api/v1/experiments/checkout_redesign/analysis?by=week").then().statusCode(400)
                .contentType("application/problem+json")
                .body("detail", org.hamcrest.Matchers.containsString("by must be 'day'"));
        given().when().post("/api/v1/experiments/checkout_redesign/analysis?by=day&slice=customer_profile__plan")
                .then().statusCode(400).contentType("application/problem+json")
                .body("detail", org.hamcrest.Matchers.containsString("cannot be combined"));
        given().when().post("/api/v1/experiments/checkout_redesign/analysis?slice=").then().statusCode(400)
                .contentType("application/problem+json")
                .body("detail", org.hamcrest.Matchers.containsString("slice is empty"));
        given().when().post("/api/v1/experiments/checkout_redesign/analysis?by=").then().statusCode(400)
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

    /** The confidence sequence of the issue, α = 0.05: {low, high, always-valid p}. */
    private static double[] sequence(double estimate, double se, double n, double tuning) {
        double alpha = 0.05;
        double rho = Math.sqrt((-2 * Math.log(alpha) + Math.log(-2 * Math.log(alpha) + 1)) / tuning);
        double half = Math.sqrt(se * se * n) * Math.sqrt(2 * (n * rho * rho + 1)
                * Math.log(Math.sqrt(n * rho * rho + 1) / alpha) / Math.pow(n * rho, 2));
        double e = Math.exp(rho * rho * (estimate * estimate * n / (se * se)) / (2 * (n * rho * rho + 1)))
                / Math.sqrt(n * rho * rho + 1);
        return new double[] {estimate - half, estimate + half, Math.min(1 / e, 1)};
    }

    @Test
    void compareSequentially() {
        // control n 400, mean 10, sd 4; treatment n 420, mean 10.9, sd 4.5, as sums.
        String groups = "{\"control\": {\"n\": 400, \"sum\": 4000, \"sum_squares\": " + (16.0 * 399 + 4000.0 * 4000 / 400)
                + "}, \"treatment\": {\"n\": 420, \"sum\": " + 10.9 * 420 + ", \"sum_squares\": "
                + (4.5 * 4.5 * 419 + Math.pow(10.9 * 420, 2) / 420) + "}}";
        double se = Math.sqrt(16.0 / 400 + 4.5 * 4.5 / 420);
        double estimate = 0.9;
        double relSe = Math.sqrt(4.5 * 4.5 / 420 / 100 + 10.9 * 10.9 * 16.0 / 400 / 10_000);
        for (double tuning : new double[] {5000, 800}) {
            String body = "{\"variants\": " + groups + ", \"sequential\": true"
                    + (tuning == 5000 ? "" : ", \"sequential_tuning\": " + tuning) + "}";
            JsonPath e = given().config(DOUBLES).contentType("application/json").body(body)
                    .when().post("/api/v1/stats/compare").then().statusCode(200).extract().jsonPath();
            double[] expected = sequence(estimate, se, 820, tuning);
            assertThat(e.getDouble("estimate")).isCloseTo(estimate, within(1e-9));
            assertThat(e.getDouble("sequential.tuning")).isEqualTo(tuning);
            assertThat(e.getDouble("sequential.ci_low")).isCloseTo(expected[0], within(1e-9));
            assertThat(e.getDouble("sequential.ci_high")).isCloseTo(expected[1], within(1e-9));
            assertThat(e.getDouble("sequential.p_value")).isCloseTo(expected[2], within(1e-9));
            double[] relative = sequence(0.09, relSe, 820, tuning);
            assertThat(e.getDouble("relative.std_error")).isCloseTo(relSe, within(1e-12));
            assertThat(e.getDouble("relative.sequential.ci_low")).isCloseTo(relative[0], within(1e-9));
            assertThat(e.getDouble("relative.sequential.ci_high")).isCloseTo(relative[1], within(1e-9));
            // The fixed-horizon figures stay where they were, and are narrower.
            assertThat(e.getDouble("ci_low")).isGreaterThan(expected[0]);
            assertThat(e.getDouble("ci_high")).isLessThan(expected[1]);
            assertThat(e.getDouble("p_value")).isLessThan(expected[2]);
        }
        JsonPath plain = given().config(DOUBLES).contentType("application/json").body("{\"variants\": " + groups + "}")
                .when().post("/api/v1/stats/compare").then().statusCode(200).extract().jsonPath();
        assertThat((Object) plain.get("sequential")).isNull();

        for (String bad : List.of(", \"sequential\": \"yes\"", ", \"sequential_tuning\": 100",
                ", \"sequential\": true, \"sequential_tuning\": -1", ", \"sequential\": true, \"sequential_tuning\": 1e-300", ", \"sequential\": true, \"sequential_tuning\": \"x\"")) {
            given().contentType("application/json").body("{\"variants\": " + groups + bad + "}")
                    .when().post("/api/v1/stats/compare").then().statusCode(400).contentType("application/problem+json")
                    .body("detail", org.hamcrest.Matchers.containsString("sequential"));
        }
    }

    @Test
    void checkoutRedesignSequentially() {
        JsonPath fixed = given().config(DOUBLES).when().post("/api/v1/experiments/checkout_redesign/analysis")
                .then().statusCode(200).extract().jsonPath();
        assertThat(fixed.getString("analysis.interval")).isEqualTo("fixed_horizon");
        assertThat(fixed.getString("results[0].decision.interval")).isEqualTo("fixed_horizon");
        assertThat(fixed.getMap("results[0].unadjusted")).doesNotContainKey("sequential");

        JsonPath result = given().config(DOUBLES).contentType("application/json")
                .body("{\"analysis\": {\"sequential\": true}}")
                .when().post("/api/v1/experiments/checkout_redesign/analysis").then().statusCode(200).extract().jsonPath();
        assertThat(result.getString("analysis.interval")).isEqualTo("sequential");
        assertThat(result.getDouble("analysis.sequential_tuning")).isEqualTo(5000.0);
        double n = result.getDouble("subjects.control") + result.getDouble("subjects.treatment");
        for (String metric : List.of("revenue", "orders")) {
            String at = "results.find { it.metric == '" + metric + "' }.";
            for (String block : List.of("unadjusted.", "cuped.")) {
                if (result.get(at + block.substring(0, block.length() - 1)) == null) {
                    continue;
                }
                double estimate = result.getDouble(at + block + "estimate");
                double[] expected = sequence(estimate, result.getDouble(at + block + "std_error"), n, 5000);
                assertThat(result.getDouble(at + block + "sequential.ci_low")).isCloseTo(expected[0], within(1e-9));
                assertThat(result.getDouble(at + block + "sequential.ci_high")).isCloseTo(expected[1], within(1e-9));
                assertThat(result.getDouble(at + block + "sequential.p_value")).isCloseTo(expected[2], within(1e-9));
                double[] relative = sequence(result.getDouble(at + block + "relative.estimate"),
                        result.getDouble(at + block + "relative.std_error"), n, 5000);
                assertThat(result.getDouble(at + block + "relative.sequential.ci_high"))
                        .isCloseTo(relative[1], within(1e-9));
                // Wider than the fixed-horizon interval, which is unchanged.
                assertThat(result.getDouble(at + block + "sequential.ci_low")).isLessThan(result.getDouble(at + block + "ci_low"));
                assertThat(result.getDouble(at + block + "sequential.ci_high"))
                        .isGreaterThan(result.getDouble(at + block + "ci_high"));
                double fixedLow = fixed.getDouble(at + block + "ci_low");
                assertThat(result.getDouble(at + block + "ci_low")).isCloseTo(fixedLow, within(1e-9 * Math.abs(fixedLow)));
            }
        }
        String revenue = "results.find { it.metric == 'revenue' }.";
        assertThat(result.getString(revenue + "decision.estimate")).isEqualTo("cuped");
        assertThat(result.getString(revenue + "decision.interval")).isEqualTo("sequential");
        assertThat(result.getDouble(revenue + "decision.p_value")).isEqualTo(result.getDouble(revenue + "cuped.sequential.p_value"));

        given().contentType("application/json").body("{\"analysis\": {\"sequential\": true, \"tuning\": 0}}")
                .when().post("/api/v1/experiments/checkout_redesign/analysis").then().statusCode(400)
                .contentType("application/problem+json").body("detail", org.hamcrest.Matchers.containsString("tuning"));
        given().contentType("application/json").body("{\"analysis\": {\"correction\": \"bonferroni\"}}")
                .when().post("/api/v1/experiments/checkout_redesign/analysis").then().statusCode(400)
                .body("detail", org.hamcrest.Matchers.containsString("holm"));
        given().contentType("application/json").body("{\"analysis\": {\"alpha\": 0.1}}")
                .when().post("/api/v1/experiments/checkout_redesign/analysis").then().statusCode(400)
                .body("detail", org.hamcrest.Matchers.containsString("alpha"));
    }

    @Test
    void guardrailsCorrectionAndBayesianFromTheDefinition() {
        given().contentType("application/yaml").body("""
                kind: metric
                name: big_orders_test
                source: orders
                entity: customer
                measure: {agg: count}
                filter: "revenue > 100"
                ---
                kind: experiment
                name: checkout_guarded_test
                entity: customer
                assignments: {source: assignments, variant: variant}
                window: 14d
                metrics: [revenue, orders]
                guardrail_metrics: [big_orders_test]
                cuped: {lookback: 14d}
                analysis: {sequential: true, tuning: 20000, correction: holm, bayesian: {prior_mean: 0, prior_sd: 0.3}}
                """.getBytes(java.nio.charset.StandardCharsets.UTF_8)).when().post("/api/v1/catalog/apply")
                .then().statusCode(200);
        JsonPath result = given().config(DOUBLES).when().post("/api/v1/experiments/checkout_guarded_test/analysis")
                .then().statusCode(200).extract().jsonPath();
        assertThat(result.getString("analysis.correction")).isEqualTo("holm");
        // Sequential by the definition, with its own N*: the decisions use the always-valid figures.
        assertThat(result.getString("analysis.interval")).isEqualTo("sequential");
        assertThat(result.getDouble("analysis.sequential_tuning")).isEqualTo(20_000.0);
        double n = result.getDouble("subjects.control") + result.getDouble("subjects.treatment");
        double[] cuped = sequence(result.getDouble("results[0].cuped.estimate"),
                result.getDouble("results[0].cuped.std_error"), n, 20_000);
        assertThat(result.getDouble("results[0].cuped.sequential.ci_low")).isCloseTo(cuped[0], within(1e-9));
        assertThat(result.getDouble("results[0].decision.p_value")).isCloseTo(cuped[2], within(1e-9));
        assertThat(result.getString("results[0].decision.interval")).isEqualTo("sequential");
        assertThat(result.getList("results.metric")).containsExactly("revenue", "orders", "big_orders_test");
        assertThat(result.getList("results.guardrail")).containsExactly(false, false, true);
        double p1 = result.getDouble("results[0].decision.p_value");
        double p2 = result.getDouble("results[1].decision.p_value");
        // Holm over two by hand: the smaller doubled, the larger as is, then no smaller than the first.
        double low = Math.min(1, 2 * Math.min(p1, p2));
        double high = Math.max(low, Math.max(p1, p2));
        assertThat(result.getDouble("results[0].decision.p_value_adjusted")).isEqualTo(p1 <= p2 ? low : high);
        assertThat(result.getDouble("results[1].decision.p_value_adjusted")).isEqualTo(p1 <= p2 ? high : low);
        assertThat(result.getString("results[2].decision.p_value_adjusted")).isNull();
        assertThat(result.getBoolean("results[0].decision.significant"))
                .isEqualTo(result.getDouble("results[0].decision.p_value_adjusted") < 0.05);

        // The Bayesian read-out of revenue's CUPED relative lift, by the conjugate normal update.
        double lift = result.getDouble("results[0].cuped.relative.estimate");
        double se = result.getDouble("results[0].cuped.relative.std_error");
        double precision = 1 / 0.09 + 1 / (se * se);
        double mean = lift / (se * se) / precision;
        double sd = Math.sqrt(1 / precision);
        assertThat(result.getString("results[0].bayesian.estimate")).isEqualTo("cuped");
        assertThat(result.getDouble("results[0].bayesian.lift_mean")).isCloseTo(mean, within(1e-12));
        assertThat(result.getDouble("results[0].bayesian.lift_sd")).isCloseTo(sd, within(1e-12));
        assertThat(result.getDouble("results[0].bayesian.ci_low")).isCloseTo(mean - 1.959964 * sd, within(1e-6));
        double chance = result.getDouble("results[0].bayesian.chance_to_win");
        assertThat(chance).isBetween(0.0, 1.0);
        // E[max(0, X)] − E[max(0, −X)] = E[X]: the two losses differ by the posterior mean.
        assertThat(result.getDouble("results[0].bayesian.expected_loss.control")
                - result.getDouble("results[0].bayesian.expected_loss.treatment")).isCloseTo(mean, within(1e-12));
    }

    @Test
    void quantileMetricsAgainstTheSubjectsOrderStatistics() throws Exception {
        given().contentType("application/yaml").body("""
                kind: experiment
                name: checkout_quantiles_test
                entity: customer
                assignments: {source: assignments, variant: variant}
                window: 14d
                metrics: [orders]
                quantile_metrics:
                  - {metric: revenue, quantile: 0.5}
                  - {metric: revenue, quantile: 0.9, guardrail: true}
                analysis: {correction: holm}
                """.getBytes(java.nio.charset.StandardCharsets.UTF_8)).when().post("/api/v1/catalog/apply")
                .then().statusCode(200);
        JsonPath result = given().config(DOUBLES).when().post("/api/v1/experiments/checkout_quantiles_test/analysis")
                .then().statusCode(200).extract().jsonPath();

        // Every kept subject's 14-day revenue, by a correlated subquery: the test sorts them itself.
        Map<String, List<Double>> values = new HashMap<>();
        try (WarehouseSession session = warehouses.get("default").openSession();
                BufferAllocator allocator = memory.child("experiment-quantile-test");
                ArrowReader reader = session.query(Statement.of("""
                    WITH f AS (SELECT customer_id, MIN(assigned_at) AS a, MIN(variant) AS v FROM assignments
                               GROUP BY customer_id HAVING COUNT(DISTINCT variant) = 1)
                    SELECT v, CAST(COALESCE((SELECT SUM(o.revenue) FROM orders o
                        WHERE o.customer_id = f.customer_id AND o.status <> 'refunded'
                          AND o.ordered_at >= f.a AND o.ordered_at < f.a + INTERVAL 14 DAY), 0) AS DOUBLE) AS revenue
                    FROM f"""), allocator)) {
            VectorSchemaRoot root = reader.getVectorSchemaRoot();
            while (reader.loadNextBatch()) {
                for (int i = 0; i < root.getRowCount(); i++) {
                    values.computeIfAbsent(root.getVector(0).getObject(i).toString(), v -> new java.util.ArrayList<>())
                            .add(((Number) root.getVector(1).getObject(i)).doubleValue());
                }
            }
        }
        double z = 1.959963984540054;
        assertThat(result.getList("results.metric")).containsExactly("orders", "revenue", "revenue");
        for (double p : new double[] {0.5, 0.9}) {
            String at = "results.find { it.quantile?.probability == " + p + " }.";
            double[][] picked = new double[2][];
            int g = 0;
            for (String variant : List.of("control", "treatment")) {
                double[] x = values.get(variant).stream().mapToDouble(Double::doubleValue).sorted().toArray();
                int n = x.length;
                double half = z * Math.sqrt(n * p * (1 - p));
                // x(⌈np⌉) and the order statistics at ⌊np − z√(np(1−p))⌋ and ⌈np + z√(np(1−p))⌉.
                picked[g] = new double[] {x[(int) Math.ceil(n * p) - 1], x[(int) Math.floor(n * p - half) - 1],
                    x[(int) Math.ceil(n * p + half) - 1]};
                String v = at + "quantile.variants." + variant + ".";
                assertThat(result.getDouble(v + "estimate")).isCloseTo(picked[g][0], within(1e-9));
                assertThat(result.getDouble(v + "ci_low")).isCloseTo(picked[g][1], within(1e-9));
                assertThat(result.getDouble(v + "ci_high")).isCloseTo(picked[g][2], within(1e-9));
                assertThat(result.getDouble(at + "means." + variant)).isCloseTo(picked[g][0], within(1e-9));
                g++;
            }
            double se = Math.hypot(picked[0][2] - picked[0][1], picked[1][2] - picked[1][1]) / (2 * z);
            assertThat(result.getDouble(at + "unadjusted.estimate")).isCloseTo(picked[1][0] - picked[0][0], within(1e-9));
            assertThat(result.getDouble(at + "unadjusted.std_error")).isCloseTo(se, within(1e-9));
            assertThat(result.getString(at + "decision.estimate")).isEqualTo("unadjusted");
            assertThat(result.getBoolean(at + "guardrail")).isEqualTo(p == 0.9);
            assertThat(result.getList(at + "messages", String.class))
                    .anyMatch(m -> m.contains("CUPED does not apply to quantiles"));
        }
        // The P90 is a guardrail: left out of the correction; orders and the median are its family.
        assertThat(result.getString("results.find { it.quantile?.probability == 0.9 }.decision.p_value_adjusted"))
                .isNull();
        assertThat(result.getDouble("results.find { it.quantile?.probability == 0.5 }.decision.p_value_adjusted"))
                .isGreaterThanOrEqualTo(result.getDouble("results.find { it.quantile?.probability == 0.5 }.decision.p_value"));

        Map<String, Object> problem = given().contentType("application/yaml").body("""
                kind: experiment
                name: checkout_quantiles_test
                entity: customer
                assignments: {source: assignments, variant: variant}
                window: 14d
                metrics: [orders]
                quantile_metrics: [{metric: revenue, quantile: 99}]
                """.getBytes(java.nio.charset.StandardCharsets.UTF_8)).when().post("/api/v1/catalog/apply")
                .then().statusCode(400).contentType("application/problem+json").extract().jsonPath()
                .getMap("errors[0]");
        assertThat(problem.get("field")).isEqualTo("quantile_metrics[0].quantile");
        assertThat(problem.get("line")).isEqualTo(7);
        assertThat((String) problem.get("message")).contains("strictly between 0 and 1");
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
