package dev.fletcher.server.monitor;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.hamcrest.Matchers.containsString;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fletcher.server.catalog.CatalogService;
import dev.fletcher.examples.ExampleData;
import dev.fletcher.server.example.ExampleRows;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.config.JsonConfig;
import io.restassured.config.RestAssuredConfig;
import io.restassured.path.json.JsonPath;
import io.restassured.path.json.config.JsonPathConfig;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The example's monitors (CONTRACT §8) evaluated over REST, against numbers computed here from the generator's own
 * rows with plain loops; state changes arrive at a real local webhook receiver; the scheduler evaluates on its own.
 */
@QuarkusTest
@TestProfile(MonitorProfile.class)
class MonitorRestTest {
    private static final RestAssuredConfig DOUBLES = RestAssuredConfig.config().jsonConfig(
            JsonConfig.jsonConfig().numberReturnType(JsonPathConfig.NumberReturnType.DOUBLE));
    private static final ExampleData DATA = ExampleData.generate();
    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    CatalogService catalog;

    @BeforeEach
    void applyExample() throws Exception {
        catalog.apply("catalog.yaml", Files.readString(Path.of("..", "examples", "catalog.yaml")), false, false);
    }

    private static JsonPath run(String monitor, String at) {
        return given().config(DOUBLES).when().post("/api/v1/monitors/" + monitor + "/run?at=" + at).then()
                .statusCode(200).extract().jsonPath();
    }

    /**
     * Accuracy over the leads created in (T - 3h - 1d, T - 1d], each lead once however many prediction events it has;
     * a lead is correct when its predicted label says whether it converted within a day. [distinct, by events]
     */
    private static double[] accuracy(Instant at) {
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
        int events = 0;
        int correctEvents = 0;
        for (Map<String, Object> p : ExampleRows.of(DATA, "predictions")) {
            String lead = (String) p.get("lead_id");
            Instant t = created.get(lead);
            if (!t.isAfter(start) || t.isAfter(end)) {
                continue;
            }
            boolean right = (((Long) p.get("predicted_label")) == 1) == converted.contains(lead);
            predicted.add(lead);
            events++;
            if (right) {
                correct.add(lead);
                correctEvents++;
            }
        }
        return new double[] {(double) correct.size() / predicted.size(), (double) correctEvents / events};
    }

    @Test
    void modelAccuracyCountsEachLeadOnceAndJudgesOnlyMatureLabels() throws Exception {
        Instant before = Instant.parse("2025-12-01T00:00:00Z");
        Instant v1 = Instant.parse("2026-02-01T15:00:00Z");
        Instant v2 = Instant.parse("2026-02-25T15:00:00Z");
        JsonPath none = run("model_accuracy", before.toString());
        assertThat(none.getString("state")).isEqualTo("no_data");
        assertThat((Object) none.get("value")).isNull();

        List<String> states = new ArrayList<>(List.of("no_data"));
        for (Instant at : List.of(v1, v2)) {
            double[] expected = accuracy(at);
            JsonPath evaluation = run("model_accuracy", at.toString());
            assertThat(evaluation.getDouble("value")).isCloseTo(expected[0], within(1e-9));
            assertThat(evaluation.getString("state")).isEqualTo(expected[0] < 0.75 ? "alerting" : "ok");
            assertThat(evaluation.getString("evaluated_at")).isEqualTo(at.toString());
            states.add(evaluation.getString("state"));
        }
        // Duplicate events weigh a lead more than once: the count by events is another number.
        assertThat(accuracy(v2)[1]).isNotCloseTo(accuracy(v2)[0], within(1e-12));
        // v2 (deployed on day 45) is the noisier model: its accuracy falls below the alert line, v1's does not.
        assertThat(states).containsExactly("no_data", "ok", "alerting");

        JsonPath state = given().config(DOUBLES).when().get("/api/v1/monitors/model_accuracy").then().statusCode(200)
                .extract().jsonPath();
        assertThat(state.getString("type")).isEqualTo("threshold");
        assertThat(state.getString("maturity")).isEqualTo("1d");
        assertThat(state.getDouble("alert.below")).isEqualTo(0.75);
        List<String> times = state.getList("evaluations.evaluated_at", String.class);
        assertThat(times).contains(v2.toString(), v1.toString(), before.toString());

        // Every change reached the webhook: none -> no_data, no_data -> ok, ok -> alerting.
        List<JsonNode> changes = awaitChanges("model_accuracy", Set.of(before, v1, v2), 3);
        assertThat(changes.stream().map(c -> c.get("previous_state").isNull() ? null : c.get("previous_state").asText())
                .toList()).containsExactly(null, "no_data", "ok");
        assertThat(changes.stream().map(c -> c.get("state").asText()).toList())
                .containsExactly("no_data", "ok", "alerting");
        // Running v2 again is no change: nothing more is sent for it.
        run("model_accuracy", v2.toString());
        Thread.sleep(300);
        assertThat(awaitChanges("model_accuracy", Set.of(v2), 1)).hasSize(1);
    }

