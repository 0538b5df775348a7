package dev.fletcher.server.auth;

import static dev.fletcher.server.auth.AuthFixture.as;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import dev.fletcher.server.flight.FlightService;
import dev.fletcher.server.problem.Problem;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import org.apache.arrow.flight.Action;
import org.apache.arrow.flight.FlightClient;
import org.apache.arrow.flight.FlightRuntimeException;
import org.apache.arrow.flight.FlightStatusCode;
import org.apache.arrow.flight.Location;
import org.apache.arrow.flight.Result;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Protected mode: with no key stored and no bootstrap key, the server answers clients on its own machine and refuses
 * every other one, over HTTP and Flight, until a key exists; then it needs a key from everyone.
 */
@QuarkusTest
@TestProfile(AuthProfile.class)
class ProtectedModeTest {
    @Inject
    ApiKeys keys;
    @Inject
    FlightService flight;

    InetAddress outside;

    @BeforeEach
    void noKeys() {
        AuthFixture.revokeAll(keys);
        assertThat(keys.protectedMode()).isTrue();
        outside = AuthFixture.nonLoopbackAddress().orElseThrow(() -> new IllegalStateException(
                "these tests need a network interface with a non-loopback IPv4 address"));
    }

    @AfterEach
    void backToNoKeys() {
        AuthFixture.revokeAll(keys);
    }

    @Test
    void aClientFromAnotherAddressIsRefusedWithHowToCreateAKey() {
        for (String path : new String[] {"/api/v1/catalog", "/api/v1/keys", "/api/v1/catalog/history", "/nothing"}) {
            AuthFixture.from(outside).get(path).then().statusCode(403).contentType(Problem.MEDIA_TYPE)
                    .body("status", equalTo(403))
                    .body("type", equalTo("urn:fletcher:problem:forbidden"))
                    .body("detail", containsString("protected mode"))
                    .body("detail", containsString("POST http://localhost:8080/api/v1/keys"))
                    .body("detail", containsString("FLETCHER_AUTH_BOOTSTRAP_KEY"));
        }
        AuthFixture.from(outside).contentType(ContentType.JSON).body("{\"name\": \"sneaky\", \"role\": \"admin\"}")
                .post("/api/v1/keys").then().statusCode(403);
        assertThat(keys.list()).isEmpty();
    }

    @Test
    void healthMetricsAndTheApiDescriptionStayOpenToEveryAddress() {
        AuthFixture.from(outside).get("/q/health").then().statusCode(200).body("status", equalTo("UP"));
        AuthFixture.from(outside).get("/q/metrics").then().statusCode(200);
        AuthFixture.from(outside).get("/q/openapi").then().statusCode(200);
    }

    @Test
    void loopbackIsServedAsLocalUntilAKeyExists() {
        given().get("/api/v1/catalog").then().statusCode(200);
        String name = AuthFixture.name("first");
        String key = given().contentType(ContentType.JSON).body("{\"name\": \"" + name + "\", \"role\": \"admin\"}")
                .post("/api/v1/keys").then().statusCode(201).body("created_by", equalTo("local"))
                .extract().path("key");
        assertThat(keys.protectedMode()).isFalse();

        // Once a key exists every client needs one, loopback too; the other address with a key is served.
        given().get("/api/v1/catalog").then().statusCode(401).contentType(Problem.MEDIA_TYPE)
                .header("WWW-Authenticate", containsString("Bearer"));
        AuthFixture.from(outside).get("/api/v1/catalog").then().statusCode(401);
        AuthFixture.from(outside).header("Authorization", "Bearer " + key).get("/api/v1/catalog").then()
                .statusCode(200);
        as(key).get("/api/v1/keys/history").then().statusCode(200)
                .body("events[0].name", equalTo(name))
                .body("events[0].action", equalTo("created"))
                .body("events[0].by", equalTo("local"));
    }

    @Test
    void flightServesLoopbackAndRefusesAnotherAddress() throws Exception {
        try (BufferAllocator allocator = new RootAllocator();
                FlightClient local = FlightClient.builder(allocator, Location.forGrpcInsecure("127.0.0.1",
                        flight.port())).build();
                FlightClient remote = FlightClient.builder(allocator, Location.forGrpcInsecure(
                        outside.getHostAddress(), flight.port())).build()) {
            var results = local.doAction(new Action("health"));
            Result result = results.next();
            assertThat(new String(result.getBody(), StandardCharsets.UTF_8)).contains("UP");

            assertThatThrownBy(() -> remote.doAction(new Action("health")).next())
                    .isInstanceOfSatisfying(FlightRuntimeException.class, e -> {
                        assertThat(e.status().code()).isEqualTo(FlightStatusCode.UNAUTHORIZED);
                        assertThat(e.getMessage()).contains("protected mode").contains("/api/v1/keys");
                    });
        }
    }
}
