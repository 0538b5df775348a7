package dev.fletcher.server.trainingset;

import static dev.fletcher.server.trainingset.TrainingSetFixture.FEATURES;
import static dev.fletcher.server.trainingset.TrainingSetFixture.t;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;

import dev.fletcher.server.arrow.ArrowMemory;
import dev.fletcher.server.arrow.MemoryAssertions;
import dev.fletcher.server.catalog.CatalogService;
import dev.fletcher.server.problem.Problem;
import dev.fletcher.server.warehouse.Warehouses;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.ipc.ArrowStreamReader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code POST /api/v1/training-sets}: JSON in, an Arrow stream or CSV out. */
@QuarkusTest
class TrainingSetRestTest {
    private static final String PATH = "/api/v1/training-sets";
    private static final String ARROW = "application/vnd.apache.arrow.stream";

    @Inject
    Warehouses warehouses;
    @Inject
    CatalogService catalog;
    @Inject
    ArrowMemory memory;

    BufferAllocator allocator;
    long idle;

    @BeforeEach
    void setUp() {
        TrainingSetFixture.install(warehouses, catalog, memory);
        allocator = new RootAllocator();
        idle = memory.allocatedBytes();
    }

    @AfterEach
    void tearDown() {
        allocator.close();
        MemoryAssertions.assertReturnsTo(memory, idle);
    }

    /** The fixture's entity rows as JSON columns; the times in three spellings that all mean UTC. */
    static Map<String, Object> jsonEntities() {
        Map<String, Object> columns = new LinkedHashMap<>();
        columns.put("customer_id", List.of("c1", "c1", "c2", "c3", "c2"));
        columns.put("event_timestamp", List.of("2026-01-10T10:00:00Z", "2026-01-09", "2026-01-10T09:30:00+01:00",
                "2026-01-10T10:00:00", "2026-03-01 00:00:00"));
        columns.put("label", List.of(1, 0, 1, 0, 1));
        return columns;
    }

