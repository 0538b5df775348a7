package dev.fletcher.server.monitor;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fletcher.examples.ExampleData;
import dev.fletcher.server.example.ExampleProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** With the example, monitors evaluated "now" are evaluated where its data ends, and find data there. */
@QuarkusTest
@TestProfile(ExampleProfile.class)
class ExampleClockTest {
    @Test
    void aRunWithoutATimeEvaluatesAtTheExampleDataClock() throws Exception {
        given().contentType("application/yaml")
                .body(Files.readAllBytes(Path.of("..", "examples", "catalog.yaml")))
                .post("/api/v1/catalog/apply").then().statusCode(200);

        JsonPath run = given().post("/api/v1/monitors/model_accuracy/run").then().statusCode(200).extract().jsonPath();
        Instant at = Instant.parse(run.getString("evaluated_at"));
        assertThat(at).isBetween(ExampleData.END, ExampleData.END.plus(Duration.ofHours(1)));
        assertThat(run.getString("state")).isIn("ok", "alerting");

        JsonPath state = given().get("/api/v1/monitors/model_accuracy").then().statusCode(200).extract().jsonPath();
        assertThat(state.getString("state")).isIn("ok", "alerting");
    }
}
