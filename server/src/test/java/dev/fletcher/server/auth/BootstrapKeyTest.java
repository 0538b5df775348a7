package dev.fletcher.server.auth;

import static dev.fletcher.server.auth.AuthFixture.as;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.fletcher.server.flight.FlightService;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.config.EncoderConfig;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import org.apache.arrow.flight.Action;
import org.apache.arrow.flight.FlightClient;
import org.apache.arrow.flight.Location;
import org.apache.arrow.flight.auth2.BearerCredentialWriter;
import org.apache.arrow.flight.grpc.CredentialCallOption;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.Test;

/** A bootstrap key from a file: no protected mode, even with no key stored, and the key acts as an admin. */
@QuarkusTest
@TestProfile(BootstrapKeyProfile.class)
class BootstrapKeyTest {
    @Inject
    ApiKeys keys;
    @Inject
    FlightService flight;

    @Test
    void theBootstrapKeyIsAnAdminAndLoopbackNeedsAKeyToo() throws Exception {
        assertThat(keys.protectedMode()).isFalse();
        given().get("/api/v1/catalog").then().statusCode(401);
        String key = BootstrapKeyProfile.KEY;
        as(key).config(RestAssured.config().encoderConfig(EncoderConfig.encoderConfig()
                        .encodeContentTypeAs("application/yaml", ContentType.TEXT)))
                .contentType("application/yaml").body("kind: entity\nname: booted\nkeys: [booted_id]\n")
                .post("/api/v1/catalog/apply").then().statusCode(200);
        as(key).get("/api/v1/catalog/entity/booted/versions").then().statusCode(200)
                .body("versions[0].changed_by", equalTo("bootstrap"));
        String name = AuthFixture.name("team");
        String created = as(key).contentType(ContentType.JSON).body("{\"name\": \"" + name + "\", \"role\":"
                + " \"reader\"}").post("/api/v1/keys").then().statusCode(201).body("created_by",
                equalTo("bootstrap")).extract().path("key");
        as(created).get("/api/v1/catalog").then().statusCode(200);
        as(key).delete("/api/v1/keys/" + name).then().statusCode(200);
        // The bootstrap key itself is no stored key: it cannot be revoked, and keeps working.
        as(key).delete("/api/v1/keys/bootstrap").then().statusCode(404);
        try (BufferAllocator allocator = new RootAllocator();
                FlightClient client = FlightClient.builder(allocator, Location.forGrpcInsecure("127.0.0.1",
                        flight.port())).build()) {
            var results = client.doAction(new Action("health"), new CredentialCallOption(
                    new BearerCredentialWriter(key)));
            assertThat(new String(results.next().getBody(), StandardCharsets.UTF_8)).contains("UP");
        }
    }
}
