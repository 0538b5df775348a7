package dev.fletcher.server.problem;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import dev.fletcher.catalog.persistence.CatalogConflictException;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.ws.rs.core.Response;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Health, metrics, OpenAPI, and the shape of errors that no resource of ours raises itself. */
@QuarkusTest
class PlatformEndpointsTest {
    @Test
    void healthIsUpWithTheCatalogDatabaseAndEachWarehouse() {
        given().get("/q/health").then().statusCode(200).body("status", equalTo("UP"));
        given().get("/q/health/ready").then().statusCode(200)
                .body("checks.name", hasItem("warehouse default"));
    }

    @Test
    void metricsAreExposedForPrometheus() {
        given().get("/api/v1/catalog").then().statusCode(200);
        given().get("/q/metrics").then().statusCode(200).body(containsString("http_server_requests_seconds"));
    }

    @Test
    void openApiDescribesTheCatalogAndSwaggerUiIsServed() {
        given().accept(ContentType.JSON).get("/q/openapi").then().statusCode(200)
                .body(containsString("/api/v1/catalog/apply"));
        given().get("/q/swagger-ui/").then().statusCode(200);
    }

    @Test
    void malformedJsonIsABadRequest() {
        given().contentType(ContentType.JSON).body("{\"text\": \"hi\", ").post("/api/v1/test-only/echo").then()
                .statusCode(400).contentType(Problem.MEDIA_TYPE)
                .body("type", equalTo("urn:fletcher:problem:malformed-json"))
                .body("status", equalTo(400));
        given().contentType(ContentType.JSON).body("{\"text\": \"hi\", \"count\": \"many\"}")
                .post("/api/v1/test-only/echo").then()
                .statusCode(400).contentType(Problem.MEDIA_TYPE)
                .body("detail", containsString("count"));
        given().contentType(ContentType.JSON).body("{\"text\": \"hi\", \"count\": 2}")
                .post("/api/v1/test-only/echo").then().statusCode(200).body("count", equalTo(2));
    }

    @Test
    void aServerFaultNeverShowsItsInternals() {
        given().post("/api/v1/test-only/echo/boom").then().statusCode(500).contentType(Problem.MEDIA_TYPE)
                .body("detail", containsString("reference"))
                .body(not(containsString("secret internals")))
                .body(not(containsString("at dev.fletcher")));
    }

    @Test
    void unknownPathsAnywhereAreProblems() {
        given().get("/api/v2/catalog").then().statusCode(404).contentType(Problem.MEDIA_TYPE);
        given().get("/no/such/page").then().statusCode(404).contentType(Problem.MEDIA_TYPE)
                .body("instance", equalTo("/no/such/page"));
    }

    @Test
    void aConflictIsA409NamingTheCurrentVersion() {
        Response answer = new ProblemMappers().conflict(
                new CatalogConflictException(OptionalLong.empty(), null).withCurrentVersion(7), null);
        assertThat(answer.getStatus()).isEqualTo(409);
        assertThat(answer.getMediaType().toString()).isEqualTo(Problem.MEDIA_TYPE);
        assertThat(((Problem) answer.getEntity()).detail()).isEqualTo(
                "the catalog changed while this apply ran (now at version 7); re-read and apply again");
    }
}
