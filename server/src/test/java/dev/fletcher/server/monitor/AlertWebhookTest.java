package dev.fletcher.server.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.fletcher.catalog.persistence.MonitorEvaluation;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The alert webhook against a real local HTTP receiver that fails, hangs or is gone: deliveries are retried with
 * a doubling backoff and given up visibly, and no call ever holds up the caller.
 */
class AlertWebhookTest {
    private final SimpleMeterRegistry metrics = new SimpleMeterRegistry();
    private final List<String> bodies = Collections.synchronizedList(new ArrayList<>());
    private final List<Long> arrivals = Collections.synchronizedList(new ArrayList<>());
    private HttpServer receiver;

    @AfterEach
    void stop() {
        if (receiver != null) {
            receiver.stop(0);
        }
    }

    /** A receiver at /alerts that answers the statuses in turn (the last one from then on). */
    private String receiver(CountDownLatch release, int... statuses) throws IOException {
        AtomicInteger calls = new AtomicInteger();
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        receiver.createContext("/alerts", exchange -> {
            arrivals.add(System.nanoTime());
            bodies.add(new String(exchange.getRequestBody().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            int call = calls.getAndIncrement();
            exchange.sendResponseHeaders(statuses[Math.min(call, statuses.length - 1)], -1);
            exchange.close();
        });
        receiver.start();
        return "http://127.0.0.1:" + receiver.getAddress().getPort() + "/alerts";
    }

    private AlertWebhook webhook(String url, int attempts, Duration backoff, Duration timeout) {
        MonitorConfig.Alerts config = new MonitorConfig.Alerts() {
            @Override
            public Optional<String> webhook() {
                return Optional.of(url);
            }

            @Override
            public Duration webhookTimeout() {
                return timeout;
            }

            @Override
            public int webhookAttempts() {
                return attempts;
            }

            @Override
            public Duration webhookBackoff() {
                return backoff;
            }
        };
        return new AlertWebhook(config, new ObjectMapper(), metrics);
    }

    private static MonitorEvaluation change(String monitor) {
        Instant at = Instant.parse("2026-02-10T00:00:00Z");
        return new MonitorEvaluation(monitor, at, 0.42, MonitorEvaluation.ALERTING, "over 0.4", at);
    }

    private double count(String outcome) {
        return metrics.get("fletcher.alerts.deliveries").tag("outcome", outcome).counter().count();
    }

    @Test
    void aFailingReceiverGetsTheChangeAgainAfterADoublingBackoffUntilItTakesIt() throws Exception {
        CountDownLatch open = new CountDownLatch(0);
        String url = receiver(open, 503, 500, 204);
        webhook(url, 5, Duration.ofMillis(200), Duration.ofSeconds(5)).changed(change("m"), "ok")
                .get(20, TimeUnit.SECONDS);

        assertThat(bodies).hasSize(3).allSatisfy(body -> assertThat(body).contains("\"monitor\":\"m\"")
                .contains("\"state\":\"alerting\"").contains("\"previous_state\":\"ok\""));
        long firstWait = TimeUnit.NANOSECONDS.toMillis(arrivals.get(1) - arrivals.get(0));
        long secondWait = TimeUnit.NANOSECONDS.toMillis(arrivals.get(2) - arrivals.get(1));
        assertThat(firstWait).isGreaterThanOrEqualTo(200);
        assertThat(secondWait).isGreaterThanOrEqualTo(400);
        assertThat(count("retried")).isEqualTo(2.0);
        assertThat(count("delivered")).isEqualTo(1.0);
        assertThat(count("given_up")).isZero();
    }

    @Test
    void aDeadReceiverIsGivenUpAfterTheConfiguredAttemptsAndCounted() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        webhook("http://127.0.0.1:" + closedPort + "/alerts", 3, Duration.ofMillis(50), Duration.ofSeconds(2))
                .changed(change("dead"), null).get(20, TimeUnit.SECONDS);

        assertThat(count("retried")).isEqualTo(2.0);
        assertThat(count("given_up")).isEqualTo(1.0);
        assertThat(count("delivered")).isZero();
    }

    @Test
    void aClientErrorIsNotSentAgain() throws Exception {
        String url = receiver(new CountDownLatch(0), 400);
        webhook(url, 5, Duration.ofMillis(50), Duration.ofSeconds(5)).changed(change("m"), "ok")
                .get(20, TimeUnit.SECONDS);

        assertThat(bodies).hasSize(1);
        assertThat(count("given_up")).isEqualTo(1.0);
        assertThat(count("retried")).isZero();
    }

    @Test
    void aHangingReceiverHoldsUpNoCallerAndTimesOutIntoARetry() throws Exception {
        CountDownLatch hold = new CountDownLatch(1);
        String url = receiver(hold, 204);
        AlertWebhook webhook = webhook(url, 2, Duration.ofMillis(50), Duration.ofMillis(500));

        // Both changes are handed over while the receiver holds the first call: the caller never waits for it.
        CompletableFuture<Void> first = webhook.changed(change("a"), "ok");
        CompletableFuture<Void> second = webhook.changed(change("b"), "ok");
        assertThat(first).isNotDone();
        assertThat(second).isNotDone();

        // Each call times out after 500 ms and is sent once more; then the receiver answers.
        CompletableFuture.allOf(first, second).get(20, TimeUnit.SECONDS);
        hold.countDown();
        assertThat(count("retried")).isEqualTo(2.0);
        assertThat(count("given_up")).isEqualTo(2.0);
        assertThat(bodies).hasSize(4);
    }
}
