package dev.fletcher.server.sdk;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fletcher.sdk.AnalysisResult;
import dev.fletcher.sdk.AnalysisResult.CupedEstimate;
import dev.fletcher.sdk.AnalysisResult.Estimate;
import dev.fletcher.sdk.AnalysisResult.Interval;
import dev.fletcher.sdk.AnalysisResult.MetricResult;
import dev.fletcher.sdk.FletcherClient;
import dev.fletcher.sdk.FletcherException;
import dev.fletcher.server.example.ExampleProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link FletcherClient#analyze} on the example experiment: every field as the REST API answers it. */
@QuarkusTest
@TestProfile(ExampleProfile.class)
class AnalysisSdkTest extends ExampleCatalogClient {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ANALYSIS = "/api/v1/experiments/checkout_redesign/analysis";

    @Test
    void theDefaultAnalysisIsTheRestAnswer() throws Exception {
        AnalysisResult result = fletcher.analyze("checkout_redesign");
        assertSameAsRest(result, rest(""));

        assertThat(result.experiment()).isEqualTo("checkout_redesign");
        assertThat(result.subjects().keySet()).containsExactly("control", "treatment");
        assertThat(result.excluded().get("multiple_variants")).isPositive();
        assertThat(result.srmPValue()).isBetween(0.0, 1.0);
        assertThat(result.results()).extracting(MetricResult::metric).containsExactly("revenue", "orders");
        for (MetricResult r : result.results()) {
            Estimate welch = r.unadjusted();
            assertThat(welch.estimate()).isCloseTo(r.means().get("treatment") - r.means().get("control"),
                    within(1e-9));
            assertThat(welch.ciLow()).isLessThan(welch.estimate()).isLessThan(welch.ciHigh());
            assertThat(welch.relative().estimate()).isCloseTo(welch.estimate() / r.means().get("control"),
                    within(1e-9));
            assertThat(r.cuped().covariates()).containsExactly(r.metric());
            assertThat(r.cuped().varianceReduction()).isBetween(0.0, 1.0);
        }
        // The example's pre-period revenue predicts the outcome, so CUPED narrows its interval.
        MetricResult revenue = result.result("revenue", "treatment");
        assertThat(revenue.cuped().stdError()).isLessThan(revenue.unadjusted().stdError());
        assertThat(result.result("orders", "treatment")).isSameAs(result.results().get(1));
        assertThat(result.result("orders", "control")).isNull();
    }

    @Test
    void optionsReachTheServer() throws Exception {
        AnalysisResult plain = fletcher.analyze("checkout_redesign", Map.of("cuped", false));
        assertSameAsRest(plain, rest("{\"cuped\": false}"));
        assertThat(plain.results()).allSatisfy(r -> assertThat(r.cuped()).isNull());

        AnalysisResult chosen = fletcher.analyze("checkout_redesign",
                Map.of("cuped", Map.of("covariates", List.of("revenue", "orders"))));
        assertSameAsRest(chosen, rest("{\"cuped\": {\"covariates\": [\"revenue\", \"orders\"]}}"));
        assertThat(chosen.results()).allSatisfy(r ->
                assertThat(r.cuped().covariates()).containsExactly("revenue", "orders"));

        // The JSON form is the same document.
        JsonNode json = fletcher.analysis("checkout_redesign", Map.of("cuped", false));
        assertSameAsRest(plain, json);
    }

    @Test
    void sequentialCorrectedAndBayesianReadOutsReachTheSdk() throws Exception {
        String options = "{\"analysis\": {\"sequential\": true, \"tuning\": 2000, \"correction\": \"holm\","
                + " \"bayesian\": true}}";
        AnalysisResult result = fletcher.analyze("checkout_redesign", JSON.readValue(options, Map.class));
        JsonNode rest = rest(options);
        assertSameAsRest(result, rest);
        assertThat(result.analysis().interval()).isEqualTo("sequential");
        assertThat(result.analysis().sequentialTuning()).isEqualTo(2000.0);
        assertThat(result.analysis().correction()).isEqualTo("holm");
        assertThat(result.analysis().bayesian()).containsEntry("prior_sd", 0.3);
        assertThat(result.results()).allSatisfy(r -> {
            assertThat(r.unadjusted().sequential()).isNotNull();
            assertThat(r.cuped().sequential()).isNotNull();
            assertThat(r.cuped().relative().sequential()).isNotNull();
            assertThat(r.decision().interval()).isEqualTo("sequential");
            assertThat(r.decision().pValueAdjusted()).isNotNull();
            assertThat(r.bayesian().chanceToWin()).isBetween(0.0, 1.0);
        });
        // An always-valid interval is wider than the fixed-horizon one it stands beside.
        AnalysisResult.Estimate welch = result.results().get(0).unadjusted();
        assertThat(welch.sequential().ciHigh() - welch.sequential().ciLow())
                .isGreaterThan(welch.ciHigh() - welch.ciLow());
    }