    static Map<String, Object> body(Object... pairs) {
        Map<String, Object> body = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            body.put((String) pairs[i], pairs[i + 1]);
        }
        return body;
    }

    Response post(Object body, String accept) {
        var request = given().contentType("application/json").body(body);
        if (accept != null) {
            request = request.accept(accept);
        }
        return request.post(PATH);
    }

    TrainingSetFixture.Result arrow(Response response) {
        assertThat(response.statusCode()).as(response.asString()).isEqualTo(200);
        assertThat(response.contentType()).startsWith(ARROW);
        return TrainingSetFixture.readAll(new ArrowStreamReader(new ByteArrayInputStream(response.asByteArray()),
                allocator));
    }

    @Test
    void jsonEntityRowsAnswerAnArrowStreamByDefault() {
        TrainingSetFixture.assertExpected(arrow(post(body("features", FEATURES, "entities", jsonEntities(),
                "timestamp_column", "event_timestamp"), null)));
        TrainingSetFixture.assertExpected(arrow(post(body("features", FEATURES, "entities", jsonEntities()), ARROW)));
    }

    @Test
    void csvByAccept() {
        Response response = post(body("features", FEATURES, "entities", jsonEntities()), "text/csv");
        assertThat(response.statusCode()).as(response.asString()).isEqualTo(200);
        assertThat(response.contentType()).startsWith("text/csv");
        List<String> lines = new ArrayList<>(Arrays.asList(response.asString().split("\r\n")));
        assertThat(lines.remove(0)).isEqualTo("customer_id,event_timestamp,label,ts_profile__plan,"
                + "ts_txn__amount_sum_1h,ts_txn__txn_count_1d");
        assertThat(lines).containsExactlyInAnyOrder(
                "c1,2026-01-10T10:00:00Z,1,pro,15.0,3",
                "c1,2026-01-09T00:00:00Z,0,basic,0.0,0",
                "c2,2026-01-10T08:30:00Z,1,pro,100.0,1",
                "c3,2026-01-10T10:00:00Z,0,,0.0,0",
                "c2,2026-03-01T00:00:00Z,1,,0.0,0");
    }

    @Test
    void entitySqlAndTimeRange() {
        TrainingSetFixture.assertExpected(arrow(post(body("features", FEATURES, "entity_sql",
                "select * from ts_entities"), ARROW)));
        TrainingSetFixture.Result range = arrow(post(body("features", List.of("ts_txn:txn_count_1d"),
                "start", "2026-01-10", "end", "2026-01-10T09:00:00Z"), null));
        assertThat(range.rows()).containsExactly(List.of("c2", t("2026-01-10T08:00:00Z"), 1L));
        Response csv = post(body("features", List.of("ts_txn:txn_count_1d"), "start", "2026-01-10",
                "end", "2026-01-10T09:00:00Z", "timestamp_column", "at"), "text/csv");
        assertThat(csv.asString()).isEqualTo("customer_id,at,ts_txn__txn_count_1d\r\nc2,2026-01-10T08:00:00Z,1\r\n");
    }

    @Test
    void badInputIsAProblemNeverAServerError() {
        problem(body("features", List.of("nope:x"), "entities", jsonEntities()), 400, "unknown feature view 'nope'");
        problem(body("features", List.of("ts_txn:nope"), "entities", jsonEntities()), 400, "has no feature 'nope'");
        problem(body("features", List.of(), "entities", jsonEntities()), 400, "no features requested");
        problem(body("entities", jsonEntities()), 400, "features is missing");
        problem(body("features", FEATURES, "entities", jsonEntities(), "timestamp_column", "ts"), 400,
                "no timestamp column 'ts'");
        problem(body("features", FEATURES, "entities", jsonEntities(), "timestamp_column", "label"), 400,
                "timestamp column 'label' is an integer");
        Map<String, Object> noKey = new LinkedHashMap<>(jsonEntities());
        noKey.remove("customer_id");
        problem(body("features", FEATURES, "entities", noKey), 400, "lack key column 'customer_id'");
        Map<String, Object> uneven = new LinkedHashMap<>(jsonEntities());
        uneven.put("label", List.of(1, 2));
        problem(body("features", FEATURES, "entities", uneven), 400, "differ in length");
        Map<String, Object> badTime = new LinkedHashMap<>(jsonEntities());
        badTime.put("event_timestamp", List.of("yesterday", "2026-01-09", "2026-01-09", "2026-01-09", "2026-01-09"));
        problem(body("features", FEATURES, "entities", badTime), 400, "'yesterday' is not a time");
        Map<String, Object> mixed = new LinkedHashMap<>(jsonEntities());
        mixed.put("customer_id", Arrays.asList("c1", 2, "c2", "c3", "c2"));
        problem(body("features", FEATURES, "entities", mixed), 400, "mixes strings and integers");
        problem(body("features", FEATURES, "entity_sql", "select * from missing_entity_table"), 400,
                "missing_entity_table");
        problem(body("features", FEATURES, "entity_sql", "select 1", "entities", jsonEntities()), 400, "one way only");
        problem(body("features", FEATURES), 400, "names no entity rows");
        problem(body("features", FEATURES, "start", "2026-01-10"), 400, "both start and end");
        problem(body("features", FEATURES, "start", "2026-01-10", "end", "2026-01-09"), 400, "empty");
        problem(body("features", FEATURES, "rows", 3, "entity_sql", "select 1"), 400, "unknown field 'rows'");

        given().contentType("application/json").body("{\"features\": [").post(PATH).then().statusCode(400)
                .contentType(Problem.MEDIA_TYPE);
        given().contentType("application/json").accept("application/xml")
                .body(body("features", FEATURES, "entities", jsonEntities())).post(PATH).then().statusCode(406)
                .contentType(Problem.MEDIA_TYPE).body("detail", containsString("text/csv"));
    }

    @Test
    void jsonEntityRowsAreLimited() {
        String ids = String.join(",", Collections.nCopies(100_001, "\"c1\""));
        String body = "{\"features\": [\"ts_txn:txn_count_1d\"], \"entities\": {\"customer_id\": [" + ids
                + "], \"event_timestamp\": []}}";
        Response response = given().contentType("application/json").body(body).post(PATH);
        assertThat(response.statusCode()).as(response.asString()).isEqualTo(413);
        assertThat(response.contentType()).startsWith(Problem.MEDIA_TYPE);
        assertThat(response.jsonPath().getString("detail")).contains("100000 allowed in JSON")
                .contains("with Arrow Flight DoPut").contains("entity_sql");
    }

    void problem(Map<String, Object> body, int status, String message) {
        Response response = post(body, null);
        assertThat(response.statusCode()).as(response.asString()).isEqualTo(status);
        assertThat(response.contentType()).startsWith(Problem.MEDIA_TYPE);
        assertThat(response.jsonPath().getString("detail")).contains(message);
    }
}
