package dev.fletcher.server.online;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The packaged server is killed (SIGKILL) while a materialization writes its layer to a real Redis: the view keeps
 * serving its previous values, the half-written layer is never read, and a server started again on the same data
 * directory runs the materialization to the end.
 */
class MaterializationKillIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int CUSTOMERS = 200_000;
    /** One event a second from 2026-01-01 on: customer i mod CUSTOMERS spends i. */
    private static final String BUNDLE = """
            kind: entity
            name: kill_customer
            keys: [customer_id]
            ---
            kind: source
            name: kill_events
            sql: "select 'c' || (i %% %d) as customer_id, cast(i as double) as amount, timestamp '2026-01-01 00:00:00' + to_seconds(i) as ts from range(%d) as t(i)"
            timestamp: ts
            entity_columns: {kill_customer: customer_id}
            ---
            kind: feature_view
            name: kill_view
            entity: kill_customer
            source: kill_events
            online: true
            features:
              - {name: last_amount, column: amount}
            """.formatted(CUSTOMERS, 4 * CUSTOMERS);

    private final HttpClient http = HttpClient.newHttpClient();
    private final List<Process> servers = new ArrayList<>();
    private Path dir;
    private Process redis;
    private int redisPort;
    private int httpPort;

    @BeforeEach
    void startRedis() throws Exception {
        dir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "kill-it-");
        redisPort = freePort();
        redis = new ProcessBuilder("redis-server", "--port", Integer.toString(redisPort), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--dir", dir.toString()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("redis.log").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!"PONG".equals(redisCli("PING").strip())) {
            assertThat(System.nanoTime()).as("redis-server answers").isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    @AfterEach
    void stopAll() {
        servers.forEach(Process::destroyForcibly);
        if (redis != null) {
            redis.destroyForcibly();
        }
    }

    @Test
    void aServerKilledWhileWritingLeavesThePreviousValuesServingAndTheNextRunCompletes() throws Exception {
        Process server = startServer();
        assertThat(post("/api/v1/catalog/apply", "application/yaml", BUNDLE).statusCode()).isEqualTo(200);

        // A first run as of 2026-01-03: every customer's last amount is its last event's (i < 172800).
        String first = "2026-01-03T00:00:00Z";
        awaitJob(materialize(first, false));
        assertThat(lastAmount("c7")).isEqualTo(7.0 + CUSTOMERS * ((172_800 - 1 - 7) / CUSTOMERS));
        Set<String> published = layers();
        assertThat(published).isNotEmpty();

        // A full run as of 2026-01-05 starts writing a new layer; the server dies as soon as it appears.
        String second = "2026-01-05T00:00:00Z";
        String job = materialize(second, true);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        Set<String> now = layers();
        while (now.equals(published)) {
            assertThat(System.nanoTime()).as("the second run starts writing (job %s)", job).isLessThan(deadline);
            Thread.sleep(5);
            now = layers();
        }
        server.destroyForcibly().waitFor();
        assertThat(server.isAlive()).isFalse();
        // What it wrote carries an expiry until published: nobody has to clean up after the dead server.
        Set<String> unpublished = new TreeSet<>(layers());
        unpublished.removeAll(published);
        for (String layer : unpublished) {
            for (String key : redisCli("--scan", "--pattern", "*kill_view:layer:" + layer + ":*").split("\n")) {
                if (!key.isBlank()) {
                    assertThat(Long.parseLong(redisCli("TTL", key.strip()).strip())).as("TTL of %s", key).isPositive();
                }
            }
        }

        // The run never finished: the previous state still serves, from the first run's layers.
        Process again = startServer();
        assertThat(asOf()).isEqualTo(first);
        assertThat(lastAmount("c7")).isEqualTo(7.0 + CUSTOMERS * ((172_800 - 1 - 7) / CUSTOMERS));

        // The next run completes, and every customer reads the second watermark's values.
        awaitJob(materialize(second, true));
        assertThat(asOf()).isEqualTo(second);
        assertThat(lastAmount("c7")).isEqualTo(7.0 + CUSTOMERS * ((345_600 - 1 - 7) / CUSTOMERS));
        assertThat(lastAmount("c199999")).isEqualTo(199_999.0 + CUSTOMERS * ((345_600 - 1 - 199_999) / CUSTOMERS));
        assertThat(again.isAlive()).isTrue();
    }

    private Process startServer() throws Exception {
        httpPort = freePort();
        Path jar = Path.of("target", "quarkus-app", "quarkus-run.jar").toAbsolutePath();
        assertThat(jar).as("the packaged server (the package phase builds it)").isRegularFile();
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-opens=java.base/java.nio=ALL-UNNAMED", "-Xmx512m",
                "-Dfletcher.data-dir=" + dir.resolve("data"),
                "-Dquarkus.http.port=" + httpPort, "-Dfletcher.flight.port=" + freePort(),
                "-Dfletcher.online.plugin=redis",
                "-Dfletcher.online.redis.url=redis://127.0.0.1:" + redisPort,
                "-jar", jar.toString());
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("server.log").toFile())).start();
        servers.add(process);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (true) {
            assertThat(process.isAlive()).as("the server runs (see %s)", dir.resolve("server.log")).isTrue();
            assertThat(System.nanoTime()).as("the server is ready").isLessThan(deadline);
            try {
                if (get("/q/health/ready").statusCode() == 200) {
                    return process;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(200);
        }
    }

    private String materialize(String end, boolean full) throws Exception {
        HttpResponse<String> answer = post("/api/v1/materialize", "application/json",
                "{\"feature_views\": [\"kill_view\"], \"end\": \"" + end + "\", \"full\": " + full + "}");
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(202);
        return JSON.readTree(answer.body()).path("id").asText();
    }

    private void awaitJob(String id) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(300);
        while (true) {
            JsonNode job = JSON.readTree(get("/api/v1/jobs/" + id).body());
            String state = job.path("state").asText();
            if (state.equals("succeeded")) {
                return;
            }
            assertThat(state).as(job.toString()).isNotEqualTo("failed");
            assertThat(System.nanoTime()).as("job %s ends", id).isLessThan(deadline);
            Thread.sleep(200);
        }
    }

    private double lastAmount(String customer) throws Exception {
        return read(customer).path("rows").get(0).path("kill_view__last_amount").asDouble();
    }

    /** The watermark the view serves. */
    private String asOf() throws Exception {
        return read("c7").path("as_of").path("kill_view").asText();
    }

    private JsonNode read(String customer) throws Exception {
        HttpResponse<String> answer = post("/api/v1/online/features", "application/json",
                "{\"features\": [\"kill_view:last_amount\"], \"entities\": {\"customer_id\": [\"" + customer + "\"]}}");
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        return JSON.readTree(answer.body());
    }

    /** The view's layers present in Redis: published or not. */
    private Set<String> layers() throws Exception {
        Set<String> ids = new TreeSet<>();
        for (String key : redisCli("--scan", "--pattern", "*kill_view:layer:*").split("\n")) {
            String[] parts = key.strip().split(":layer:");
            if (parts.length == 2) {
                ids.add(parts[1].split(":")[0]);
            }
        }
        return ids;
    }

    private String redisCli(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("redis-cli", "-p", Integer.toString(redisPort)));
        command.addAll(List.of(args));
        Process cli = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(cli.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        cli.waitFor();
        return out;
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path))
                .timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path, String type, String body) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path))
                .timeout(Duration.ofSeconds(120)).header("Content-Type", type)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
