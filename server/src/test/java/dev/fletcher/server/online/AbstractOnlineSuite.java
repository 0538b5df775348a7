package dev.fletcher.server.online;

import static dev.fletcher.server.online.OnlineFixture.T1;
import static dev.fletcher.server.online.OnlineFixture.T2;
import static dev.fletcher.server.online.OnlineFixture.materialize;
import static dev.fletcher.server.online.OnlineFixture.read;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.fletcher.sdk.FletcherClient;
import dev.fletcher.sdk.FletcherException;
import dev.fletcher.server.arrow.ArrowMemory;
import dev.fletcher.server.arrow.MemoryAssertions;
import dev.fletcher.server.catalog.CatalogService;
import dev.fletcher.server.flight.FlightService;
import dev.fletcher.server.warehouse.Warehouses;
import dev.fletcher.spi.online.OnlineKeys;
import dev.fletcher.spi.online.OnlineStore;
import dev.fletcher.spi.online.OnlineView;
import dev.fletcher.spi.online.OnlineWriter;
import dev.fletcher.spi.online.Publication;
import dev.fletcher.spi.warehouse.Statement;
import dev.fletcher.spi.warehouse.WarehouseSession;
import io.quarkus.test.common.http.TestHTTPResource;
import io.restassured.RestAssured;
import io.restassured.config.JsonConfig;
import io.restassured.path.json.JsonPath;
import io.restassured.path.json.config.JsonPathConfig;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.apache.arrow.flight.FlightRuntimeException;
import org.apache.arrow.flight.FlightStatusCode;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Materialization, online reads and the consistency check on the fixture's data, with expected values worked out
 * by hand (see {@link OnlineFixture}). Runs once per online store plugin.
 */
abstract class AbstractOnlineSuite {
    static final List<String> VIEWS = List.of("ol_profile", "ol_txn", "ol_broken_view");

    @Inject
    Warehouses warehouses;
    @Inject
    CatalogService catalog;
    @Inject
    ArrowMemory memory;
    @Inject
    OnlineStores stores;
    @Inject
    FlightService flight;

    @TestHTTPResource("/")
    URI server;

    long idle;

    @BeforeEach
    void setUp() {
        RestAssured.config = RestAssured.config().jsonConfig(JsonConfig.jsonConfig()
                .numberReturnType(JsonPathConfig.NumberReturnType.DOUBLE));
        OnlineFixture.install(warehouses, catalog, memory);
        VIEWS.forEach(stores.get()::drop);
        idle = memory.allocatedBytes();
    }

    @AfterEach
    void tearDown() {
        VIEWS.forEach(stores.get()::drop);
        MemoryAssertions.assertReturnsTo(memory, idle);
    }

