package dev.fletcher.server.catalog;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

/** First start: the folder named by fletcher.catalog.load is applied, then one object is updated over HTTP. */
@QuarkusTest
@TestProfile(RestartFirstStartProfile.class)
class CatalogRestartFirstTest {
    @Test
    void loadsTheCatalogFolderAtStartAndTakesAnUpdate() {
        String entity = System.getProperty(RestartDataDir.ENTITY_PROPERTY);
        given().get("/api/v1/catalog/entity/" + entity).then().statusCode(200).body("version", equalTo(1));
        given().get("/api/v1/catalog/source/restart_events").then().statusCode(200).body("version", equalTo(1));
        given().get("/api/v1/catalog").then().statusCode(200).body("catalog_version", equalTo(1));

        Bundles.given("application/yaml").body("""
                        kind: entity
                        name: %s
                        keys: [id]
                        """.formatted(entity))
                .post("/api/v1/catalog/apply").then().statusCode(200)
                .body("changes[0].action", equalTo("updated"))
                .body("catalog_version", equalTo(2));
    }
}
