package dev.fletcher.server.monitor;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fletcher.catalog.persistence.MonitorEvaluation;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.jboss.logging.Logger;

/** Logs every change of a monitor's state and POSTs it as JSON to {@code fletcher.alerts.webhook} when set. */
@ApplicationScoped
public class AlertWebhook {
    private static final Logger LOG = Logger.getLogger(AlertWebhook.class);

    private final MonitorConfig config;
    private final ObjectMapper json;
    private final HttpClient http;

    @Inject
    public AlertWebhook(MonitorConfig config, ObjectMapper json) {
        this.config = config;
        this.json = json;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(config.alerts().webhookTimeout()).build();
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

    /** Sends without waiting; a failed delivery is logged, never thrown into the evaluation. */
    public CompletableFuture<Void> changed(MonitorEvaluation evaluation, String previous) {
        LOG.infof("Monitor %s changed from %s to %s at %s (value %s)", evaluation.monitor(),
                previous == null ? "none" : previous, evaluation.state(), evaluation.at(), evaluation.value());
        if (config.alerts().webhook().isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        String url = config.alerts().webhook().get();
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(config.alerts().webhookTimeout())
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(body(evaluation, previous))))
                    .build();
            return http.sendAsync(request, HttpResponse.BodyHandlers.discarding()).handle((response, failure) -> {
                if (failure != null) {
                    LOG.warnf("Alert webhook %s failed for monitor %s: %s", url, evaluation.monitor(), failure.getMessage());
                } else if (response.statusCode() >= 300) {
                    LOG.warnf("Alert webhook %s answered %d for monitor %s", url, response.statusCode(),
                            evaluation.monitor());
                }
                return null;
            });
        } catch (Exception e) {
            LOG.warnf("Alert webhook %s could not be called for monitor %s: %s", url, evaluation.monitor(), e.getMessage());
            return CompletableFuture.completedFuture(null);
        }
    }
}