    private static List<JsonNode> awaitChanges(String monitor, Set<Instant> at, int count) throws Exception {
        Set<String> times = new HashSet<>();
        at.forEach(t -> times.add(t.toString()));
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        List<JsonNode> found = new ArrayList<>();
        while (System.nanoTime() < deadline) {
            found.clear();
            for (String body : MonitorProfile.received()) {
                JsonNode node = JSON.readTree(body);
                if (node.get("monitor").asText().equals(monitor) && times.contains(node.get("evaluated_at").asText())) {
                    found.add(node);
                }
            }
            if (found.size() >= count) {
                break;
            }
            Thread.sleep(50);
        }
        found.sort((a, b) -> a.get("evaluated_at").asText().compareTo(b.get("evaluated_at").asText()));
        return found;
    }

    /** PSI of the scores in (T - 1d, T] against (T - 8d, T - 1d]: ten bins cut at the baseline's deciles. */
    private static double scorePsi(Instant at) {
        List<Double> base = new ArrayList<>();
        List<Double> current = new ArrayList<>();
        Instant split = at.minus(Duration.ofDays(1));
        Instant from = split.minus(Duration.ofDays(7));
        for (Map<String, Object> p : ExampleRows.of(DATA, "predictions")) {
            Instant t = (Instant) p.get("predicted_at");
            if (t.isAfter(from) && !t.isAfter(split)) {
                base.add((Double) p.get("score"));
            } else if (t.isAfter(split) && !t.isAfter(at)) {
                current.add((Double) p.get("score"));
            }
        }
        double[] sorted = base.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        double[] cuts = new double[9];
        for (int i = 1; i < 10; i++) {
            double position = i / 10.0 * (sorted.length - 1);
            int lower = (int) Math.floor(position);
            cuts[i - 1] = sorted[lower] + (position - lower) * (sorted[Math.min(lower + 1, sorted.length - 1)] - sorted[lower]);
        }
        double[] b = new double[10];
        double[] c = new double[10];
        for (double v : base) {
            b[bin(cuts, v)]++;
        }
        for (double v : current) {
            c[bin(cuts, v)]++;
        }
        double psi = 0;
        for (int k = 0; k < 10; k++) {
            double sb = b[k] == 0 ? 0.0001 : b[k] / base.size();
            double sc = c[k] == 0 ? 0.0001 : c[k] / current.size();
            psi += (sc - sb) * Math.log(sc / sb);
        }
        return psi;
    }

    private static int bin(double[] cuts, double value) {
        return (int) Arrays.stream(cuts).filter(cut -> value > cut).count();
    }

    @Test
    void scoreDriftIsPsiOverTheBaselinesDeciles() {
        for (String at : List.of("2026-02-10T00:00:00Z", "2026-02-17T00:00:00Z")) {
            double expected = scorePsi(Instant.parse(at));
            JsonPath evaluation = run("score_drift", at);
            assertThat(evaluation.getDouble("value")).isCloseTo(expected, within(1e-9));
            assertThat(evaluation.getString("state")).isEqualTo(expected > 0.2 ? "alerting" : "ok");
        }
        JsonPath ks = run("order_value_drift", "2026-02-20T00:00:00Z");
        assertThat(ks.getDouble("value")).isBetween(0.0, 1.0);
        assertThat(ks.getString("detail")).contains("ks of customer_orders:order_value_avg_28d");
    }

    @Test
    void theSchedulerEvaluatesEveryMonitorAtItsOwnTimes() throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        Instant now = Instant.now();
        String evaluated = null;
        while (System.nanoTime() < deadline) {
            List<String> times = given().when().get("/api/v1/monitors/order_value_drift").then().statusCode(200)
                    .extract().jsonPath().getList("evaluations.evaluated_at", String.class);
            evaluated = times.stream().filter(t -> Instant.parse(t).isAfter(now.minus(Duration.ofHours(2))))
                    .findFirst().orElse(null);
            if (evaluated != null) {
                break;
            }
            Thread.sleep(200);
        }
        assertThat(evaluated).as("a scheduled evaluation of order_value_drift").isNotNull();
        // every: 1h unless given: evaluated at a whole hour
        assertThat(Instant.parse(evaluated).getEpochSecond() % 3600).isZero();
    }

    @Test
    void unknownMonitorsAndBadTimesAreProblems() {
        given().when().get("/api/v1/monitors/nope").then().statusCode(404).contentType("application/problem+json")
                .body("detail", containsString("no monitor named 'nope'"));
        given().when().post("/api/v1/monitors/model_accuracy/run?at=tomorrow").then().statusCode(400)
                .contentType("application/problem+json").body("detail", containsString("'tomorrow' is not a time"));
    }
}
