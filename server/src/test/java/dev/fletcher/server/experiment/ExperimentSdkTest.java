package dev.fletcher.server.experiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fletcher.sdk.FletcherClient;
import dev.fletcher.sdk.FletcherException;
import dev.fletcher.server.example.ExampleProfile;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The README tour's analysis call through the Java SDK. */
@QuarkusTest
@TestProfile(ExampleProfile.class)
class ExperimentSdkTest {
    @TestHTTPResource("/")
    URI server;

    @Test
    void analysisThroughTheSdk() throws Exception {
        try (FletcherClient fletcher = FletcherClient.connect(server)) {
            fletcher.apply(Files.readString(Path.of("..", "examples", "catalog.yaml")));
            JsonNode result = fletcher.analysis("checkout_redesign", null);
            System.out.println("checkout_redesign analysis: " + result.toPrettyString());
            assertThat(result.path("results")).hasSize(2);
            JsonNode revenue = result.path("results").get(0);
            assertThat(revenue.path("metric").asText()).isEqualTo("revenue");
            assertThat(revenue.path("cuped").path("variance_reduction").asDouble()).isBetween(0.0, 1.0);
            JsonNode chosen = fletcher.analysis("checkout_redesign",
                    Map.of("cuped", Map.of("covariates", List.of("revenue", "orders"))));
            assertThat(chosen.path("results").get(1).path("cuped").path("covariates").size()).isEqualTo(2);
            assertThatThrownBy(() -> fletcher.analysis("checkout_redesign", Map.of("cuped", "maybe")))
                    .isInstanceOf(FletcherException.class).hasMessageContaining("cuped");
        }
    }
}
