package dev.fletcher.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Reading and waiting for jobs against a stand-in server whose answers the test controls. */
class MaterializationJobTest {
    private static final String JOB = """
            {"id": "j1", "kind": "materialize", "state": "%s", "trigger": "request", "feature_views": ["profile"],
             "end": null, "full": false, "created_at": "2026-03-02T10:00:00Z", "started_at": null,
             "finished_at": null, "progress": {"views_done": 0, "views_total": 1, "current_view": null,
             "rows_written": 0}, "runs": [], "shards": 4}""";

    private HttpServer server;
    private final AtomicInteger polls = new AtomicInteger();
    private volatile String state = "running";

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/api/v1/jobs/j1", exchange -> {
            polls.incrementAndGet();
            byte[] body = JOB.formatted(state).getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private FletcherClient client() {
        return FletcherClient.connect(URI.create("http://127.0.0.1:" + server.getAddress().getPort()));
    }

    @Test
    void waitingEndsWithThePatienceAndAnswersTheJobAsLastSeen() {
        try (FletcherClient client = client()) {
            long before = System.nanoTime();
            MaterializationJob job = client.awaitMaterialization("j1", Duration.ofMillis(300));
            assertThat(Duration.ofNanos(System.nanoTime() - before)).isLessThan(Duration.ofSeconds(5));
            assertThat(job.state()).isEqualTo(MaterializationJob.State.RUNNING);
            assertThat(job.finished()).isFalse();
            assertThat(job.createdAt()).isEqualTo(Instant.parse("2026-03-02T10:00:00Z"));
            assertThat(job.end()).isNull();
            assertThat(polls.get()).isGreaterThan(1);
        }
    }

    @Test
    void aStateThisClientDoesNotKnowIsUnknownNotAnError() {
        state = "paused";
        try (FletcherClient client = client()) {
            MaterializationJob job = client.materializationJob("j1");
            assertThat(job.state()).isEqualTo(MaterializationJob.State.UNKNOWN);
            assertThat(job.finished()).isFalse();
        }
        state = "failed";
        try (FletcherClient client = client()) {
            assertThat(client.awaitMaterialization("j1", Duration.ofMinutes(1)).finished()).isTrue();
        }
    }
}
