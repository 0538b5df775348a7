package dev.fletcher.server.catalog;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

/** Second start on the same H2 file: what the first start stored is all still there. */
@QuarkusTest
@TestProfile(RestartSecondStartProfile.class)
class CatalogRestartSecondTest {
    @Test
    void theCatalogSurvivesARestart() {
        String entity = System.getProperty(RestartDataDir.ENTITY_PROPERTY);
        assertThat(entity).as("the first start ran in this JVM before this one").isNotNull();

        given().get("/api/v1/catalog").then().statusCode(200).body("catalog_version", equalTo(2));
        given().get("/api/v1/catalog/entity/" + entity).then().statusCode(200)
                .body("version", equalTo(2))
                .body("spec.name", equalTo(entity));
        given().get("/api/v1/catalog/entity/" + entity + "/versions").then().statusCode(200)
                .body("versions.change", equalTo(java.util.List.of("created", "updated")));
        given().get("/api/v1/catalog/source/restart_events").then().statusCode(200);
    }
}
