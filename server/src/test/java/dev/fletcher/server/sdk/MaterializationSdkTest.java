package dev.fletcher.server.sdk;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fletcher.sdk.FletcherException;
import dev.fletcher.sdk.MaterializationJob;
import dev.fletcher.sdk.MaterializationJob.State;
import dev.fletcher.sdk.MaterializationJob.ViewRun;
import dev.fletcher.sdk.OnlineFeatures;
import dev.fletcher.examples.ExampleData;
import dev.fletcher.server.example.ExampleProfile;
import dev.fletcher.server.example.ExampleRows;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Materialization jobs through the SDK on the example data: the typed job equals what {@code GET /api/v1/jobs/{id}}
 * answers, and the run wrote what the generator's rows say it should.
 */
@QuarkusTest
@TestProfile(ExampleProfile.class)
class MaterializationSdkTest extends ExampleCatalogClient {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration PATIENCE = Duration.ofMinutes(2);

    @Test
    void aFullRunThenAnIncrementalOne() throws Exception {
        Instant end = Instant.parse("2026-02-15T00:00:00Z");
        MaterializationJob started = fletcher.startMaterialization(List.of("customer_profile"), end, true);
        assertThat(started.id()).isNotBlank();
        assertThat(started.kind()).isEqualTo("materialize");
        assertThat(started.trigger()).isEqualTo("request");
        assertThat(started.featureViews()).containsExactly("customer_profile");
        assertThat(started.end()).isEqualTo(end);
        assertThat(started.full()).isTrue();
        assertThat(started.createdAt()).isNotNull();
        assertThat(started.progress().viewsTotal()).isEqualTo(1);

        MaterializationJob done = fletcher.awaitMaterialization(started.id(), PATIENCE);
        assertThat(done.state()).isEqualTo(State.SUCCEEDED);
        assertThat(done.finished()).isTrue();
        assertThat(done.error()).isNull();
        assertThat(done.finishedAt()).isAfterOrEqualTo(done.startedAt());
        assertSameAsRest(done);
        assertThat(fletcher.materializationJob(done.id())).isEqualTo(done);
        assertThat(fletcher.job(done.id()).path("state").asText()).isEqualTo("succeeded");

        // One stored entity per customer with a profile row at or before the watermark; each its newest plan.
        Map<String, Object[]> newest = new TreeMap<>();
        for (Map<String, Object> profile : ExampleRows.of(ExampleData.generate(), "customer_profiles")) {
            Instant at = (Instant) profile.get("updated_at");
            if (!at.isAfter(end)) {
                newest.merge((String) profile.get("customer_id"), new Object[] {at, profile.get("plan")},
                        (a, b) -> ((Instant) b[0]).isAfter((Instant) a[0]) ? b : a);
            }
        }
        ViewRun run = done.run("customer_profile");
        assertThat(run.state()).isEqualTo(State.SUCCEEDED);
        assertThat(run.mode()).isEqualTo("full");
        assertThat(run.asOf()).isEqualTo(end);
        assertThat(run.rows()).isEqualTo(newest.size()).isPositive();
        assertThat(run.error()).isNull();
        assertThat(done.progress().viewsDone()).isEqualTo(1);
        assertThat(done.progress().currentView()).isNull();
        assertThat(done.progress().rowsWritten()).isEqualTo(run.rows());

        List<String> customers = new ArrayList<>(newest.keySet()).subList(0, 3);
        OnlineFeatures online = fletcher.onlineFeatures(List.of("customer_profile:plan"),
                Map.of("customer_id", customers));
        assertThat(online.asOf()).containsEntry("customer_profile", run.asOf());
        for (int i = 0; i < customers.size(); i++) {
            assertThat(online.value(i, "customer_profile__plan").asText()).isEqualTo(newest.get(customers.get(i))[1]);
        }

        MaterializationJob next = fletcher.awaitMaterialization(fletcher.startMaterialization(
                List.of("customer_profile"), end.plus(Duration.ofDays(5)), false).id(), PATIENCE);
        assertThat(next.state()).isEqualTo(State.SUCCEEDED);
        assertThat(next.full()).isFalse();
        assertThat(next.run("customer_profile").mode()).isEqualTo("incremental");
        assertThat(next.run("customer_profile").version()).isGreaterThan(run.version());
        assertSameAsRest(next);
    }

