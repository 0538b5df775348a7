package dev.fletcher.server.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fletcher.server.flight.FlightService;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import java.util.Properties;
import org.apache.arrow.flight.Action;
import org.apache.arrow.flight.CallOption;
import org.apache.arrow.flight.FlightClient;
import org.apache.arrow.flight.FlightDescriptor;
import org.apache.arrow.flight.FlightRuntimeException;
import org.apache.arrow.flight.FlightStatusCode;
import org.apache.arrow.flight.Location;
import org.apache.arrow.flight.auth2.BearerCredentialWriter;
import org.apache.arrow.flight.grpc.CredentialCallOption;
import org.apache.arrow.flight.sql.FlightSqlClient;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Flight and Flight SQL once keys exist: Arrow Java's client with a bearer header or the basic-token handshake
 * pyarrow uses, and the Flight SQL JDBC driver with {@code token=}; each is refused without a key.
 */
@QuarkusTest
@TestProfile(AuthProfile.class)
class FlightAuthTest {
    @Inject
    ApiKeys keys;
    @Inject
    FlightService flight;

    String reader;

    @BeforeEach
    void aReaderKey() {
        AuthFixture.revokeAll(keys);
        reader = keys.create(AuthFixture.name("reader"), "reader", "test").key();
    }

    @AfterEach
    void revokeEveryKey() {
        AuthFixture.revokeAll(keys);
    }

    private FlightClient client(BufferAllocator allocator) {
        return FlightClient.builder(allocator, Location.forGrpcInsecure("127.0.0.1", flight.port())).build();
    }

    private static String health(FlightClient client, CallOption... options) {
        var results = client.doAction(new Action("health"), options);
        return new String(results.next().getBody(), StandardCharsets.UTF_8);
    }

    private static void assertRefused(Runnable call, FlightStatusCode code, String message) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(FlightRuntimeException.class, e -> {
            assertThat(e.status().code()).isEqualTo(code);
            assertThat(e.getMessage()).contains(message);
        });
    }

    @Test
    void aBearerHeaderIsServedAndNoKeyIsUnauthenticated() throws Exception {
        try (BufferAllocator allocator = new RootAllocator(); FlightClient client = client(allocator)) {
            assertThat(health(client, new CredentialCallOption(new BearerCredentialWriter(reader)))).contains("UP");

            assertRefused(() -> health(client), FlightStatusCode.UNAUTHENTICATED, "Authorization: Bearer <key>");
            assertRefused(() -> health(client, new CredentialCallOption(new BearerCredentialWriter(reader + "x"))),
                    FlightStatusCode.UNAUTHENTICATED, "not known");
            assertRefused(() -> client.getInfo(FlightDescriptor.command("{\"training_set\": {}}".getBytes(
                    StandardCharsets.UTF_8))), FlightStatusCode.UNAUTHENTICATED, "needs an API key");
            FlightSqlClient sql = new FlightSqlClient(client);
            assertRefused(() -> sql.execute("SELECT revenue FROM metrics"), FlightStatusCode.UNAUTHENTICATED,
                    "needs an API key");
            // With the key, the same statement gets past authentication to the metrics layer's own answer.
            assertRefused(() -> sql.execute("SELECT revenue FROM metrics", new CredentialCallOption(
                    new BearerCredentialWriter(reader))), FlightStatusCode.INVALID_ARGUMENT, "revenue");
        }
    }

    @Test
    void theBasicTokenHandshakeAnswersABearerTokenThatLaterCallsSend() throws Exception {
        try (BufferAllocator allocator = new RootAllocator(); FlightClient client = client(allocator)) {
            Optional<CredentialCallOption> token = client.authenticateBasicToken("anyone", reader);
            assertThat(token).isPresent();
            assertThat(health(client, token.get())).contains("UP");
        }
        try (BufferAllocator allocator = new RootAllocator(); FlightClient client = client(allocator)) {
            assertRefused(() -> client.authenticateBasicToken("anyone", "not-a-key"),
                    FlightStatusCode.UNAUTHENTICATED, "not known");
        }
    }

    @Test
    void aRevokedKeyStopsWorkingOnFlight() throws Exception {
        try (BufferAllocator allocator = new RootAllocator(); FlightClient client = client(allocator)) {
            CredentialCallOption option = new CredentialCallOption(new BearerCredentialWriter(reader));
            assertThat(health(client, option)).contains("UP");
            AuthFixture.revokeAll(keys);
            keys.create(AuthFixture.name("other"), "admin", "test");
            assertRefused(() -> health(client, option), FlightStatusCode.UNAUTHENTICATED, "not known");
        }
    }

    private Connection jdbc(Optional<String> token) throws SQLException {
        Properties properties = new Properties();
        token.ifPresent(t -> properties.put("token", t));
        return jdbc(properties);
    }

    private Connection jdbc(Properties properties) throws SQLException {
        properties.put("useEncryption", "false");
        return DriverManager.getConnection("jdbc:arrow-flight-sql://127.0.0.1:" + flight.port(), properties);
    }

    @Test
    void theFlightSqlJdbcDriverConnectsWithATokenAndIsRefusedWithout() throws Exception {
        try (Connection connection = jdbc(Optional.of(reader));
                ResultSet catalogs = connection.getMetaData().getCatalogs()) {
            assertThat(catalogs.next()).isTrue();
            assertThat(catalogs.getString(1)).isEqualTo("fletcher");
        }
        // User and password: the driver's basic-token handshake, with the key as the password.
        Properties basic = new Properties();
        basic.put("user", "anyone");
        basic.put("password", reader);
        try (Connection connection = jdbc(basic); ResultSet catalogs = connection.getMetaData().getCatalogs()) {
            assertThat(catalogs.next()).isTrue();
        }
        assertThatThrownBy(() -> {
            try (Connection connection = jdbc(Optional.empty());
                    ResultSet catalogs = connection.getMetaData().getCatalogs()) {
                catalogs.next();
            }
        }).hasStackTraceContaining("UNAUTHENTICATED").hasStackTraceContaining("needs an API key");
        assertThatThrownBy(() -> {
            try (Connection connection = jdbc(Optional.of("fk_bbbbbbbbbbbb_nope"));
                    ResultSet catalogs = connection.getMetaData().getCatalogs()) {
                catalogs.next();
            }
        }).hasStackTraceContaining("UNAUTHENTICATED").hasStackTraceContaining("not known");
    }
}
