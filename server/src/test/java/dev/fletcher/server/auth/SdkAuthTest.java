package dev.fletcher.server.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fletcher.sdk.FletcherClient;
import dev.fletcher.sdk.FletcherException;
import dev.fletcher.server.flight.FlightService;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.URL;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Java SDK sends its API key on HTTP requests and Flight calls alike. */
@QuarkusTest
@TestProfile(AuthProfile.class)
class SdkAuthTest {
    @Inject
    ApiKeys keys;
    @Inject
    FlightService flight;
    @TestHTTPResource("/")
    URL http;

    String admin;

    @BeforeEach
    void anAdminKey() {
        AuthFixture.revokeAll(keys);
        admin = keys.create(AuthFixture.name("sdk"), "admin", "test").key();
    }

    @AfterEach
    void revokeEveryKey() {
        AuthFixture.revokeAll(keys);
    }

    private FletcherClient client(String key) throws Exception {
        URI base = URI.create("http://127.0.0.1:" + http.getPort());
        return FletcherClient.builder().http(base).flight(URI.create("grpc+tcp://127.0.0.1:" + flight.port()))
                .apiKey(key).build();
    }

    @Test
    void theKeyTravelsOnHttpAndFlight() throws Exception {
        try (FletcherClient fletcher = client(admin)) {
            assertThat(fletcher.apply("kind: entity\nname: sdk_entity\nkeys: [sdk_id]\n").changes()).hasSize(1);
            assertThat(fletcher.versions("entity", "sdk_entity").get(0).changedBy()).startsWith("sdk-");
            // Past authentication, the training-set command answers about its own input.
            assertThatThrownBy(() -> fletcher.trainingSet(List.of("nope:x"), "select 1 as a", "a").close())
                    .isInstanceOfSatisfying(FletcherException.class, e -> assertThat(e.status()).isEqualTo(400));
        }
        try (FletcherClient anonymous = client(null)) {
            assertThatThrownBy(anonymous::catalog).isInstanceOfSatisfying(FletcherException.class,
                    e -> assertThat(e.status()).isEqualTo(401));
            assertThatThrownBy(() -> anonymous.trainingSet(List.of("nope:x"), "select 1 as a", "a").close())
                    .isInstanceOfSatisfying(FletcherException.class, e -> {
                        assertThat(e.status()).isEqualTo(401);
                        assertThat(e.getMessage()).contains("Bearer");
                    });
        }
    }
}
