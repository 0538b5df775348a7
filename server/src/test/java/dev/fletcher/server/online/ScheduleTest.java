package dev.fletcher.server.online;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fletcher.server.arrow.ArrowMemory;
import dev.fletcher.server.catalog.CatalogService;
import dev.fletcher.server.warehouse.Warehouses;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A per-view schedule materializes the view by itself. */
@QuarkusTest
@TestProfile(ScheduleTest.Every2s.class)
class ScheduleTest {
    public static class Every2s implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            try {
                Path dataDir = Files.createTempDirectory(Files.createDirectories(Path.of("target")).toAbsolutePath(),
                        "schedule-data-");
                return Map.of("fletcher.online.schedules.ol_profile", "2s", "fletcher.data-dir", dataDir.toString());
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }

    @Inject
    Warehouses warehouses;
    @Inject
    CatalogService catalog;
    @Inject
    ArrowMemory memory;

    @Test
    void theScheduledViewIsMaterializedWithoutARequest() throws InterruptedException {
        OnlineFixture.install(warehouses, catalog, memory);
        long deadline = System.nanoTime() + 30_000_000_000L;
        Map<String, Object> scheduled = null;
        while (scheduled == null && System.nanoTime() < deadline) {
            List<Map<String, Object>> jobs = given().get("/api/v1/jobs").then().statusCode(200).extract().jsonPath()
                    .getList("jobs");
            scheduled = jobs.stream().filter(j -> "schedule".equals(j.get("trigger"))
                    && "succeeded".equals(j.get("state"))).findFirst().orElse(null);
            Thread.sleep(100);
        }
        assertThat(scheduled).as("a scheduled job that succeeded").isNotNull();
        assertThat(scheduled.get("feature_views")).isEqualTo(List.of("ol_profile"));
        // the newest profile row is c1's on 2026-01-10: the default watermark
        JsonPath answer = OnlineFixture.read(Map.of("features", List.of("ol_profile:plan"), "entities",
                Map.of("customer_id", List.of("c2")))).then().statusCode(200).extract().jsonPath();
        assertThat(answer.getString("as_of.ol_profile")).isEqualTo("2026-01-10T00:00:00Z");
        assertThat(answer.getString("rows[0].ol_profile__plan")).isEqualTo("pro");
    }
}