    @Test
    void quantileResultsReachTheSdk() throws Exception {
        // The same definition the REST test applies, so the shared catalog holds one of it either way.
        fletcher.apply("""
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
                """);
        AnalysisResult result = fletcher.analyze("checkout_quantiles_test");
        JsonNode rest = JSON.readTree(given().post("/api/v1/experiments/checkout_quantiles_test/analysis").then()
                .statusCode(200).extract().asString());
        assertSameAsRest(result, rest);
        MetricResult median = result.quantileResult("revenue", 0.5, "treatment");
        assertThat(median).isNotNull();
        assertThat(result.result("revenue", "treatment")).isNull();
        assertThat(result.result("orders", "treatment").quantile()).isNull();
        assertThat(result.quantileResult("revenue", 0.9, "treatment").guardrail()).isTrue();
        for (int i = 0; i < result.results().size(); i++) {
            JsonNode expected = rest.get("results").get(i).get("quantile");
            AnalysisResult.Quantile quantile = result.results().get(i).quantile();
            if (expected == null) {
                assertThat(quantile).isNull();
                continue;
            }
            assertThat(quantile.probability()).isEqualTo(expected.get("probability").asDouble());
            assertThat(quantile.variants().keySet()).containsExactlyElementsOf(() -> expected.get("variants")
                    .fieldNames());
            quantile.variants().forEach((variant, value) -> {
                JsonNode v = expected.get("variants").get(variant);
                same(value.estimate(), v.get("estimate"), variant + ".estimate");
                same(value.ciLow(), v.get("ci_low"), variant + ".ci_low");
                same(value.ciHigh(), v.get("ci_high"), variant + ".ci_high");
                same(value.stdError(), v.get("std_error"), variant + ".std_error");
            });
        }
        // Its difference is the variants' quantiles' difference.
        assertThat(median.unadjusted().estimate()).isCloseTo(median.quantile().variants().get("treatment").estimate()
                - median.quantile().variants().get("control").estimate(), within(1e-9));
    }

    @Test
    void resultsByDayAndBySliceReachTheSdk() throws Exception {
        AnalysisResult byDay = fletcher.analyzeByDay("checkout_redesign", null);
        JsonNode days = JSON.readTree(given().post(ANALYSIS + "?by=day").then().statusCode(200).extract().asString())
                .get("by_day");
        assertThat(byDay.byDay()).isNotEmpty().hasSize(days.size());
        for (int i = 0; i < days.size(); i++) {
            AnalysisResult.Group day = byDay.byDay().get(i);
            assertThat(day.date()).isEqualTo(days.get(i).get("date").asText());
            assertThat(day.subjects()).isEqualTo(JSON.convertValue(days.get(i).get("subjects"),
                    JSON.getTypeFactory().constructMapType(Map.class, String.class, Long.class)));
            same(day.srmPValue(), days.get(i).get("srm_p_value"), day.date() + ".srm_p_value");
            assertThat(day.results()).hasSize(days.get(i).get("results").size());
            for (int r = 0; r < day.results().size(); r++) {
                JsonNode expected = days.get(i).get("results").get(r).get("unadjusted");
                AnalysisResult.Estimate got = day.results().get(r).unadjusted();
                if (expected == null || expected.isNull()) {
                    assertThat(got).isNull();
                } else {
                    same(got.estimate(), expected.get("estimate"), day.date() + ".estimate");
                }
            }
        }
        assertThat(byDay.slices()).isEmpty();

        AnalysisResult sliced = fletcher.analyzeBySlice("checkout_redesign", "customer_profile__plan", null);
        JsonNode slices = JSON.readTree(given().post(ANALYSIS + "?slice=customer_profile__plan").then().statusCode(200)
                .extract().asString()).get("slices");
        assertThat(sliced.slice()).isEqualTo("customer_profile__plan");
        assertThat(sliced.slices()).extracting(g -> String.valueOf(g.value()))
                .containsExactlyElementsOf(() -> java.util.stream.StreamSupport.stream(slices.spliterator(), false)
                        .map(s -> s.get("value").isNull() ? "null" : s.get("value").asText()).iterator());
        long inSlices = sliced.slices().stream().flatMap(g -> g.subjects().values().stream()).mapToLong(n -> n).sum();
        assertThat(inSlices).isEqualTo(sliced.subjects().values().stream().mapToLong(n -> n).sum());
        assertThatThrownBy(() -> fletcher.analyzeBySlice("checkout_redesign", "no_such_column", null))
                .isInstanceOfSatisfying(FletcherException.class, e -> assertThat(e.status()).isEqualTo(400));
    }

