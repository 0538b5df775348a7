package dev.fletcher.server.monitor;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fletcher.catalog.persistence.MonitorEvaluation;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Logs every change of a monitor's state and POSTs it as JSON to {@code fletcher.alerts.webhook} when set. Delivery
 * never holds up an evaluation: calls run in the background, a failed one is sent again with a doubling backoff,
 * and one that still fails after {@code fletcher.alerts.webhook-attempts} is given up with an error in the log. The
 * counter {@code fletcher.alerts.deliveries} counts each change by outcome ({@code delivered}, {@code given_up})
 * and each retry ({@code retried}).
 */
@ApplicationScoped
public class AlertWebhook {
    private static final Logger LOG = Logger.getLogger(AlertWebhook.class);

    private final MonitorConfig.Alerts config;
    private final ObjectMapper json;
    private final HttpClient http;
    private final Counter delivered;
    private final Counter retried;
    private final Counter givenUp;

    @Inject
    public AlertWebhook(MonitorConfig config, ObjectMapper json, MeterRegistry metrics) {
        this(config.alerts(), json, metrics);
    }

    AlertWebhook(MonitorConfig.Alerts config, ObjectMapper json, MeterRegistry metrics) {
        this.config = config;
        this.json = json;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(config.webhookTimeout()).build();
        this.delivered = counter(metrics, "delivered");
        this.retried = counter(metrics, "retried");
        this.givenUp = counter(metrics, "given_up");
    }

    private static Counter counter(MeterRegistry metrics, String outcome) {
        return Counter.builder("fletcher.alerts.deliveries").tag("outcome", outcome)
                .description("Monitor state changes sent to the alert webhook, by outcome").register(metrics);
    }

    /** The body sent for a change from {@code previous} (null: never evaluated before). */
    public Map<String, Object> body(MonitorEvaluation evaluation, String previous) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("monitor", evaluation.monitor());
        body.put("state", evaluation.state());
        body.put("previous_state", previous);
        body.put("value", evaluation.value());
        body.put("evaluated_at", evaluation.at().toString());
        body.put("detail", evaluation.detail());
        return body;
    }

    /**
     * Sends without waiting. The future completes once the change is delivered or given up; it never fails, and a
     * failed delivery is never thrown into the evaluation.
     */
    public CompletableFuture<Void> changed(MonitorEvaluation evaluation, String previous) {
        LOG.infof("Monitor %s changed from %s to %s at %s (value %s)", evaluation.monitor(),
                previous == null ? "none" : previous, evaluation.state(), evaluation.at(), evaluation.value());
        if (config.webhook().isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        String url = config.webhook().get();
        HttpRequest request;
        try {
            request = HttpRequest.newBuilder(URI.create(url)).timeout(config.webhookTimeout())
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(body(evaluation, previous))))
                    .build();
        } catch (JsonProcessingException | IllegalArgumentException e) {
            givenUp.increment();
            LOG.errorf("Alert webhook %s cannot be called for monitor %s: %s", url, evaluation.monitor(), e.getMessage());
            return CompletableFuture.completedFuture(null);
        }
        return send(request, evaluation.monitor(), 1);
    }

    private CompletableFuture<Void> send(HttpRequest request, String monitor, int attempt) {
        return http.sendAsync(request, HttpResponse.BodyHandlers.discarding())
                .handle((response, failure) -> {
                    String problem = failure != null ? message(failure)
                            : response.statusCode() >= 300 ? "answered " + response.statusCode() : null;
                    if (problem == null) {
                        delivered.increment();
                        return CompletableFuture.<Void>completedFuture(null);
                    }
                    boolean retryable = failure != null || response.statusCode() >= 500
                            || response.statusCode() == 408 || response.statusCode() == 429;
                    int attempts = Math.max(1, config.webhookAttempts());
                    if (!retryable || attempt >= attempts) {
                        givenUp.increment();
                        LOG.errorf("Alert webhook %s: gave up on the change of monitor %s after %d attempt(s): %s",
                                request.uri(), monitor, attempt, problem);
                        return CompletableFuture.<Void>completedFuture(null);
                    }
                    Duration wait = config.webhookBackoff().multipliedBy(1L << Math.min(attempt - 1, 20));
                    retried.increment();
                    LOG.warnf("Alert webhook %s: attempt %d of %d for monitor %s failed (%s); next in %s",
                            request.uri(), attempt, attempts, monitor, problem, wait);
                    return CompletableFuture.runAsync(() -> { },
                                    CompletableFuture.delayedExecutor(wait.toMillis(), TimeUnit.MILLISECONDS))
                            .thenCompose(ignored -> send(request, monitor, attempt + 1));
                })
                .thenCompose(next -> next);
    }

    private static String message(Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause()
                : failure;
        return cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
    }
}