    static Map<String, Object> body(Object... pairs) {
        Map<String, Object> body = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            body.put((String) pairs[i], pairs[i + 1]);
        }
        return body;
    }

    static JsonPath ok(Response response) {
        assertThat(response.statusCode()).as(response.asString()).isEqualTo(200);
        return response.jsonPath();
    }

    static Map<String, Object> run(JsonPath job, String view) {
        List<Map<String, Object>> runs = job.getList("runs");
        return doubles(runs.stream().filter(r -> r.get("feature_view").equals(view)).findFirst().orElseThrow());
    }

    /** The map with every number as a double, as the assertions write them. */
    static Map<String, Object> doubles(Map<String, Object> map) {
        Map<String, Object> out = new LinkedHashMap<>();
        map.forEach((k, v) -> out.put(k, v instanceof Number n ? (Object) n.doubleValue() : v));
        return out;
    }

    @Test
    void materializedValuesAreTheTrainingSetValuesAtTheWatermarkAndIncrementalRunsFollowTheData() {
        JsonPath job = materialize(body("feature_views", List.of("ol_profile", "ol_txn"), "end", T1.toString()));
        assertThat(job.getString("state")).as(job.prettify()).isEqualTo("succeeded");
        assertThat(run(job, "ol_profile")).containsEntry("mode", "full").containsEntry("rows", 3.0)
                .containsEntry("as_of", "2026-01-10T10:00:00Z");
        assertThat(run(job, "ol_txn")).containsEntry("mode", "full").containsEntry("rows", 3.0);
        assertThat(job.getDouble("progress.rows_written")).isEqualTo(6.0);
        assertThat(job.getDouble("progress.views_done")).isEqualTo(2.0);

        // By hand at T1 = 2026-01-10T10:00. ol_txn: c1 has 10.0 @09:30, 5.0 @10:00, 7.0 @Jan 9 12:00, so the hour
        // (09:00, 10:00] sums 15, the day counts 3 with max 10 and avg 22/3; big_share = 10 / (22/3) = 30/22.
        // c2 has 100.0 @08:00: outside the hour (0), one in the day. c3 only has a row on Jan 1: 0, 0, nulls.
        // ol_profile (ttl 30d): c1 pro 501 (Jan 10), limit_half 501 / 2 = 250.5 (DuckDB divides to a fraction);
        // c2 pro 900 (Jan 5): 450; c4's profile (Nov 1) is 70 days old: null. c3 and c9 have no profile.
        List<String> features = List.of("ol_txn:amount_sum_1h", "ol_profile:plan", "ol_txn:big_share_1d",
                "ol_profile:limit_half", "ol_txn:txn_count_1d", "ol_txn:amount_max_1d");
        JsonPath answer = ok(read(body("features", features, "entities",
                Map.of("customer_id", List.of("c1", "c2", "c3", "c9", "c4")))));
        assertThat(answer.getMap("as_of")).containsExactlyInAnyOrderEntriesOf(Map.of(
                "ol_txn", "2026-01-10T10:00:00Z", "ol_profile", "2026-01-10T10:00:00Z"));
        List<Map<String, Object>> rows = answer.getList("rows");
        assertThat(rows).hasSize(5);
        assertThat(rows.get(0).keySet()).containsExactly("customer_id", "ol_txn__amount_sum_1h", "ol_profile__plan",
                "ol_txn__big_share_1d", "ol_profile__limit_half", "ol_txn__txn_count_1d", "ol_txn__amount_max_1d");
        assertRow(rows.get(0), "c1", 15.0, "pro", 30.0 / 22.0, 250.5, 3.0, 10.0);
        assertRow(rows.get(1), "c2", 0.0, "pro", 1.0, 450.0, 1.0, 100.0);
        assertRow(rows.get(2), "c3", 0.0, null, null, null, 0.0, null);
        assertRow(rows.get(3), "c9", null, null, null, null, null, null);
        assertRow(rows.get(4), "c4", null, null, null, null, null, null);

        // c2 spends 50 at 10:30. At T2 = 11:00 the hour (10:00, 11:00] holds only that: c2 50, c1 0 (its 10:00 row
        // left the hour); the day: c1 still 3 (Jan 9 12:00 is within it), c2 2 with avg 75, max 100.
        // Incremental: c2 has a new row, c1 has rows leaving the hour; c3 changes nothing and is not recomputed.
        OnlineFixture.addLateTransaction(warehouses);
        JsonPath second = materialize(body("feature_views", List.of("ol_txn"), "end", T2.toString()));
        assertThat(run(second, "ol_txn")).as(second.prettify()).containsEntry("mode", "incremental")
                .containsEntry("rows", 2.0).containsEntry("version", 2.0);
        rows = ok(read(body("features", List.of("ol_txn:amount_sum_1h", "ol_txn:txn_count_1d",
                "ol_txn:amount_max_1d", "ol_txn:big_share_1d"), "entities",
                Map.of("customer_id", List.of("c1", "c2", "c3"))))).getList("rows");
        assertRow(rows.get(0), "c1", 0.0, 3.0, 10.0, 30.0 / 22.0);
        assertRow(rows.get(1), "c2", 50.0, 2.0, 100.0, 100.0 / 75.0);
        assertRow(rows.get(2), "c3", 0.0, 0.0, null, null);

        assertConsistent("ol_txn", 3);
        assertConsistent("ol_profile", 3);
    }

    @Test
    void theConsistencyCheckFindsAValueTheTrainingSetWouldNotGive() {
        materialize(body("feature_views", List.of("ol_txn"), "end", T1.toString()));
        OnlineStore store = stores.get();
        OnlineView state = store.view("ol_txn").orElseThrow();
        // A wrong value for c1, published as if a run had computed it.
        try (OnlineWriter writer = store.begin("ol_txn", false)) {
            writer.put(OnlineKeys.encode(List.of("c1")), new Object[] {99.0, 3L, 10.0, 22.0 / 3});
            writer.publish(new Publication(state.asOf(), state.features(), state.keyColumns(), state.keyKinds(),
                    state.fingerprint(), state.ttlSeconds()));
        }
        JsonPath check = ok(given().get("/api/v1/feature-views/ol_txn/consistency?sample=10"));
        assertThat(check.getDouble("sampled")).isEqualTo(3.0);
        assertThat(check.getDouble("mismatched_keys")).isEqualTo(1.0);
        assertThat(check.getDouble("mismatch_rate")).isCloseTo(1.0 / 3, within(1e-9));
        assertThat(doubles(check.getMap("mismatches_by_feature"))).containsExactly(Map.entry("amount_sum_1h", 1.0));
        Map<String, Object> mismatch = doubles(check.<Map<String, Object>>getList("mismatches").get(0));
        assertThat(mismatch).containsEntry("feature", "amount_sum_1h").containsEntry("online", 99.0)
                .containsEntry("training_set", 15.0).containsEntry("key", Map.of("customer_id", "c1"));

        JsonPath full = materialize(body("feature_views", List.of("ol_txn"), "end", T1.toString(), "full", true));
        assertThat(run(full, "ol_txn")).containsEntry("mode", "full");
        assertConsistent("ol_txn", 3);
    }

    @Test
    void theDefaultWatermarkIsTheNewestEventTimeAndAChangedViewNeedsANewRun() {
        JsonPath job = materialize(body("feature_views", List.of("ol_profile")));
        assertThat(run(job, "ol_profile")).containsEntry("as_of", "2026-01-10T00:00:00Z");
        JsonPath answer = ok(read(body("features", List.of("ol_profile:credit_limit"), "entities",
                Map.of("customer_id", List.of("c1")))));
        assertThat(answer.getString("as_of.ol_profile")).isEqualTo("2026-01-10T00:00:00Z");
        assertThat(answer.getDouble("rows[0].ol_profile__credit_limit")).isEqualTo(501.0);

        catalog.apply("changed.yaml", OnlineFixture.BUNDLE.replace("ttl: 30d", "ttl: 90d"), false, false);
        Response stale = read(body("features", List.of("ol_profile:plan"), "entities",
                Map.of("customer_id", List.of("c4"))));
        problem(stale, 409, "changed after its online values were computed");
        JsonPath again = materialize(body("feature_views", List.of("ol_profile"), "end", T1.toString()));
        assertThat(run(again, "ol_profile")).containsEntry("mode", "full");
        // With a 90 day ttl c4's Nov 1 profile (70 days old) counts again.
        assertThat(ok(read(body("features", List.of("ol_profile:plan"), "entities",
                Map.of("customer_id", List.of("c4"))))).getString("rows[0].ol_profile__plan")).isEqualTo("free");
    }

    @Test
    void aFailingRunLeavesThePublishedValuesAsTheyWere() {
        JsonPath first = materialize(body("feature_views", List.of("ol_broken_view"), "end", T1.toString()));
        assertThat(first.getString("state")).as(first.prettify()).isEqualTo("succeeded");
        try (WarehouseSession session = warehouses.get("default").openSession()) {
            // amount 666 makes the source's cast fail in the warehouse, half way through the run
            session.execute(Statement.of("INSERT INTO ol_txns VALUES ('c5', 666.0, CAST(? AS TIMESTAMP))",
                    OnlineFixture.t("2026-01-10T09:00:00Z")));
        }
        JsonPath failed = materialize(body("feature_views", List.of("ol_broken_view"), "end", T2.toString(),
                "full", true));
        assertThat(failed.getString("state")).isEqualTo("failed");
        assertThat(failed.getString("error")).contains("ol_broken_view");
        JsonPath answer = ok(read(body("features", List.of("ol_broken_view:v_sum_1d"), "entities",
                Map.of("customer_id", List.of("c1", "c5")))));
        assertThat(answer.getString("as_of.ol_broken_view")).isEqualTo("2026-01-10T10:00:00Z");
        // c1's three rows each cast '1' to 1 at T1
        assertThat(answer.getDouble("rows[0].ol_broken_view__v_sum_1d")).isEqualTo(3.0);
        assertThat(answer.getString("rows[1].ol_broken_view__v_sum_1d")).isNull();
    }

    @Test
    void theSdkReadsOnlineFeatures() {
        materialize(body("feature_views", List.of("ol_txn", "ol_profile"), "end", T1.toString()));
        // Over Flight (the HTTP address leads nowhere, so only Flight can answer), then over HTTP alone: the same.
        URI flightLocation = URI.create("grpc+tcp://127.0.0.1:" + flight.port());
        try (FletcherClient overFlight = FletcherClient.connect(URI.create("http://127.0.0.1:9"), flightLocation);
                FletcherClient overHttp = FletcherClient.builder().http(server).flight(flightLocation)
                        .onlineOverFlight(false).build()) {
            List<String> features = List.of("ol_profile:plan", "ol_txn:txn_count_1d", "ol_txn:big_share_1d",
                    "ol_profile:limit_half");
            Map<String, List<String>> keys = Map.of("customer_id", List.of("c2", "c1", "c9"));
            var flightAnswer = overFlight.onlineFeatures(features, keys);
            var httpAnswer = overHttp.onlineFeatures(features, keys);
            assertThat(flightAnswer.asOf()).isEqualTo(httpAnswer.asOf());
            assertThat(flightAnswer.rows().toString()).isEqualTo(httpAnswer.rows().toString());
            // Past a few keys the SDK streams them over DoExchange instead of a DoGet ticket: still the same.
            List<String> many = new java.util.ArrayList<>();
            for (int i = 0; i < 300; i++) {
                many.add(i % 100 == 7 ? "c1" : i % 100 == 8 ? "c2" : "x" + i);
            }
            var manyOverFlight = overFlight.onlineFeatures(features, Map.of("customer_id", many));
            assertThat(manyOverFlight.rows()).hasSize(300);
            assertThat(manyOverFlight.rows().toString())
                    .isEqualTo(overHttp.onlineFeatures(features, Map.of("customer_id", many)).rows().toString());
            assertThat(manyOverFlight.value(207, "ol_profile__plan").asText()).isEqualTo("pro");
            assertThatThrownBy(() -> overFlight.onlineFeatures(List.of("ol_offline:amount_sum_1h"),
                    Map.of("customer_id", List.of("c1"))))
                    .isInstanceOfSatisfying(FletcherException.class, e -> {
                        assertThat(e.status()).isEqualTo(400);
                        assertThat(e.detail()).contains("not online");
                    });
        }
        // A Flight port out of reach: the read falls back to HTTP.
        try (FletcherClient fletcher = FletcherClient.connect(server, URI.create("grpc+tcp://127.0.0.1:9"))) {
            var answer = fletcher.onlineFeatures(List.of("ol_profile:plan", "ol_txn:txn_count_1d"),
                    Map.of("customer_id", List.of("c2", "c1")));
            assertThat(answer.asOf()).containsEntry("ol_profile", T1).containsEntry("ol_txn", T1);
            assertThat(answer.rows()).hasSize(2);
            assertThat(answer.value(0, "customer_id").asText()).isEqualTo("c2");
            assertThat(answer.value(0, "ol_profile__plan").asText()).isEqualTo("pro");
            assertThat(answer.value(1, "ol_txn__txn_count_1d").asLong()).isEqualTo(3);
            assertThatThrownBy(() -> fletcher.onlineFeatures(List.of("ol_offline:amount_sum_1h"),
                    Map.of("customer_id", List.of("c1"))))
                    .isInstanceOfSatisfying(FletcherException.class, e -> {
                        assertThat(e.status()).isEqualTo(400);
                        assertThat(e.detail()).contains("not online");
                    });
            var job = fletcher.materialize(List.of("ol_profile"), T2);
            assertThat(fletcher.job(job.path("id").asText()).path("feature_views").get(0).asText())
                    .isEqualTo("ol_profile");
        }
    }

    @Test
    void flightAnswersWhatHttpAnswersBatchByBatch() throws Exception {
        List<String> features = List.of("ol_txn:amount_sum_1h", "ol_profile:plan", "ol_txn:big_share_1d",
                "ol_profile:limit_half", "ol_txn:txn_count_1d", "ol_txn:amount_max_1d");
        List<String> ids = List.of("c1", "c2", "c3", "c9", "c4");
        try (OnlineFlightClient client = new OnlineFlightClient(flight.port())) {
            assertThatThrownBy(() -> client.read(features, ids)).isInstanceOfSatisfying(FlightRuntimeException.class,
                    e -> {
                        assertThat(e.status().code()).isEqualTo(FlightStatusCode.INVALID_ARGUMENT);
                        assertThat(e.status().description()).contains("has no online values yet");
                        assertThat(e.status().metadata().get("fletcher-status")).isEqualTo("409");
                    });
            materialize(body("feature_views", List.of("ol_profile", "ol_txn"), "end", T1.toString()));
            JsonPath http = ok(read(body("features", features, "entities", Map.of("customer_id", ids))));
            List<OnlineFlightClient.Batch> batches = client.read(features, ids);
            assertThat(batches).hasSize(1);
            assertThat(batches.get(0).asOf()).containsExactlyInAnyOrderEntriesOf(Map.of(
                    "ol_txn", "2026-01-10T10:00:00Z", "ol_profile", "2026-01-10T10:00:00Z"));
            List<Map<String, Object>> expected = http.getList("rows");
            List<Map<String, Object>> rows = batches.get(0).rows();
            assertThat(rows).hasSameSizeAs(expected);
            for (int i = 0; i < rows.size(); i++) {
                assertThat(rows.get(i).keySet()).containsExactlyElementsOf(expected.get(i).keySet());
                assertRow(doubles(rows.get(i)), doubles(expected.get(i)).values().toArray());
            }
            assertThat(batches.get(0).types()).containsEntry("ol_profile__plan", "Utf8")
                    .containsEntry("ol_txn__txn_count_1d", "Int(64, true)")
                    .containsEntry("ol_txn__amount_sum_1h", "FloatingPoint(DOUBLE)");

            // A few keys in a DoGet ticket, the HTTP read's body as it is: the same batch.
            List<OnlineFlightClient.Batch> got = client.get(features, Map.of("customer_id", ids));
            assertThat(got).hasSize(1);
            assertThat(got.get(0).asOf()).isEqualTo(batches.get(0).asOf());
            assertThat(got.get(0).types()).isEqualTo(batches.get(0).types());
            for (int i = 0; i < rows.size(); i++) {
                assertThat(got.get(0).rows().get(i).keySet()).containsExactlyElementsOf(expected.get(i).keySet());
                assertRow(doubles(got.get(0).rows().get(i)), doubles(expected.get(i)).values().toArray());
            }
            java.util.List<Object> mixed = new java.util.ArrayList<>(List.of("c1", 7));
            assertThatThrownBy(() -> client.get(features, Map.of("customer_id", mixed)))
                    .isInstanceOfSatisfying(FlightRuntimeException.class, e -> {
                        assertThat(e.status().code()).isEqualTo(FlightStatusCode.INVALID_ARGUMENT);
                        assertThat(e.status().description()).contains("mixes text and integer values");
                    });
            assertThatThrownBy(() -> client.get(List.of("ol_txn:nope"), Map.of("customer_id", ids)))
                    .isInstanceOfSatisfying(FlightRuntimeException.class,
                            e -> assertThat(e.status().description()).contains("has no feature 'nope'"));

            // More keys than one read may hold: answered in batches of at most fletcher.online.max-entities.
            List<String> many = new java.util.ArrayList<>();
            for (int i = 0; i < 1_500; i++) {
                many.add(i == 1_200 ? "c1" : "x" + i);
            }
            List<OnlineFlightClient.Batch> split = client.read(List.of("ol_profile:plan"), many);
            assertThat(split).extracting(b -> b.rows().size()).containsExactly(1_000, 500);
            assertThat(split.get(1).rows().get(200)).containsEntry("customer_id", "c1")
                    .containsEntry("ol_profile__plan", "pro");
            assertThat(split.get(0).rows().get(7).get("ol_profile__plan")).isNull();

            assertThatThrownBy(() -> client.read(List.of("ol_offline:amount_sum_1h"), ids))
                    .isInstanceOfSatisfying(FlightRuntimeException.class, e -> {
                        assertThat(e.status().code()).isEqualTo(FlightStatusCode.INVALID_ARGUMENT);
                        assertThat(e.status().description()).contains("not online");
                    });
            assertThatThrownBy(() -> client.read(List.of("ol_txn:nope"), ids))
                    .isInstanceOfSatisfying(FlightRuntimeException.class,
                            e -> assertThat(e.status().description()).contains("has no feature 'nope'"));
            assertThatThrownBy(() -> client.readAs("cust", List.of("ol_txn:amount_sum_1h"), ids))
                    .isInstanceOfSatisfying(FlightRuntimeException.class,
                            e -> assertThat(e.status().description()).contains("lack key column 'customer_id'"));
        }
    }

    @Test
    void badRequestsAreProblemsNeverServerErrors() {
        Map<String, Object> keys = Map.of("customer_id", List.of("c1"));
        problem(read(body("entities", keys)), 400, "features is missing");
        problem(read(body("features", "ol_txn:amount_sum_1h", "entities", keys)), 400, "non-empty list");
        problem(read(body("features", List.of("nope:x"), "entities", keys)), 400, "unknown feature view 'nope'");
        problem(read(body("features", List.of("ol_txn:nope"), "entities", keys)), 400, "has no feature 'nope'");
        problem(read(body("features", List.of("ol_txn"), "entities", keys)), 400, "not a feature reference");
        problem(read(body("features", List.of("ol_offline:amount_sum_1h"), "entities", keys)), 400, "not online");
        problem(read(body("features", List.of("ol_txn:amount_sum_1h"))), 400, "entities must be");
        problem(read(body("features", List.of("ol_txn:amount_sum_1h"), "entities", Map.of("cust", List.of("c1")))),
                400, "lack key column 'customer_id'");
        Map<String, Object> uneven = new LinkedHashMap<>();
        uneven.put("customer_id", List.of("c1", "c2"));
        uneven.put("other", List.of(1));
        problem(read(body("features", List.of("ol_txn:amount_sum_1h"), "entities", uneven)), 400, "differ in length");
        problem(read(body("features", List.of("ol_txn:amount_sum_1h"), "entities",
                Map.of("customer_id", List.of(Map.of("a", 1))))), 400, "key values are strings");
        problem(read(body("features", List.of("ol_txn:amount_sum_1h"), "entities", keys, "as_of", "x")), 400,
                "unknown field 'as_of'");
        problem(read(body("features", List.of("ol_txn:amount_sum_1h", "ol_txn:amount_sum_1h"), "entities", keys)),
                400, "requested twice");
        problem(given().contentType("application/json").body("{\"features\": [").post("/api/v1/online/features"),
                400, "not the JSON expected");
        problem(read(body("features", List.of("ol_txn:amount_sum_1h"), "entities", keys)), 409,
                "has no online values yet");

        problem(given().contentType("application/json").body(body("feature_views", List.of("nope")))
                .post("/api/v1/materialize"), 400, "unknown feature view 'nope'");
        problem(given().contentType("application/json").body(body("feature_views", List.of("ol_offline")))
                .post("/api/v1/materialize"), 400, "not online");
        problem(given().contentType("application/json").body(body("feature_views", List.of())).post(
                "/api/v1/materialize"), 400, "non-empty list");
        problem(given().contentType("application/json").body(body("end", "yesterday")).post("/api/v1/materialize"),
                400, "'yesterday' is not a time");
        problem(given().contentType("application/json").body(body("full", "yes")).post("/api/v1/materialize"), 400,
                "full must be true or false");
        problem(given().contentType("application/json").body(body("views", List.of("ol_txn")))
                .post("/api/v1/materialize"), 400, "unknown field 'views'");
        problem(given().get("/api/v1/jobs/no-such-job"), 404, "there is no job 'no-such-job'");

        problem(given().get("/api/v1/feature-views/nope/consistency"), 404, "no feature view named 'nope'");
        problem(given().get("/api/v1/feature-views/ol_offline/consistency"), 400, "not online");
        problem(given().get("/api/v1/feature-views/ol_txn/consistency?sample=0"), 400, "sample must be between");
        problem(given().get("/api/v1/feature-views/ol_txn/consistency?sample=abc"), 400, "whole number");
        problem(given().get("/api/v1/feature-views/ol_txn/consistency"), 409, "has no online values yet");
    }

    static void problem(Response response, int status, String detail) {
        assertThat(response.statusCode()).as(response.asString()).isEqualTo(status);
        assertThat(response.contentType()).startsWith("application/problem+json");
        assertThat(response.jsonPath().getString("detail")).contains(detail);
    }

    static void assertConsistent(String view, int sampled) {
        JsonPath check = ok(given().get("/api/v1/feature-views/" + view + "/consistency?sample=50"));
        assertThat(check.getDouble("sampled")).as(check.prettify()).isEqualTo((double) sampled);
        assertThat(check.getDouble("mismatched_keys")).as(check.prettify()).isEqualTo(0.0);
        assertThat(check.getDouble("mismatch_rate")).isEqualTo(0.0);
    }

    /** The customer id, then each feature's value in the row's order; doubles within 1e-12. */
    static void assertRow(Map<String, Object> row, Object... expected) {
        List<Object> values = new java.util.ArrayList<>(row.values());
        assertThat(values).hasSameSizeAs(expected);
        for (int i = 0; i < expected.length; i++) {
            if (expected[i] instanceof Double d && values.get(i) instanceof Number n) {
                assertThat(n.doubleValue()).as("column %d of %s", i, row).isCloseTo(d, within(1e-12));
            } else {
                assertThat(values.get(i)).as("column %d of %s", i, row).isEqualTo(expected[i]);
            }
        }
    }
}