    @Test
    void refusalsAreTypedExceptions() {
        assertThatThrownBy(() -> fletcher.analyze("checkout_redesign", Map.of("cuped", "maybe")))
                .isInstanceOfSatisfying(FletcherException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.detail()).contains("cuped");
                });
        assertThatThrownBy(() -> fletcher.analyze("no_such_experiment"))
                .isInstanceOfSatisfying(FletcherException.class, e -> {
                    assertThat(e.status()).isEqualTo(404);
                    assertThat(e.detail()).contains("no_such_experiment");
                });
    }

    private static JsonNode rest(String body) throws Exception {
        var request = given();
        if (!body.isEmpty()) {
            request = request.contentType("application/json").body(body);
        }
        return JSON.readTree(request.when().post(ANALYSIS).then().statusCode(200).extract().asString());
    }

    private static void assertSameAsRest(AnalysisResult result, JsonNode rest) {
        assertThat(result.experiment()).isEqualTo(rest.get("experiment").asText());
        assertThat(result.subjects()).isEqualTo(JSON.convertValue(rest.get("subjects"),
                JSON.getTypeFactory().constructMapType(Map.class, String.class, Long.class)));
        assertThat(result.excluded()).isEqualTo(JSON.convertValue(rest.get("excluded"),
                JSON.getTypeFactory().constructMapType(Map.class, String.class, Long.class)));
        same(result.srmPValue(), rest.get("srm_p_value"), "srm_p_value");
        assertThat(result.warnings()).containsExactlyElementsOf(texts(rest.get("warnings")));
        assertThat(result.results()).hasSize(rest.get("results").size());
        for (int i = 0; i < result.results().size(); i++) {
            MetricResult r = result.results().get(i);
            JsonNode expected = rest.get("results").get(i);
            String at = "results[" + i + "]";
            assertThat(r.metric()).isEqualTo(expected.get("metric").asText());
            assertThat(r.variant()).isEqualTo(expected.get("variant").asText());
            List<String> variants = new ArrayList<>();
            expected.get("means").fieldNames().forEachRemaining(variants::add);
            assertThat(r.means().keySet()).containsExactlyElementsOf(variants);
            r.means().forEach((variant, mean) -> same(mean, expected.get("means").get(variant), at + ".means"));
            assertThat(r.messages()).containsExactlyElementsOf(texts(expected.path("messages")));
            Estimate welch = r.unadjusted();
            JsonNode w = expected.get("unadjusted");
            same(welch.estimate(), w.get("estimate"), at + ".unadjusted.estimate");
            same(welch.stdError(), w.get("std_error"), at + ".unadjusted.std_error");
            same(welch.ciLow(), w.get("ci_low"), at + ".unadjusted.ci_low");
            same(welch.ciHigh(), w.get("ci_high"), at + ".unadjusted.ci_high");
            same(welch.pValue(), w.get("p_value"), at + ".unadjusted.p_value");
            same(welch.relative(), w.get("relative"), at + ".unadjusted.relative");
            same(welch.sequential(), w.get("sequential"), at + ".unadjusted.sequential");
            assertThat(r.guardrail()).as(at + ".guardrail").isEqualTo(expected.get("guardrail").asBoolean());
            same(r.decision(), expected.get("decision"), at + ".decision");
            same(r.bayesian(), expected.get("bayesian"), at + ".bayesian");
            CupedEstimate cuped = r.cuped();
            JsonNode c = expected.get("cuped");
            if (c == null || c.isNull()) {
                assertThat(cuped).as(at + ".cuped").isNull();
                continue;
            }
            assertThat(cuped.covariates()).containsExactlyElementsOf(texts(c.get("covariates")));
            same(cuped.estimate(), c.get("estimate"), at + ".cuped.estimate");
            same(cuped.stdError(), c.get("std_error"), at + ".cuped.std_error");
            same(cuped.stdErrorHc1(), c.get("std_error_hc1"), at + ".cuped.std_error_hc1");
            same(cuped.ciLow(), c.get("ci_low"), at + ".cuped.ci_low");
            same(cuped.ciHigh(), c.get("ci_high"), at + ".cuped.ci_high");
            same(cuped.pValue(), c.get("p_value"), at + ".cuped.p_value");
            same(cuped.varianceReduction(), c.get("variance_reduction"), at + ".cuped.variance_reduction");
            same(cuped.relative(), c.get("relative"), at + ".cuped.relative");
            same(cuped.sequential(), c.get("sequential"), at + ".cuped.sequential");
        }
        JsonNode settings = rest.get("analysis");
        same(result.analysis().alpha(), settings.get("alpha"), "analysis.alpha");
        assertThat(result.analysis().interval()).isEqualTo(settings.get("interval").asText());
        same(result.analysis().sequentialTuning(), settings.get("sequential_tuning"), "analysis.sequential_tuning");
        assertThat(result.analysis().correction()).isEqualTo(settings.get("correction").asText());
        if (settings.get("bayesian").isNull()) {
            assertThat(result.analysis().bayesian()).isNull();
        } else {
            same(result.analysis().bayesian().get("prior_sd"), settings.get("bayesian").get("prior_sd"), "prior_sd");
        }
    }

    private static void same(AnalysisResult.Sequential sequential, JsonNode expected, String at) {
        if (expected == null || expected.isNull()) {
            assertThat(sequential).as(at).isNull();
            return;
        }
        same(sequential.ciLow(), expected.get("ci_low"), at + ".ci_low");
        same(sequential.ciHigh(), expected.get("ci_high"), at + ".ci_high");
        same(sequential.tuning(), expected.get("tuning"), at + ".tuning");
        same(sequential.pValue(), expected.get("p_value"), at + ".p_value");
    }

    private static void same(AnalysisResult.Decision decision, JsonNode expected, String at) {
        if (expected == null || expected.isNull()) {
            assertThat(decision).as(at).isNull();
            return;
        }
        assertThat(decision.estimate()).as(at).isEqualTo(expected.get("estimate").asText());
        assertThat(decision.interval()).as(at).isEqualTo(expected.get("interval").asText());
        same(decision.ciLow(), expected.get("ci_low"), at + ".ci_low");
        same(decision.ciHigh(), expected.get("ci_high"), at + ".ci_high");
        same(decision.pValue(), expected.get("p_value"), at + ".p_value");
        same(decision.pValueAdjusted(), expected.get("p_value_adjusted"), at + ".p_value_adjusted");
        assertThat(decision.significant()).as(at).isEqualTo(expected.get("significant").asBoolean());
    }

    private static void same(AnalysisResult.Bayesian bayesian, JsonNode expected, String at) {
        if (expected == null || expected.isNull()) {
            assertThat(bayesian).as(at).isNull();
            return;
        }
        same(bayesian.liftMean(), expected.get("lift_mean"), at + ".lift_mean");
        same(bayesian.liftSd(), expected.get("lift_sd"), at + ".lift_sd");
        same(bayesian.ciLow(), expected.get("ci_low"), at + ".ci_low");
        same(bayesian.ciHigh(), expected.get("ci_high"), at + ".ci_high");
        same(bayesian.chanceToWin(), expected.get("chance_to_win"), at + ".chance_to_win");
        same(bayesian.priorSd(), expected.get("prior_sd"), at + ".prior_sd");
        assertThat(bayesian.expectedLoss().keySet()).as(at)
                .containsExactlyElementsOf(() -> expected.get("expected_loss").fieldNames());
    }

    private static void same(Interval interval, JsonNode expected, String at) {
        if (expected == null || expected.isNull()) {
            assertThat(interval).as(at).isNull();
            return;
        }
        same(interval.estimate(), expected.get("estimate"), at + ".estimate");
        same(interval.ciLow(), expected.get("ci_low"), at + ".ci_low");
        same(interval.ciHigh(), expected.get("ci_high"), at + ".ci_high");
        same(interval.stdError(), expected.get("std_error"), at + ".std_error");
        JsonNode sequential = expected.get("sequential");
        if (sequential == null) {
            assertThat(interval.sequential()).as(at + ".sequential").isNull();
        } else {
            same(interval.sequential().ciLow(), sequential.get("ci_low"), at + ".sequential.ci_low");
            same(interval.sequential().ciHigh(), sequential.get("ci_high"), at + ".sequential.ci_high");
        }
    }

    /** Equal to 1e-9 relative: the two answers come from two runs of the warehouse's parallel sums. */
    private static void same(Double actual, JsonNode expected, String at) {
        if (expected == null || expected.isNull()) {
            assertThat(actual).as(at).isNull();
            return;
        }
        double value = expected.doubleValue();
        assertThat(actual).as(at).isCloseTo(value, within(1e-9 * Math.max(1, Math.abs(value))));
    }

    private static List<String> texts(JsonNode list) {
        List<String> out = new ArrayList<>();
        if (list != null) {
            list.forEach(item -> out.add(item.asText()));
        }
        return out;
    }
}
