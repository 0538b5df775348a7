package dev.fletcher.server.cli;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fletcher.sdk.FletcherClient;
import dev.fletcher.sdk.MetricQuery;
import dev.fletcher.sdk.MetricQueryResult;
import dev.fletcher.server.example.ExampleProfile;
import dev.fletcher.server.flight.FlightService;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URL;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowFileReader;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The fletcher command line against the example server, as the README's tour uses it. */
@QuarkusTest
@TestProfile(ExampleProfile.class)
class CliTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String BUNDLE = """
            kind: entity
            name: cli_user
            keys: [user_id]
            ---
            kind: source
            name: cli_clicks
            table: clicks
            timestamp: clicked_at
            entity_columns: {cli_user: user_id}
            ---
            kind: feature_view
            name: cli_user_clicks
            entity: cli_user
            source: cli_clicks
            features:
              - {name: clicks_1h, aggregation: count, window: 1h}
            """;

    @TestHTTPResource("/")
    URL http;
    @Inject
    FlightService flight;
    @TempDir
    Path dir;

    Map<String, String> env;

    @BeforeEach
    void environment() throws Exception {
        env = Map.of("FLETCHER_URL", http.toString(), "FLETCHER_FLIGHT", "grpc+tcp://127.0.0.1:" + flight.port());
        try (FletcherClient fletcher = FletcherClient.connect(http.toURI())) {
            fletcher.apply(Files.readString(Path.of("..", "examples", "catalog.yaml")));
        }
    }

    private CliRun fletcher(String... args) {
        return CliRun.of(env, dir, args);
    }

    private static JsonNode restDryRun(String yaml, boolean prune) throws IOException {
        String body = given().contentType("application/yaml").body(yaml.getBytes(StandardCharsets.UTF_8))
                .post("/api/v1/catalog/apply?dry_run=true&prune=" + prune).then().statusCode(200).extract().asString();
        return JSON.readTree(body);
    }

    /** The plan's substance: every change's kind, name, action and version, and the counts. */
    private static List<String> plan(JsonNode answer) {
        List<String> lines = new ArrayList<>();
        answer.path("changes").forEach(c -> lines.add(c.path("kind").asText() + "/" + c.path("name").asText() + " "
                + c.path("action").asText() + " " + c.path("version").asInt()));
        lines.add("summary " + answer.path("summary"));
        lines.add("catalog_version " + answer.path("catalog_version").asLong());
        return lines;
    }

    @Test
    void planAndApplyPrintTheSamePlanAsTheRestApi() throws Exception {
        Path file = dir.resolve("clicks.yaml");
        Files.writeString(file, BUNDLE);

        CliRun planned = fletcher("plan", file.toString(), "--output", "json");
        assertThat(planned.exitCode()).as(planned.toString()).isZero();
        assertThat(plan(JSON.readTree(planned.out()))).isEqualTo(plan(restDryRun(BUNDLE, false)));

        CliRun human = fletcher("plan", file.toString());
        assertThat(human.exitCode()).as(human.toString()).isZero();
        for (JsonNode change : restDryRun(BUNDLE, false).path("changes")) {
            assertThat(human.out()).contains(change.path("kind").asText() + "/" + change.path("name").asText() + "  "
                    + change.path("action").asText() + " (version " + change.path("version").asInt() + ")");
        }

        CliRun applied = fletcher("apply", file.toString());
        assertThat(applied.exitCode()).as(applied.toString()).isZero();
        assertThat(applied.out()).contains("Applied: ").doesNotContain("    + ");

        String changed = BUNDLE + "  - {name: clicks_1d, aggregation: count, window: 1d}\n";
        Files.writeString(file, changed);
        JsonNode rest = restDryRun(changed, false);
        CliRun update = fletcher("plan", file.toString(), "-o", "json");
        assertThat(plan(JSON.readTree(update.out()))).isEqualTo(plan(rest));
        int stored = given().get("/api/v1/catalog/feature_view/cli_user_clicks").then().extract().path("version");
        assertThat(plan(rest)).contains("feature_view/cli_user_clicks updated " + (stored + 1));
        CliRun diff = fletcher("plan", file.toString());
        assertThat(diff.out()).contains("~ feature_view/cli_user_clicks  updated", "+ ", "clicks_1d")
                .contains("  entity/cli_user  unchanged");
        // The stored definition against the bundle's, both as YAML: the change adds three lines and removes none.
        assertThat(diff.out().lines().filter(l -> l.startsWith("    + ")).toList()).containsExactly(
                "    +   - name: clicks_1d", "    +     aggregation: count", "    +     window: 1d");
        assertThat(diff.out().lines().filter(l -> l.startsWith("    - ")).toList()).isEmpty();
        assertThat(diff.out()).contains("          window: 1h\n");

        // --prune: the plan lists the example's objects as deletions, exactly as the REST API does.
        CliRun prune = fletcher("plan", file.toString(), "--prune", "-o", "json");
        assertThat(plan(JSON.readTree(prune.out()))).isEqualTo(plan(restDryRun(changed, true)));

        assertThat(fletcher("apply", file.toString()).exitCode()).isZero();
        CliRun yaml = fletcher("get", "feature_view", "cli_user_clicks");
        assertThat(yaml.out()).startsWith("kind: feature_view\nname: cli_user_clicks\n").contains("clicks_1d");
        CliRun versions = fletcher("history", "feature_view", "cli_user_clicks");
        assertThat(versions.out()).contains("VERSION", "updated");
        CliRun history = fletcher("history", "--limit", "5", "-o", "json");
        assertThat(JSON.readTree(history.out()).get(0).path("name").asText()).isEqualTo("cli_user_clicks");
    }

    @Test
    void theStarterProjectPlansOnTheExampleServer() throws Exception {
        assertThat(fletcher("init", "starter").exitCode()).isZero();
        CliRun plan = fletcher("plan", "starter/catalog", "-o", "json");
        assertThat(plan.exitCode()).as(plan.toString()).isZero();
        assertThat(JSON.readTree(plan.out()).path("summary").path("created").asInt()).isEqualTo(4);
    }

    @Test
    void aBundleTheServerRefusesNamesTheFileAndLine() throws Exception {
        Path folder = Files.createDirectories(dir.resolve("catalog"));
        Files.writeString(folder.resolve("a.yaml"), "kind: entity\nname: cli_ok\nkeys: [id]\n");
        Files.writeString(folder.resolve("b.yaml"), """
                # a view over a source that is nowhere
                kind: feature_view
                name: cli_broken
                entity: cli_ok
                source: cli_nowhere
                features:
                  - {name: n, aggregation: count, window: 1h}
                """);
        CliRun run = fletcher("plan", folder.toString());
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
        assertThat(run.err()).contains("b.yaml#1 line 5 field 'source'", "cli_nowhere").doesNotContain("Exception");
    }

    @Test
    void trainingSetsAsCsvAndArrowWithTheScoresOfTheTour() throws Exception {
        // The README's first training set: an hour after each lead, its score exists.
        Path csv = dir.resolve("leads.csv");
        CliRun leads = fletcher("training-set", "-f", "referrer_conversion:conversion_rate_3h,lead_prediction:score",
                "--entity-sql", "select lead_id, referrer, created_at + interval '1' hour as event_timestamp"
                        + " from leads order by created_at desc limit 5", "--file", csv.toString(), "--progress");
        assertThat(leads.exitCode()).as(leads.toString()).isZero();
        List<String> lines = Files.readAllLines(csv);
        assertThat(lines.get(0)).isEqualTo("lead_id,referrer,event_timestamp,referrer_conversion__conversion_rate_3h,"
                + "lead_prediction__score");
        assertThat(lines).hasSize(6);
        for (String line : lines.subList(1, 6)) {
            String[] cells = line.split(",", -1);
            assertThat(cells[4]).as(line).isNotEmpty();
            assertThat(Double.parseDouble(cells[4])).isBetween(0.0, 1.0);
        }
        assertThat(leads.err()).contains("5 rows");

        // The tour's clicks bundle on the example's clicks table, written as an Arrow file.
        Files.writeString(dir.resolve("clicks.yaml"), BUNDLE);
        assertThat(fletcher("apply", "clicks.yaml").exitCode()).isZero();
        Path arrow = dir.resolve("clicks.arrow");
        long counted = 0;
        CliRun clicks = fletcher("training-set", "-f", "cli_user_clicks:clicks_1h", "--entity-sql",
                "select user_id, clicked_at as event_timestamp from clicks order by clicked_at limit 100",
                "--file", "clicks.arrow");
        assertThat(clicks.exitCode()).as(clicks.toString()).isZero();
        assertThat(clicks.err()).as("no progress off a terminal unless asked").isEmpty();
        try (RootAllocator allocator = new RootAllocator();
             FileChannel channel = FileChannel.open(arrow);
             ArrowFileReader reader = new ArrowFileReader(channel, allocator)) {
            long rows = 0;
            while (reader.loadNextBatch()) {
                VectorSchemaRoot batch = reader.getVectorSchemaRoot();
                rows += batch.getRowCount();
                for (int i = 0; i < batch.getRowCount(); i++) {
                    Object count = batch.getVector("cli_user_clicks__clicks_1h").getObject(i);
                    counted += count == null ? 0 : ((Number) count).longValue();
                }
            }
            assertThat(rows).isEqualTo(100);
            // each click counts itself at its own time
            assertThat(counted).isGreaterThanOrEqualTo(100);
        }

        // Without entity rows: every user at each of its own clicks in a range, as the README's tour asks.
        CliRun range = fletcher("training-set", "-f", "cli_user_clicks:clicks_1h", "--start", "2026-03-01",
                "--end", "2026-03-02", "--file", "day.csv");
        assertThat(range.exitCode()).as(range.toString()).isZero();
        List<String> day = Files.readAllLines(dir.resolve("day.csv"));
        assertThat(day.get(0)).isEqualTo("user_id,event_timestamp,cli_user_clicks__clicks_1h");
        assertThat(day.size() - 1).isBetween(300, 1000);
        assertThat(day.subList(1, day.size())).allSatisfy(line -> assertThat(line).contains(",2026-03-01T"));

        // The same set as Parquet, read back with the server's own DuckDB.
        CliRun parquet = fletcher("training-set", "-f", "cli_user_clicks:clicks_1h", "--entity-sql",
                "select user_id, clicked_at as event_timestamp from clicks order by clicked_at limit 100",
                "--file", "clicks.parquet");
        assertThat(parquet.exitCode()).as(parquet.toString()).isZero();
        try (Connection duckdb = DriverManager.getConnection("jdbc:duckdb:");
             ResultSet read = duckdb.createStatement().executeQuery("select count(*), sum(cli_user_clicks__clicks_1h),"
                     + " min(typeof(event_timestamp)) from read_parquet('" + dir.resolve("clicks.parquet") + "')")) {
            assertThat(read.next()).isTrue();
            assertThat(read.getLong(1)).isEqualTo(100);
            assertThat(read.getLong(2)).isEqualTo(counted);
            assertThat(read.getString(3)).startsWith("TIMESTAMP");
        }
    }

    @Test
    void metricQueryAsTheSdkAnswersIt() throws Exception {
        CliRun run = fletcher("query", "revenue,orders", "--grain", "week", "--by", "country", "--from", "2026-02-02",
                "--to", "2026-02-16", "--where", "country in DE,FR", "-o", "json");
        assertThat(run.exitCode()).as(run.toString()).isZero();
        MetricQueryResult expected;
        try (FletcherClient fletcher = FletcherClient.connect(http.toURI())) {
            expected = fletcher.queryMetrics(MetricQuery.of("revenue", "orders")
                    .groupBy("metric_time__week", "country").where(MetricQuery.Filter.in("country", "DE", "FR"))
                    .between(LocalDate.parse("2026-02-02"), LocalDate.parse("2026-02-16")));
        }
        JsonNode answer = JSON.readTree(run.out());
        assertThat(answer.path("rows").size()).isEqualTo(expected.rowCount()).isEqualTo(4);
        assertThat(answer.path("rows").get(0).get(2).asDouble()).isEqualTo(expected.number(0, "revenue"));

        CliRun table = fletcher("query", "revenue", "--grain", "week", "--from", "2026-02-02", "--to", "2026-02-16");
        assertThat(table.out().lines().findFirst().orElseThrow()).contains("metric_time__week", "revenue");
        assertThat(table.out().lines().count()).isEqualTo(3);

        CliRun wrong = fletcher("query", "revenue,leads", "--by", "referrer");
        assertThat(wrong.exitCode()).isEqualTo(1);
        assertThat(wrong.err()).startsWith("error: ").contains("'referrer' is not among its dimensions")
                .doesNotContain("Exception");
    }

    @Test
    void analysisAndMaterializationWithProgress() throws Exception {
        CliRun analysis = fletcher("analyze", "checkout_redesign", "-o", "json");
        assertThat(analysis.exitCode()).as(analysis.toString()).isZero();
        JsonNode rest = JSON.readTree(given().post("/api/v1/experiments/checkout_redesign/analysis").then()
                .statusCode(200).extract().asString());
        JsonNode cli = JSON.readTree(analysis.out());
        assertThat(cli.path("subjects")).isEqualTo(rest.path("subjects"));
        // The warehouse sums in its own order each time: the last digits may differ between two runs.
        for (int i = 0; i < rest.path("results").size(); i++) {
            double expected = rest.path("results").get(i).path("cuped").path("estimate").asDouble();
            assertThat(cli.path("results").get(i).path("cuped").path("estimate").asDouble())
                    .isCloseTo(expected, within(1e-9 * Math.abs(expected)));
        }
        CliRun table = fletcher("analyze", "checkout_redesign");
        assertThat(table.out()).contains("revenue", "treatment", "CUPED");
        // The plans each customer had when assigned, each a slice of its own.
        List<String> plans = given().post("/api/v1/experiments/checkout_redesign/analysis?slice=customer_profile__plan")
                .then().statusCode(200).extract().jsonPath().<Object>getList("slices.value").stream()
                .map(String::valueOf).toList();
        CliRun sliced = fletcher("analyze", "checkout_redesign", "--slice", "customer_profile__plan");
        assertThat(sliced.exitCode()).as(sliced.toString()).isZero();
        assertThat(sliced.out()).contains("CUSTOMER_PROFILE__PLAN", "SRM p");
        assertThat(plans).isNotEmpty().allSatisfy(plan -> assertThat(sliced.out()).contains(plan));
        CliRun both = fletcher("analyze", "checkout_redesign", "--slice", "customer_profile__plan", "--by-day");
        assertThat(both.exitCode()).isEqualTo(2);

        CliRun job = fletcher("materialize", "customer_profile", "--progress");
        assertThat(job.exitCode()).as(job.toString()).isZero();
        assertThat(job.out()).contains("succeeded", "customer_profile");
        assertThat(job.err()).contains("] 1/1", "succeeded");
    }

    @Test
    void aBadTokenOrNoServerIsAPlainMessageAndAnExitCode() throws Exception {
        CliRun refused = CliRun.of(Map.of("FLETCHER_URL", http.toString(), "FLETCHER_TOKEN", "fk_not_a_key"), dir,
                "get", "entity", "lead");
        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(refused.err()).startsWith("error: ").contains("(401)", "the API key is not known to this server")
                .doesNotContain("Exception", "\tat ");
        assertThat(refused.out()).isEmpty();

        // The flag takes precedence over the environment.
        CliRun flag = fletcher("get", "entity", "lead", "--token", "fk_not_a_key_either");
        assertThat(flag.exitCode()).isEqualTo(1);

        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        CliRun nobody = fletcher("get", "entity", "lead", "--url", "http://127.0.0.1:" + port);
        assertThat(nobody.exitCode()).isEqualTo(3);
        assertThat(nobody.err()).contains("did not answer").doesNotContain("\tat ");

        CliRun unknown = fletcher("get", "entity", "nobody_here");
        assertThat(unknown.exitCode()).isEqualTo(1);
        assertThat(unknown.err()).contains("(404)", "nobody_here");
    }
}
