package dev.fletcher.server.sdk;

import dev.fletcher.sdk.FletcherClient;
import io.quarkus.test.common.http.TestHTTPResource;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** An SDK client on the test server, with the example catalog applied; each test gets its own. */
abstract class ExampleCatalogClient {
    @TestHTTPResource("/")
    URI server;

    FletcherClient fletcher;

    @BeforeEach
    void connect() throws Exception {
        fletcher = FletcherClient.connect(server);
        fletcher.apply(Files.readString(Path.of("..", "examples", "catalog.yaml")));
    }

    @AfterEach
    void close() {
        fletcher.close();
    }
}