    @Test
    void refusalsAreTypedExceptions() {
        assertThatThrownBy(() -> fletcher.materializationJob("no-such-job"))
                .isInstanceOfSatisfying(FletcherException.class, e -> {
                    assertThat(e.status()).isEqualTo(404);
                    assertThat(e.detail()).contains("no-such-job");
                });
        assertThatThrownBy(() -> fletcher.startMaterialization(List.of("lead_prediction"), null, false))
                .isInstanceOfSatisfying(FletcherException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.detail()).contains("not online");
                });
    }

    /** Every field of a finished job equals the REST API's answer for it. */
    private static void assertSameAsRest(MaterializationJob job) throws Exception {
        JsonNode rest = JSON.readTree(given().when().get("/api/v1/jobs/" + job.id()).then().statusCode(200)
                .extract().asString());
        assertThat(job.id()).isEqualTo(rest.get("id").asText());
        assertThat(job.kind()).isEqualTo(rest.get("kind").asText());
        assertThat(job.state().name().toLowerCase(Locale.ROOT)).isEqualTo(rest.get("state").asText());
        assertThat(job.trigger()).isEqualTo(rest.get("trigger").asText());
        assertThat(job.featureViews()).containsExactlyElementsOf(texts(rest.get("feature_views")));
        assertThat(job.end()).isEqualTo(time(rest.get("end")));
        assertThat(job.full()).isEqualTo(rest.get("full").asBoolean());
        assertThat(job.createdAt()).isEqualTo(time(rest.get("created_at")));
        assertThat(job.startedAt()).isEqualTo(time(rest.get("started_at")));
        assertThat(job.finishedAt()).isEqualTo(time(rest.get("finished_at")));
        JsonNode progress = rest.get("progress");
        assertThat(job.progress().viewsDone()).isEqualTo(progress.get("views_done").asInt());
        assertThat(job.progress().viewsTotal()).isEqualTo(progress.get("views_total").asInt());
        assertThat(job.progress().currentView()).isEqualTo(progress.get("current_view").textValue());
        assertThat(job.progress().rowsWritten()).isEqualTo(progress.get("rows_written").asLong());
        assertThat(job.runs()).hasSize(rest.get("runs").size());
        for (int i = 0; i < job.runs().size(); i++) {
            ViewRun run = job.runs().get(i);
            JsonNode expected = rest.get("runs").get(i);
            assertThat(run.featureView()).isEqualTo(expected.get("feature_view").asText());
            assertThat(run.state().name().toLowerCase(Locale.ROOT)).isEqualTo(expected.get("state").asText());
            assertThat(run.mode()).isEqualTo(expected.get("mode").asText());
            assertThat(run.asOf()).isEqualTo(time(expected.get("as_of")));
            assertThat(run.rows()).isEqualTo(expected.get("rows").asLong());
            assertThat(run.version()).isEqualTo(expected.get("version").asLong());
            assertThat(run.seconds()).isEqualTo(expected.get("seconds").asDouble());
            assertThat(run.error()).isEqualTo(expected.path("error").textValue());
        }
        assertThat(job.error()).isEqualTo(rest.path("error").textValue());
    }

    private static Instant time(JsonNode node) {
        return node == null || node.isNull() ? null : Instant.parse(node.asText());
    }

    private static List<String> texts(JsonNode list) {
        List<String> out = new ArrayList<>();
        list.forEach(item -> out.add(item.asText()));
        return out;
    }
}
