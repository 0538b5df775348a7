package dev.fletcher.server.sdk;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fletcher.sdk.FletcherClient;
import dev.fletcher.sdk.FletcherException;
import dev.fletcher.sdk.MetricQuery;
import dev.fletcher.sdk.MetricQuery.Filter;
import dev.fletcher.sdk.MetricQueryResult;
import dev.fletcher.examples.ExampleData;
import dev.fletcher.server.example.ExampleProfile;
import dev.fletcher.server.example.ExampleRows;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * {@link FletcherClient#queryMetrics} on the example data: the same rows, types and SQL as a hand-written REST request
 * for the same query, and values checked against the generator's own rows.
 */
@QuarkusTest
@TestProfile(ExampleProfile.class)
class MetricQuerySdkTest extends ExampleCatalogClient {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void revenueAndOrdersByDayAndCountry() throws Exception {
        MetricQueryResult answer = fletcher.queryMetrics(MetricQuery.of("revenue", "orders")
                .groupBy("metric_time__day", "country")
                .where(Filter.in("country", "DE", "FR"))
                .between(LocalDate.parse("2026-02-01"), LocalDate.parse("2026-02-04"))
                .orderBy("metric_time__day", "country"));

        assertSameAsRest(answer, """
                {"metrics": ["revenue", "orders"], "group_by": ["metric_time__day", "country"],
                 "where": [{"dimension": "country", "op": "in", "values": ["DE", "FR"]}],
                 "start": "2026-02-01", "end": "2026-02-04", "order_by": ["metric_time__day", "country"]}""");

        // Independently, from the generator's rows: revenue skips refunded orders, orders counts them all.
        Instant start = Instant.parse("2026-02-01T00:00:00Z");
        Instant end = Instant.parse("2026-02-04T00:00:00Z");
        Map<String, double[]> expected = new TreeMap<>();
        for (Map<String, Object> order : ExampleRows.of(ExampleData.generate(), "orders")) {
            Instant at = (Instant) order.get("ordered_at");
            String country = (String) order.get("country");
            if (at.isBefore(start) || !at.isBefore(end) || !List.of("DE", "FR").contains(country)) {
                continue;
            }
            double[] sums = expected.computeIfAbsent(at.truncatedTo(ChronoUnit.DAYS) + "|" + country,
                    k -> new double[2]);
            if (!"refunded".equals(order.get("status"))) {
                sums[0] += (Double) order.get("revenue");
            }
            sums[1]++;
        }
        assertThat(answer.columns()).containsExactly("metric_time__day", "country", "revenue", "orders");
        assertThat(answer.rowCount()).isEqualTo(expected.size()).isEqualTo(6);
        int row = 0;
        for (Map.Entry<String, double[]> group : expected.entrySet()) {
            assertThat(answer.time(row, "metric_time__day") + "|" + answer.text(row, "country"))
                    .isEqualTo(group.getKey());
            assertThat(answer.number(row, "revenue")).isCloseTo(group.getValue()[0], within(1e-6));
            assertThat(answer.value(row, "orders")).isEqualTo((long) group.getValue()[1]);
            row++;
        }
        assertThat(answer.sql()).contains("SELECT").doesNotContain("'DE'");
    }

    @Test
    void timeFiltersFillDescendingOrderAndLimit() throws Exception {
        MetricQueryResult answer = fletcher.queryMetrics(MetricQuery.of("revenue_per_order", "orders")
                .groupBy("metric_time__day")
                .where(Filter.ge("metric_time__day", Instant.parse("2026-02-10T00:00:00Z")),
                        Filter.notIn("country", List.of("US")), Filter.isNotNull("channel"))
                .between(Instant.parse("2026-02-08T00:00:00Z"), Instant.parse("2026-02-20T00:00:00Z"))
                .fill(true)
                .orderBy("-orders")
                .limit(4));

        assertSameAsRest(answer, """
                {"metrics": ["revenue_per_order", "orders"], "group_by": ["metric_time__day"],
                 "where": [{"dimension": "metric_time__day", "op": ">=", "value": "2026-02-10T00:00:00Z"},
                           {"dimension": "country", "op": "not_in", "values": ["US"]},
                           {"dimension": "channel", "op": "is_not_null"}],
                 "start": "2026-02-08T00:00:00Z", "end": "2026-02-20T00:00:00Z", "fill": true,
                 "order_by": ["-orders"], "limit": 4}""");
        assertThat(answer.rowCount()).isEqualTo(4);
        for (int row = 0; row < answer.rowCount(); row++) {
            assertThat(answer.time(row, "metric_time__day")).isAfterOrEqualTo(Instant.parse("2026-02-10T00:00:00Z"));
            if (row > 0) {
                assertThat(answer.number(row, "orders")).isLessThanOrEqualTo(answer.number(row - 1, "orders"));
            }
        }
        assertThat(answer.row(0)).containsOnlyKeys("metric_time__day", "revenue_per_order", "orders");
    }

    @Test
    void oneRowWithoutGroupBy() throws Exception {
        MetricQueryResult answer = fletcher.queryMetrics(MetricQuery.of("leads", "prediction_accuracy")
                .where(Filter.eq("referrer", "google")));
        assertSameAsRest(answer, """
                {"metrics": ["leads", "prediction_accuracy"],
                 "where": [{"dimension": "referrer", "op": "=", "value": "google"}]}""");
        long googleLeads = ExampleRows.of(ExampleData.generate(), "leads").stream()
                .filter(lead -> "google".equals(lead.get("referrer"))).count();
        assertThat(answer.rowCount()).isOne();
        assertThat(answer.value(0, "leads")).isEqualTo(googleLeads);
        assertThat(answer.number(0, "prediction_accuracy")).isBetween(0.0, 1.0);
    }

    @Test
    void aBadQueryIsTheServersProblem() {
        String restDetail = given().contentType("application/json")
                .body("{\"metrics\": [\"revenu\"]}").when().post("/api/v1/metrics/query")
                .then().statusCode(400).extract().path("detail");
        assertThatThrownBy(() -> fletcher.queryMetrics(MetricQuery.of("revenu")))
                .isInstanceOfSatisfying(FletcherException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.detail()).isEqualTo(restDetail).contains("revenue");
                });
        assertThatThrownBy(() -> fletcher.queryMetrics(MetricQuery.of("revenue").where(Filter.eq("country", 7))))
                .isInstanceOfSatisfying(FletcherException.class, e -> assertThat(e.status()).isEqualTo(400));
    }

    /** Every column, value (and its Java type) and the SQL equal what the REST API answers for {@code body}. */
    private static void assertSameAsRest(MetricQueryResult answer, String body) throws Exception {
        String text = given().contentType("application/json").body(body).when().post("/api/v1/metrics/query")
                .then().statusCode(200).extract().asString();
        JsonNode rest = JSON.readTree(text);
        assertThat(answer.columns()).containsExactlyElementsOf(
                JSON.convertValue(rest.get("columns"), JSON.getTypeFactory().constructCollectionType(List.class,
                        String.class)));
        assertThat(answer.sql()).isEqualTo(rest.get("sql").asText());
        assertThat(answer.rowCount()).isEqualTo(rest.get("rows").size());
        for (int row = 0; row < answer.rowCount(); row++) {
            for (int column = 0; column < answer.columns().size(); column++) {
                JsonNode expected = rest.get("rows").get(row).get(column);
                Object actual = answer.rows().get(row).get(column);
                String at = "row " + row + ", column " + answer.columns().get(column);
                if (expected.isNull()) {
                    assertThat(actual).as(at).isNull();
                } else if (expected.isIntegralNumber()) {
                    assertThat(actual).as(at).isEqualTo(expected.longValue());
                } else if (expected.isNumber()) {
                    assertThat((Double) actual).as(at).isCloseTo(expected.doubleValue(),
                            within(1e-9 * Math.max(1, Math.abs(expected.doubleValue()))));
                } else {
                    assertThat(actual).as(at).isEqualTo(expected.asText());
                }
            }
        }
    }
}
