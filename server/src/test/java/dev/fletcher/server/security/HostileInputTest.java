package dev.fletcher.server.security;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fletcher.server.catalog.CatalogService;
import dev.fletcher.server.example.ExampleProfile;
import dev.fletcher.server.flight.FlightService;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;
import org.apache.arrow.flight.Action;
import org.apache.arrow.flight.FlightClient;
import org.apache.arrow.flight.FlightDescriptor;
import org.apache.arrow.flight.FlightInfo;
import org.apache.arrow.flight.FlightRuntimeException;
import org.apache.arrow.flight.FlightStatusCode;
import org.apache.arrow.flight.FlightStream;
import org.apache.arrow.flight.Location;
import org.apache.arrow.flight.Ticket;
import org.apache.arrow.flight.sql.FlightSqlClient;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Classic injection payloads through every endpoint: in names (request fields and path parameters), entity key
 * values, {@code where} values, headers, Flight descriptors, tickets, actions and Flight SQL statements. A name is
 * refused with a 4xx problem (or a Flight status the client is to blame for); a value that is data is answered as
 * data; a value never changes the SQL the warehouse runs. After each case the catalog and the warehouse's tables are
 * as they were.
 */
@QuarkusTest
@TestProfile(ExampleProfile.class)
class HostileInputTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> PAYLOADS = List.of(
            "'",
            "\"",
            "`",
            "\\",
            "--",
            "/*",
            "*/",
            "x'; DROP TABLE orders; --",
            "x\"; DROP TABLE orders; --",
            "' OR '1'='1",
            "\" OR \"1\"=\"1",
            "1; DELETE FROM catalog_object",
            "') UNION SELECT content FROM read_text('/etc/passwd') --",
            "`orders`",
            "orders\"--",
            "\\u0027 OR 1=1",
            "%27%20OR%201%3D1",
            "${jndi:ldap://127.0.0.1/x}",
            "{{7*7}}",
            "NULL",
            "Ünïcødé 名前 \uD83D\uDE00",
            "tab\there",
            "line\nbreak",
            "nul\u0000char",
            "a".repeat(2_000));
    /** A long value for bodies only: request lines and headers have their own, smaller, limits. */
    private static final String LONG = "b".repeat(100_000);

    @TestHTTPResource("/")
    URL base;
    @Inject
    CatalogService catalog;
    @Inject
    FlightService flight;

    /** What is stored before the first case, which every case must leave as it was. */
    private static long catalogVersion = -1;
    private static String catalogListing;
    private static String warehouseTotals;

    static Stream<String> payloads() {
        return PAYLOADS.stream();
    }

    static Stream<String> bodyPayloads() {
        return Stream.concat(PAYLOADS.stream(), Stream.of(LONG));
    }

    /** Values a header can carry: visible ISO-8859-1 text without line breaks or NUL. */
    static Stream<String> headerPayloads() {
        return PAYLOADS.stream().filter(p -> p.chars().allMatch(c -> c >= 0x20 && c < 0x7F));
    }

    @BeforeEach
    void recordWhatIsStored() throws Exception {
        if (catalogVersion < 0) {
            catalog.apply("catalog.yaml", Files.readString(Path.of("..", "examples", "catalog.yaml")), false, false);
            catalogVersion = catalog.catalogVersion();
            catalogListing = given().get("/api/v1/catalog").then().statusCode(200).extract().asString();
            warehouseTotals = warehouseTotals();
        }
    }

    @AfterEach
    void nothingStoredChanged() {
        assertThat(catalog.catalogVersion()).isEqualTo(catalogVersion);
        assertThat(given().get("/api/v1/catalog").then().statusCode(200).extract().asString()).isEqualTo(catalogListing);
        assertThat(warehouseTotals()).isEqualTo(warehouseTotals);
    }

    /** Every example table the metrics read, counted and summed in the warehouse. */
    private static String warehouseTotals() {
        String answer = given().contentType("application/json")
                .body("{\"metrics\": [\"orders\", \"revenue\", \"leads\", \"conversions\", \"predicted_leads\"]}")
                .post("/api/v1/metrics/query").then().statusCode(200).extract().jsonPath().getString("rows");
        assertThat(answer).doesNotContain("[0,").isNotEqualTo("[]");
        return answer;
    }

    // ---- bodies that are not what they claim ---------------------------------------------------------------

    @org.junit.jupiter.api.Test
    void deepJsonIsABadRequest() throws Exception {
        byte[] deep = ("{\"metrics\": " + "[".repeat(100_000) + "]".repeat(100_000) + "}").getBytes(StandardCharsets.UTF_8);
        for (String path : List.of("/api/v1/metrics/query", "/api/v1/training-sets", "/api/v1/online/features",
                "/api/v1/materialize", "/api/v1/stats/compare", "/api/v1/power",
                "/api/v1/experiments/checkout_redesign/analysis")) {
            assertThat(refusedRaw(path, "application/json", deep).path("status").asInt()).as(path).isEqualTo(400);
        }
        // deeper than any request needs, though within Jackson's own default of 1000
        byte[] objects = ("{\"metrics\": [\"revenue\"], \"x\": " + "{\"a\": ".repeat(200) + "1" + "}".repeat(200) + "}")
                .getBytes(StandardCharsets.UTF_8);
        assertThat(refusedRaw("/api/v1/metrics/query", "application/json", objects).path("detail").asText())
                .contains("nesting depth");
    }

    @org.junit.jupiter.api.Test
    void hugeNumbersAreABadRequest() throws Exception {
        for (String number : List.of("9".repeat(5_000), "1e999", "99999999999999999999")) {
            refusedRaw("/api/v1/metrics/query", "application/json",
                    ("{\"metrics\": [\"revenue\"], \"limit\": " + number + "}").getBytes(StandardCharsets.UTF_8));
        }
        refusedRaw("/api/v1/power", "application/json",
                "{\"baseline_rate\": 1e999, \"mde_relative\": 0.1}".getBytes(StandardCharsets.UTF_8));
        refusedRaw("/api/v1/training-sets", "application/json", ("{\"features\": [\"customer_profile:plan\"],"
                + " \"entities\": {\"customer_id\": [1e999], \"event_timestamp\": [\"2026-02-20\"]}}")
                .getBytes(StandardCharsets.UTF_8));
    }

    @org.junit.jupiter.api.Test
    void invalidUtf8IsABadRequest() throws Exception {
        byte[] json = "{\"metrics\": [\"rev\u00ffenue\"]}".getBytes(StandardCharsets.ISO_8859_1);
        for (String path : List.of("/api/v1/metrics/query", "/api/v1/training-sets", "/api/v1/online/features")) {
            assertThat(refusedRaw(path, "application/json", json).path("status").asInt()).as(path).isEqualTo(400);
        }
        byte[] yaml = "kind: entity\nname: caf\u00e9\nkeys: [id]\n".getBytes(StandardCharsets.ISO_8859_1);
        assertThat(refusedRaw("/api/v1/catalog/apply", "application/yaml", yaml).path("detail").asText())
                .contains("not valid UTF-8");
        // a multi-byte sequence cut off at the very end
        refusedRaw("/api/v1/metrics/query", "application/json",
                new byte[] {'{', '"', 'm', '"', ':', ' ', '"', (byte) 0xE2, (byte) 0x82});
    }

    /**
     * A body sent as raw bytes (RestAssured would pretty-print a deep JSON body for its log, which costs more than
     * the server does), expecting a 4xx problem; answers the problem.
     */
    private JsonNode refusedRaw(String path, String contentType, byte[] body) throws Exception {
        HttpResponse<byte[]> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(base.toURI().resolve(path))
                .header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        String text = new String(answer.body(), StandardCharsets.UTF_8);
        assertThat(answer.statusCode()).as(path + ": " + text).isBetween(400, 499);
        assertThat(answer.headers().firstValue("Content-Type").orElse("")).as(path)
                .startsWith("application/problem+json");
        JsonNode problem = JSON.readTree(answer.body());
        assertThat(problem.path("status").asInt()).isEqualTo(answer.statusCode());
        return problem;
    }

    // ---- error messages -------------------------------------------------------------------------------------

    @org.junit.jupiter.api.Test
    void errorMessagesNameColumnsButNeverRepeatValues() {
        // a query can name a column after data (a CSV header read from a file): the list shows it by position
        Response named = postJson("/api/v1/training-sets", Map.of("features", List.of("customer_profile:plan"),
                "entity_sql", "select 'x' as \"root:x:0:0:root:/root:/bin/bash\", current_timestamp as event_timestamp"));
        refused(named);
        assertThat(named.jsonPath().getString("detail")).contains("their columns: column 1 (its name is not shown),"
                + " event_timestamp").doesNotContain("root:x");
        // a value the warehouse fails on is left out of its message
        Response value = postJson("/api/v1/training-sets", Map.of("features", List.of("customer_profile:plan"),
                "entity_sql", "select customer_id, current_timestamp as event_timestamp, cast(customer_id || ':s3cret'"
                        + " as integer) as n from customers"));
        refused(value);
        assertThat(value.jsonPath().getString("detail")).contains("value not shown").doesNotContain("s3cret")
                .doesNotContain("cust_");
        // keys of another type than the source's are the request's mistake, named before the warehouse runs
        Response keys = postJson("/api/v1/training-sets", Map.of("features", List.of("customer_orders:orders_7d"),
                "entities", Map.of("customer_id", List.of(1, 2), "event_timestamp", List.of("2026-02-20", "2026-02-20"))));
        refused(keys);
        assertThat(keys.jsonPath().getString("detail")).contains("holds numbers").contains("holds text")
                .doesNotContain("cust_");
    }

    // ---- names in paths ------------------------------------------------------------------------------------

    @ParameterizedTest
    @MethodSource("payloads")
    void namesInPathsAreNotFoundOrRefused(String payload) {
        String p = segment(payload);
        refused(raw().get("/api/v1/catalog/entity/" + p));
        refused(raw().get("/api/v1/catalog/" + p + "/customer"));
        refused(raw().get("/api/v1/catalog/metric/" + p + "/versions"));
        refused(raw().get("/api/v1/jobs/" + p));
        refused(raw().get("/api/v1/feature-views/" + p + "/consistency"));
        refused(raw().get("/api/v1/feature-views/customer_profile/consistency?sample=" + p));
        refused(raw().get("/api/v1/monitors/" + p));
        refused(raw().post("/api/v1/monitors/" + p + "/run"));
        refused(raw().post("/api/v1/monitors/model_accuracy/run?at=" + p));
        refused(raw().post("/api/v1/experiments/" + p + "/analysis"));
    }

    /** A request whose path and query are sent as written here, already percent-encoded. */
    private static RequestSpecification raw() {
        return given().urlEncodingEnabled(false);
    }

    /** Percent-encodes every byte but the unreserved characters of RFC 3986. */
    private static String segment(String text) {
        StringBuilder out = new StringBuilder();
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xFF);
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "-._~".indexOf(c) >= 0) {
                out.append(c);
            } else {
                out.append('%').append(String.format("%02X", b & 0xFF));
            }
        }
        return out.toString();
    }

    // ---- names in bodies -----------------------------------------------------------------------------------

    @ParameterizedTest
    @MethodSource("bodyPayloads")
    void namesInBodiesAreRefused(String payload) {
        refused(postJson("/api/v1/metrics/query", Map.of("metrics", List.of(payload))));
        refused(postJson("/api/v1/metrics/query", Map.of("metrics", List.of("revenue"), "group_by", List.of(payload))));
        refused(postJson("/api/v1/metrics/query", Map.of("metrics", List.of("revenue"), "order_by", List.of(payload))));
        refused(postJson("/api/v1/metrics/query", Map.of("metrics", List.of("revenue"),
                "where", List.of(Map.of("dimension", payload, "op", "=", "values", List.of("DE"))))));
        refused(postJson("/api/v1/metrics/query", Map.of("metrics", List.of("revenue"),
                "where", List.of(Map.of("dimension", "country", "op", payload, "values", List.of("DE"))))));
        refused(postJson("/api/v1/metrics/query", Map.of("metrics", List.of("revenue"), "start", payload)));
        refused(postJson("/api/v1/training-sets", Map.of("features", List.of(payload),
                "entities", Map.of("customer_id", List.of("c"), "event_timestamp", List.of("2026-02-20T12:00:00Z")))));
        refused(postJson("/api/v1/training-sets", Map.of("features", List.of("customer_profile:" + payload),
                "entities", Map.of("customer_id", List.of("c"), "event_timestamp", List.of("2026-02-20T12:00:00Z")))));
        refused(postJson("/api/v1/training-sets", Map.of("features", List.of("customer_profile:plan"),
                "timestamp_column", payload,
                "entities", Map.of("customer_id", List.of("c"), "event_timestamp", List.of("2026-02-20T12:00:00Z")))));
        refused(postJson("/api/v1/training-sets", Map.of("features", List.of("customer_profile:plan"),
                "entities", Map.of("customer_id", List.of("c"), "event_timestamp", List.of(payload)))));
        refused(postJson("/api/v1/online/features", Map.of("features", List.of(payload),
                "entities", Map.of("customer_id", List.of("c")))));
        refused(postJson("/api/v1/materialize", Map.of("feature_views", List.of(payload))));
        refused(postJson("/api/v1/experiments/checkout_redesign/analysis",
                Map.of("cuped", Map.of("covariates", List.of(payload)))));
        refused(postJson("/api/v1/power", Map.of("baseline_rate", payload, "mde_relative", 0.1)));
        refused(postJson("/api/v1/stats/compare", Map.of("variants", Map.of(payload, Map.of("n", payload)))));
        String bundle = "kind: entity\nname: '" + payload.replace("'", "''") + "'\nkeys: [id]\n";
        refused(given().contentType("application/yaml").body(bundle.getBytes(StandardCharsets.UTF_8))
                .post("/api/v1/catalog/apply"));
        String feature = "kind: feature_view\nname: v\nentity: customer\nsource: orders\nfeatures:\n  - {name: x, column: '"
                + payload.replace("'", "''") + "'}\n";
        if (!payload.matches("[A-Za-z_][A-Za-z0-9_]*")) {
            // a plain word (NULL) is a column name like any other
            refused(given().contentType("application/yaml").body(feature.getBytes(StandardCharsets.UTF_8))
                    .post("/api/v1/catalog/apply?dry_run=true"));
        }
    }

    // ---- values that are data --------------------------------------------------------------------------------

    @ParameterizedTest
    @MethodSource("bodyPayloads")
    void whereValuesAreDataAndNeverSqlText(String payload) {
        Function<String, Response> query = value -> postJson("/api/v1/metrics/query", Map.of(
                "metrics", List.of("revenue", "orders"), "group_by", List.of("country"),
                "where", List.of(Map.of("dimension", "country", "op", "in", "values", List.of(value, "ZZ")))));
        Response benign = query.apply("zz_benign");
        Response hostile = query.apply(payload);
        hostile.then().statusCode(200);
        assertThat(hostile.jsonPath().getList("rows")).isEmpty();
        assertThat(hostile.jsonPath().getString("sql")).isEqualTo(benign.jsonPath().getString("sql"));
    }

    /** The key column first: the answer keeps the request's column order, and Map.of's order changes per JVM. */
    private static Map<String, Object> entityColumns(String payload) {
        Map<String, Object> columns = new java.util.LinkedHashMap<>();
        columns.put("customer_id", List.of(payload, "cust_00001"));
        columns.put("event_timestamp", List.of("2026-02-20T12:00:00Z", "2026-02-20T12:00:00Z"));
        return columns;
    }

    @ParameterizedTest
    @MethodSource("bodyPayloads")
    void entityKeysAreDataAndAnUnknownOneGetsNulls(String payload) {
        Response training = given().contentType("application/json").accept("text/csv")
                .body(json(Map.of("features", List.of("customer_profile:plan", "customer_orders:orders_7d"),
                        "entities", entityColumns(payload))))
                .post("/api/v1/training-sets");
        training.then().statusCode(200);
        List<String> lines = training.asString().lines().toList();
        assertThat(lines.get(0).split(",")).containsExactlyInAnyOrder("customer_id", "event_timestamp",
                "customer_profile__plan", "customer_orders__orders_7d");
        // each column found by its name in the header
        List<String> header = List.of(lines.get(0).split(","));
        String[] last = lines.get(lines.size() - 1).split(",", -1);
        assertThat(last[header.indexOf("customer_id")]).isEqualTo("cust_00001");
        assertThat(last[header.indexOf("customer_profile__plan")]).isNotEmpty();
        assertThat(last[header.indexOf("customer_orders__orders_7d")]).isNotEmpty();

        Response online = postJson("/api/v1/online/features", Map.of("features", List.of("customer_profile:plan"),
                "entities", Map.of("customer_id", List.of(payload))));
        if (online.statusCode() == 200) {
            assertThat(online.jsonPath().getList("rows")).hasSize(1);
            assertThat(online.jsonPath().getString("rows[0].customer_profile__plan")).isNull();
        } else {
            // views not materialized yet in this run
            refused(online);
            assertThat(online.statusCode()).isEqualTo(409);
        }
    }

    @ParameterizedTest
    @MethodSource("payloads")
    void entityColumnNamesReachTheWarehouseOnlyAsQuotedNames(String payload) {
        Response answer = given().contentType("application/json").accept("text/csv")
                .body(json(Map.of("features", List.of("customer_profile:plan"),
                        "entities", Map.of("customer_id", List.of("cust_00001"),
                                "event_timestamp", List.of("2026-02-20T12:00:00Z"), payload, List.of("v")))))
                .post("/api/v1/training-sets");
        if (answer.statusCode() != 200) {
            refused(answer);
        }
    }

    // ---- headers --------------------------------------------------------------------------------------------

    @ParameterizedTest
    @MethodSource("headerPayloads")
    void headersAreNeverMoreThanRefused(String payload) throws Exception {
        Response accept = given().header("Accept", payload).get("/api/v1/catalog");
        if (accept.statusCode() != 200) {
            refused(accept);
        }
        refusedRaw("/api/v1/metrics/query", payload, "{\"metrics\": [\"revenue\"]}".getBytes(StandardCharsets.UTF_8));
        for (String header : List.of("Authorization", "X-Forwarded-For", "X-Request-Id", "Cookie", "Origin")) {
            Response answer = given().header(header, payload).get("/api/v1/catalog/entity/customer");
            assertThat(answer.statusCode()).as(header).isLessThan(500);
            if (answer.statusCode() != 200) {
                refused(answer);
            }
        }
    }

    // ---- Arrow Flight and Flight SQL -------------------------------------------------------------------------

    private static final Set<FlightStatusCode> CLIENTS_FAULT = EnumSet.of(FlightStatusCode.INVALID_ARGUMENT,
            FlightStatusCode.NOT_FOUND, FlightStatusCode.UNIMPLEMENTED, FlightStatusCode.RESOURCE_EXHAUSTED);

    @ParameterizedTest
    @MethodSource("bodyPayloads")
    void flightDescriptorsTicketsActionsAndStatementsAreRefusedOrAnswered(String payload) throws Exception {
        try (BufferAllocator allocator = new RootAllocator();
                FlightClient client = FlightClient.builder(allocator, Location.forGrpcInsecure("127.0.0.1",
                        flight.port())).build()) {
            byte[] raw = payload.getBytes(StandardCharsets.UTF_8);
            Map<String, Runnable> calls = new java.util.LinkedHashMap<>();
            calls.put("descriptor path", () -> client.getInfo(FlightDescriptor.path(payload)));
            calls.put("descriptor command", () -> client.getInfo(FlightDescriptor.command(raw)));
            calls.put("feature name", () -> client.getInfo(FlightDescriptor.command(json(Map.of("training_set", Map.of(
                    "features", List.of(payload), "start", "2026-02-01", "end", "2026-02-02"))).getBytes(
                    StandardCharsets.UTF_8))));
            calls.put("start", () -> client.getInfo(FlightDescriptor.command(json(Map.of("training_set", Map.of(
                    "features", List.of("customer_profile:plan"), "start", payload, "end", "2026-02-02"))).getBytes(
                    StandardCharsets.UTF_8))));
            calls.put("ticket", () -> drain(client.getStream(new Ticket(raw))));
            calls.put("action", () -> client.doAction(new Action(payload)).forEachRemaining(r -> { }));
            FlightSqlClient sql = new FlightSqlClient(client);
            calls.put("selected name", () -> sql.execute("SELECT " + quotedName(payload) + " FROM metrics"));
            calls.put("table", () -> sql.execute("SELECT revenue FROM " + quotedName(payload)));
            calls.put("where name", () -> sql.execute("SELECT revenue FROM metrics WHERE " + quotedName(payload)
                    + " = 'DE'"));
            calls.put("statement", () -> sql.execute(payload));
            calls.forEach((what, call) -> assertThatThrownBy(call::run).as(what)
                    .isInstanceOfSatisfying(FlightRuntimeException.class,
                            e -> assertThat(e.status().code()).as(what + ": " + e.getMessage()).isIn(CLIENTS_FAULT)));
            // a value in a statement is data: the answer is empty, and no row of the warehouse changed
            if (payload.indexOf('\0') < 0 && payload.length() < 60_000) {
                FlightInfo info = sql.execute("SELECT revenue FROM metrics WHERE country = '" + payload.replace("'", "''")
                        + "' GROUP BY country");
                try (FlightStream stream = sql.getStream(info.getEndpoints().get(0).getTicket())) {
                    long rows = 0;
                    while (stream.next()) {
                        rows += stream.getRoot().getRowCount();
                    }
                    assertThat(rows).isZero();
                }
            }
        }
    }

    private static String quotedName(String name) {
        return "\"" + name.replace("\"", "\"\"") + "\"";
    }

    private static void drain(FlightStream stream) {
        try (stream) {
            while (stream.next()) {
                // nothing: only the status matters
            }
        } catch (FlightRuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    // ---- helpers ------------------------------------------------------------------------------------------------

    private static Response postJson(String path, Map<String, ?> body) {
        return given().contentType("application/json").body(json(body)).post(path);
    }

    private static String json(Map<String, ?> body) {
        try {
            return JSON.writeValueAsString(body);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A 4xx answered as a problem whose status is the answer's. */
    static void refused(Response answer) {
        assertThat(answer.statusCode()).as(() -> answer.asString()).isBetween(400, 499);
        assertThat(answer.contentType()).as(() -> answer.statusCode() + " " + answer.asString())
                .startsWith("application/problem+json");
        ObjectNode problem;
        try {
            problem = (ObjectNode) JSON.readTree(answer.asByteArray());
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + answer.asString(), e);
        }
        assertThat(problem.path("status").asInt()).isEqualTo(answer.statusCode());
        assertThat(problem.path("title").asText()).isNotBlank();
    }
}
