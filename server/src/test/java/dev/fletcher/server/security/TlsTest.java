package dev.fletcher.server.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fletcher.sdk.Catalog;
import dev.fletcher.sdk.FletcherClient;
import dev.fletcher.server.catalog.CatalogService;
import dev.fletcher.server.flight.FlightService;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;
import org.apache.arrow.flight.Action;
import org.apache.arrow.flight.FlightClient;
import org.apache.arrow.flight.FlightRuntimeException;
import org.apache.arrow.flight.FlightStatusCode;
import org.apache.arrow.flight.Location;
import org.apache.arrow.flight.Result;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * HTTPS and Flight over TLS on a certificate the test made: calls succeed when the client trusts it and fail when it
 * does not. The same server answers a body past the HTTP layer's limit with a problem.
 */
@QuarkusTest
@TestProfile(TlsProfile.class)
class TlsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TestHTTPResource(value = "/", tls = true)
    URL https;
    @TestHTTPResource("/")
    URL http;
    @Inject
    FlightService flight;
    @Inject
    CatalogService catalog;

    @BeforeEach
    void applyExample() throws Exception {
        catalog.apply("catalog.yaml", Files.readString(Path.of("..", "examples", "catalog.yaml")), false, false);
    }

    private URI httpsBase() {
        // the certificate names localhost, so the client must too
        return URI.create("https://localhost:" + https.getPort() + "/");
    }

    private static SSLContext trusting() throws Exception {
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        try (InputStream in = Files.newInputStream(TlsProfile.CERTIFICATE)) {
            store.setCertificateEntry("server", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(store);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return context;
    }

    @Test
    void httpsAnswersAClientThatTrustsTheCertificateOnly() throws Exception {
        HttpRequest catalog = HttpRequest.newBuilder(httpsBase().resolve("api/v1/catalog")).build();
        HttpResponse<String> answer = HttpClient.newBuilder().sslContext(trusting()).build()
                .send(catalog, HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.body()).contains("\"catalog_version\"");

        assertThatThrownBy(() -> HttpClient.newHttpClient().send(catalog, HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(SSLHandshakeException.class);
    }

    @Test
    void flightOverTlsAnswersAClientThatTrustsTheCertificateOnly() throws Exception {
        Location tls = Location.forGrpcTls("localhost", flight.port());
        try (BufferAllocator allocator = new RootAllocator()) {
            try (InputStream trusted = Files.newInputStream(TlsProfile.CERTIFICATE);
                    FlightClient client = FlightClient.builder(allocator, tls).trustedCertificates(trusted).build()) {
                Iterator<Result> health = client.doAction(new Action("health"));
                assertThat(new String(health.next().getBody(), StandardCharsets.UTF_8)).contains("UP");
            }
            try (FlightClient untrusting = FlightClient.builder(allocator, tls).build()) {
                assertThatThrownBy(() -> untrusting.doAction(new Action("health")).next())
                        .isInstanceOfSatisfying(FlightRuntimeException.class,
                                e -> assertThat(e.status().code()).isEqualTo(FlightStatusCode.UNAVAILABLE));
            }
            try (FlightClient plaintext = FlightClient.builder(allocator,
                    Location.forGrpcInsecure("localhost", flight.port())).build()) {
                assertThatThrownBy(() -> plaintext.doAction(new Action("health")).next())
                        .isInstanceOf(FlightRuntimeException.class);
            }
        }
    }

    @Test
    void theSdkConnectsOverHttpsAndFlightTlsWithATrustedCertificateFile() throws Exception {
        URI flightTls = URI.create("grpc+tls://localhost:" + flight.port());
        try (FletcherClient fletcher = FletcherClient.builder().http(httpsBase()).flight(flightTls)
                .trustedCertificates(TlsProfile.CERTIFICATE).build()) {
            Catalog catalog = fletcher.catalog();
            assertThat(catalog.catalogVersion()).isPositive();
            long rows = 0;
            try (ArrowReader set = fletcher.trainingSet(java.util.List.of("customer_orders:orders_7d"),
                    Instant.parse("2026-02-20T00:00:00Z"), Instant.parse("2026-02-21T00:00:00Z"), null)) {
                while (set.loadNextBatch()) {
                    rows += set.getVectorSchemaRoot().getRowCount();
                }
            }
            assertThat(rows).isPositive();
        }
        try (FletcherClient untrusting = FletcherClient.builder().http(httpsBase()).flight(flightTls).build()) {
            assertThatThrownBy(untrusting::catalog).isInstanceOf(java.io.UncheckedIOException.class)
                    .hasStackTraceContaining("SSLHandshakeException");
            assertThatThrownBy(() -> untrusting.trainingSet(java.util.List.of("customer_profile:plan"),
                    Instant.parse("2026-02-20T00:00:00Z"), Instant.parse("2026-02-21T00:00:00Z"), null))
                    .isInstanceOf(RuntimeException.class);
        }
    }

    @Test
    void theFlightSqlJdbcDriverConnectsOverTlsWithTheCertificateAsRoot() throws Exception {
        java.util.Properties trusted = new java.util.Properties();
        trusted.put("useEncryption", "true");
        trusted.put("tlsRootCerts", TlsProfile.CERTIFICATE.toString());
        String url = "jdbc:arrow-flight-sql://localhost:" + flight.port();
        try (java.sql.Connection connection = java.sql.DriverManager.getConnection(url, trusted);
                java.sql.ResultSet rows = connection.createStatement().executeQuery(
                        "SELECT revenue FROM metrics GROUP BY country")) {
            assertThat(rows.next()).isTrue();
        }
        java.util.Properties untrusting = new java.util.Properties();
        untrusting.put("useEncryption", "true");
        assertThatThrownBy(() -> {
            try (java.sql.Connection connection = java.sql.DriverManager.getConnection(url, untrusting)) {
                connection.createStatement().executeQuery("SELECT revenue FROM metrics").next();
            }
        }).isInstanceOf(java.sql.SQLException.class);
    }

    @Test
    void aBodyPastTheHttpLimitIsAProblemNamingTheLimit() throws Exception {
        long declared = 76L * 1024 * 1024;
        for (String path : java.util.List.of("/api/v1/catalog/apply", "/api/v1/training-sets", "/api/v1/metrics/query")) {
            Answer answer = post(path, declared);
            assertThat(answer.status).as(path).isEqualTo(413);
            assertThat(answer.headers.get("content-type")).isEqualTo("application/problem+json");
            JsonNode problem = JSON.readTree(answer.body);
            assertThat(problem.path("status").asInt()).isEqualTo(413);
            assertThat(problem.path("type").asText()).isEqualTo("urn:fletcher:problem:too-large");
            assertThat(problem.path("instance").asText()).isEqualTo(path);
            assertThat(problem.path("detail").asText()).contains(Long.toString(declared))
                    .contains(Long.toString(TlsProfile.MAX_BODY_BYTES)).contains("quarkus.http.limits.max-body-size");
        }
    }

    /** The status, headers and body of an answer to a POST that declares a body it never sends. */
    private record Answer(int status, Map<String, String> headers, String body) {
    }

    private Answer post(String path, long contentLength) throws IOException {
        try (Socket socket = new Socket(http.getHost(), http.getPort())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST " + path + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + contentLength + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write("{\"metrics\": [".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            String statusLine = line(in);
            Map<String, String> headers = new LinkedHashMap<>();
            for (String header = line(in); !header.isEmpty(); header = line(in)) {
                int colon = header.indexOf(':');
                headers.put(header.substring(0, colon).trim().toLowerCase(Locale.ROOT), header.substring(colon + 1).trim());
            }
            byte[] body = in.readNBytes(Integer.parseInt(headers.getOrDefault("content-length", "0")));
            return new Answer(Integer.parseInt(statusLine.split(" ")[1]), headers,
                    new String(body, StandardCharsets.UTF_8));
        }
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b != -1 && b != '\n'; b = in.read()) {
            if (b != '\r') {
                line.write(b);
            }
        }
        return line.toString(StandardCharsets.US_ASCII);
    }
}
