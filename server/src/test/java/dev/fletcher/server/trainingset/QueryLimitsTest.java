package dev.fletcher.server.trainingset;

import static dev.fletcher.server.trainingset.TrainingSetFixture.FEATURES;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fletcher.server.arrow.ArrowMemory;
import dev.fletcher.server.arrow.MemoryAssertions;
import dev.fletcher.server.catalog.CatalogService;
import dev.fletcher.server.problem.Problem;
import dev.fletcher.server.warehouse.Warehouses;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Going past the statement timeout or the REST row limit is a 422 problem answer; the query is cancelled. */
@QuarkusTest
@TestProfile(QueryLimitsProfile.class)
class QueryLimitsTest {
    @Inject
    Warehouses warehouses;
    @Inject
    CatalogService catalog;
    @Inject
    ArrowMemory memory;

    long idle;

    @BeforeEach
    void setUp() {
        TrainingSetFixture.install(warehouses, catalog, memory);
        idle = memory.allocatedBytes();
    }

    private static Response post(Map<String, Object> body) {
        return given().contentType("application/json").body(body).post("/api/v1/training-sets");
    }

    @Test
    void aQueryPastTheStatementTimeoutIsCancelledAndRefused() {
        long start = System.nanoTime();
        Response response = post(Map.of("features", FEATURES, "entity_sql", "select 'c1' as customer_id,"
                + " now() as event_timestamp from (select count(*) as n from range(1000000000) a, range(1000) b) x"));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(30));
        assertThat(response.statusCode()).as(response.asString()).isEqualTo(422);
        assertThat(response.contentType()).startsWith(Problem.MEDIA_TYPE);
        assertThat(response.jsonPath().getString("type")).isEqualTo("urn:fletcher:problem:statement-timeout");
        assertThat(response.jsonPath().getString("detail")).contains("statement timeout of 1s")
                .contains("fletcher.warehouses.default.statement-timeout");
        // the warehouse is free again at once
        Response quick = post(Map.of("features", FEATURES, "entity_sql",
                "select 'c1' as customer_id, now() as event_timestamp"));
        assertThat(quick.statusCode()).as(quick.asString()).isEqualTo(200);
        MemoryAssertions.assertReturnsTo(memory, idle);
    }

    @Test
    void aRestAnswerPastTheRowLimitIsRefusedBeforeItStarts() {
        Map<String, Object> three = Map.of("customer_id", List.of("c1", "c2", "c3"),
                "event_timestamp", List.of("2026-01-10", "2026-01-10", "2026-01-10"));
        Response fits = given().contentType("application/json").accept("text/csv")
                .body(Map.of("features", FEATURES, "entities", three)).post("/api/v1/training-sets");
        assertThat(fits.statusCode()).as(fits.asString()).isEqualTo(200);
        assertThat(fits.asString().lines()).hasSize(4);

        Map<String, Object> four = Map.of("customer_id", List.of("c1", "c2", "c3", "c4"),
                "event_timestamp", List.of("2026-01-10", "2026-01-10", "2026-01-10", "2026-01-10"));
        Response refused = post(Map.of("features", FEATURES, "entities", four));
        assertThat(refused.statusCode()).as(refused.asString()).isEqualTo(422);
        assertThat(refused.contentType()).startsWith(Problem.MEDIA_TYPE);
        assertThat(refused.jsonPath().getString("type")).isEqualTo("urn:fletcher:problem:too-many-rows");
        assertThat(refused.jsonPath().getString("detail")).contains("more than 3 rows")
                .contains("fletcher.rest.max-rows").contains("Arrow Flight");
        MemoryAssertions.assertReturnsTo(memory, idle);
    }
}
