package dev.fletcher.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Client-side behaviour that needs no Fletcher server; the server round trips are tested in the server module. */
class FletcherClientTest {

    @Test
    void flightDefaultsToTheHttpHostOnPort8815() {
        try (FletcherClient client = FletcherClient.connect(URI.create("http://fletcher.internal:9000"))) {
            assertThat(client.flight()).isEqualTo(URI.create("grpc+tcp://fletcher.internal:8815"));
            assertThat(client.httpBase()).isEqualTo(URI.create("http://fletcher.internal:9000/"));
        }
        try (FletcherClient client = FletcherClient.connect(URI.create("http://localhost:8080/"),
                URI.create("grpc+tcp://localhost:9999"))) {
            assertThat(client.flight()).isEqualTo(URI.create("grpc+tcp://localhost:9999"));
        }
    }

    @Test
    void refusesAnAddressThatIsNotHttp() {
        assertThatThrownBy(() -> FletcherClient.connect(URI.create("grpc+tcp://localhost:8815")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("http://");
        assertThatThrownBy(() -> FletcherClient.builder().build())
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aServerThatDoesNotAnswerIsAnIoError() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        try (FletcherClient client = FletcherClient.builder().http(URI.create("http://127.0.0.1:" + port))
                .connectTimeout(Duration.ofSeconds(2)).build()) {
            assertThatThrownBy(client::catalog)
                    .isInstanceOf(UncheckedIOException.class)
                    .hasMessageContaining("did not answer GET /api/v1/catalog");
        }
    }

    @Test
    void anErrorThatIsNotProblemJsonKeepsItsBody() throws Exception {
        HttpServer proxy = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        proxy.createContext("/", exchange -> {
            byte[] body = "upstream unavailable".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "text/plain");
            exchange.sendResponseHeaders(502, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        proxy.start();
        try (FletcherClient client = FletcherClient.connect(
                URI.create("http://127.0.0.1:" + proxy.getAddress().getPort()))) {
            assertThatThrownBy(() -> client.get("entity", "customer"))
                    .isInstanceOfSatisfying(FletcherException.class, e -> {
                        assertThat(e.status()).isEqualTo(502);
                        assertThat(e.detail()).isEqualTo("upstream unavailable");
                        assertThat(e.errors()).isEmpty();
                    });
        } finally {
            proxy.stop(0);
        }
    }
}
