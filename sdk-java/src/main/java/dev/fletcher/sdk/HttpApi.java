package dev.fletcher.sdk;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/** The REST half of the client: every call under {@code /api/v1}, and problem answers turned into exceptions. */
final class HttpApi {
    private static final String API = "api/v1/";
    private static final String JSON = "application/json";
    private static final String PROBLEM_JSON = "application/problem+json";

    private final URI base;
    private final Duration timeout;
    private final HttpClient http;
    private final ObjectMapper json;
    private final String authorization;

    /**
     * @param apiKey  sent as {@code Authorization: Bearer <key>} on every request; null for none
     * @param trusted the certificates trusted for HTTPS; null for the JVM's own
     */
    HttpApi(URI base, Duration connectTimeout, Duration timeout, ObjectMapper json, String apiKey,
            TrustedCertificates trusted) {
        this.base = base;
        this.authorization = apiKey == null ? null : "Bearer " + apiKey;
        this.timeout = timeout;
        HttpClient.Builder http = HttpClient.newBuilder().connectTimeout(connectTimeout);
        if (trusted != null) {
            http.sslContext(trusted.sslContext());
        }
        this.http = http.build();
        this.json = json;
    }

    // ---- catalog -------------------------------------------------------------------------------------------

    ApplyResult apply(String name, String yaml, boolean dryRun, boolean prune) {
        Objects.requireNonNull(yaml, "yaml");
        String query = "catalog/apply?dry_run=" + dryRun + "&prune=" + prune
                + (name == null ? "" : "&name=" + segment(name));
        HttpRequest request = request(api(query))
                .header("Content-Type", "application/yaml")
                .POST(HttpRequest.BodyPublishers.ofString(yaml, StandardCharsets.UTF_8))
                .build();
        return send(request, json.constructType(ApplyResult.class));
    }

    Catalog catalog() {
        return get("catalog", json.constructType(Catalog.class));
    }

    CatalogEntry get(String kind, String name) {
        return get(objectPath(kind, name), json.constructType(CatalogEntry.class));
    }

    String yaml(String kind, String name) {
        HttpRequest request = request(api(objectPath(kind, name)))
                .setHeader("Accept", "application/yaml, " + PROBLEM_JSON).GET().build();
        return exchange(request).body();
    }

    List<CatalogChange> history(int limit, int offset) {
        JsonNode page = get("catalog/history?limit=" + limit + "&offset=" + offset, json.constructType(JsonNode.class));
        return json.convertValue(page.path("changes"), new TypeReference<List<CatalogChange>>() { });
    }

    // ---- API keys ------------------------------------------------------------------------------------------

    ApiKey createKey(String name, String role) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", Objects.requireNonNull(name, "name"));
        body.put("role", Objects.requireNonNull(role, "role"));
        return post("keys", body, "the key request", ApiKey.class);
    }

    List<ApiKey> keys() {
        JsonNode list = get("keys", json.constructType(JsonNode.class));
        return json.convertValue(list.path("keys"), new TypeReference<List<ApiKey>>() { });
    }

    ApiKey revokeKey(String nameOrId) {
        Objects.requireNonNull(nameOrId, "nameOrId");
        return send(request(api("keys/" + segment(nameOrId))).DELETE().build(), json.constructType(ApiKey.class));
    }

    List<ObjectVersion> versions(String kind, String name) {
        JsonNode history = get(objectPath(kind, name) + "/versions", json.constructType(JsonNode.class));
        JsonNode versions = history.path("versions");
        if (!versions.isArray()) {
            throw new UncheckedIOException(new IOException("Fletcher's answer to GET " + objectPath(kind, name)
                    + "/versions has no 'versions' list"));
        }
        return json.convertValue(versions, new TypeReference<List<ObjectVersion>>() { });
    }

    // ---- experiments ---------------------------------------------------------------------------------------

    <T> T analysis(String experiment, Map<String, Object> options, Class<T> answer) {
        return analysis(experiment, "", options, answer);
    }

    /** @param query {@code ""}, or {@code ?by=day} or {@code ?slice=<dimension>} (encoded here) */
    <T> T analysis(String experiment, String query, Map<String, Object> options, Class<T> answer) {
        Objects.requireNonNull(experiment, "experiment");
        return post("experiments/" + segment(experiment) + "/analysis" + query, options == null ? Map.of() : options,
                "analysis options", answer);
    }

    static String sliceQuery(String dimension) {
        return "?slice=" + segment(Objects.requireNonNull(dimension, "dimension"));
    }

    // ---- online features -----------------------------------------------------------------------------------

    OnlineFeatures onlineFeatures(List<String> features, Map<String, ? extends List<?>> entityKeys) {
        Objects.requireNonNull(features, "features");
        Objects.requireNonNull(entityKeys, "entityKeys");
        JsonNode answer = post("online/features", Map.of("features", features, "entities", entityKeys),
                "the entity keys", JsonNode.class);
        List<JsonNode> rows = new ArrayList<>();
        answer.path("rows").forEach(rows::add);
        Map<String, Instant> asOf = new LinkedHashMap<>();
        answer.path("as_of").fields().forEachRemaining(e -> asOf.put(e.getKey(), Instant.parse(e.getValue().asText())));
        return new OnlineFeatures(rows, asOf);
    }

    <T> T materialize(List<String> featureViews, Instant end, boolean full, Class<T> answer) {
        Map<String, Object> fields = new LinkedHashMap<>();
        if (featureViews != null) {
            fields.put("feature_views", featureViews);
        }
        if (end != null) {
            fields.put("end", end.toString());
        }
        // Sent only when asked for, so the request stays what older servers accept.
        if (full) {
            fields.put("full", true);
        }
        return post("materialize", fields, "the materialization request", answer);
    }

    <T> T job(String id, Class<T> answer) {
        Objects.requireNonNull(id, "id");
        return get("jobs/" + segment(id), json.constructType(answer));
    }

    MaterializationJob awaitJob(String id, Duration patience) {
        Objects.requireNonNull(patience, "patience");
        long deadline = System.nanoTime() + patience.toNanos();
        // Short jobs finish in tens of milliseconds; long ones should not be polled more than once a second.
        long pauseMillis = 20;
        MaterializationJob job = job(id, MaterializationJob.class);
        while (!job.finished()) {
            long leftMillis = Duration.ofNanos(deadline - System.nanoTime()).toMillis();
            if (leftMillis <= 0) {
                return job;
            }
            try {
                Thread.sleep(Math.min(pauseMillis, leftMillis));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new UncheckedIOException(new InterruptedIOException("interrupted waiting for job " + id));
            }
            pauseMillis = Math.min(pauseMillis * 2, 1000);
            job = job(id, MaterializationJob.class);
        }
        return job;
    }

    // ---- metrics -------------------------------------------------------------------------------------------

    MetricQueryResult queryMetrics(MetricQuery query) {
        Objects.requireNonNull(query, "query");
        JsonNode answer = post("metrics/query", query.toJson(), "the metrics query", JsonNode.class);
        return MetricQueryResult.fromJson(answer);
    }

    // ---- plumbing ------------------------------------------------------------------------------------------

    private <T> T get(String path, JavaType answer) {
        return send(request(api(path)).GET().build(), answer);
    }

    private <T> T post(String path, Object body, String what, Class<T> answer) {
        String text;
        try {
            text = json.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(what + " cannot be written as JSON: " + e.getOriginalMessage(), e);
        }
        HttpRequest request = request(api(path))
                .header("Content-Type", JSON)
                .POST(HttpRequest.BodyPublishers.ofString(text, StandardCharsets.UTF_8))
                .build();
        return send(request, json.constructType(answer));
    }

    private static String objectPath(String kind, String name) {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(name, "name");
        return "catalog/" + segment(kind) + "/" + segment(name);
    }

    private static String segment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private URI api(String pathAndQuery) {
        return base.resolve(API + pathAndQuery);
    }

    private HttpRequest.Builder request(URI uri) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(timeout)
                .header("Accept", JSON + ", " + PROBLEM_JSON);
        return authorization == null ? request : request.header("Authorization", authorization);
    }

    private <T> T send(HttpRequest request, JavaType type) {
        HttpResponse<String> response = exchange(request);
        try {
            return json.readValue(response.body(), type);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("Fletcher answered " + request.uri().getRawPath()
                    + " with JSON this client cannot read: " + e.getOriginalMessage(), e);
        }
    }

    /** Sends a request and answers its response, or throws the problem the server answered instead. */
    private HttpResponse<String> exchange(HttpRequest request) {
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("Fletcher at " + base + " did not answer " + request.method() + " "
                    + request.uri().getRawPath() + ": " + (e.getMessage() != null ? e.getMessage()
                    : e instanceof java.net.ConnectException ? "connection refused" : e.getClass().getSimpleName()), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UncheckedIOException(new InterruptedIOException("interrupted waiting for " + request.uri()));
        }
        if (response.statusCode() >= 400) {
            throw problem(response);
        }
        return response;
    }

    private FletcherException problem(HttpResponse<String> response) {
        int status = response.statusCode();
        String body = response.body() == null ? "" : response.body();
        String contentType = response.headers().firstValue("Content-Type").orElse("").toLowerCase(Locale.ROOT);
        if (contentType.contains("json")) {
            try {
                JsonNode problem = json.readTree(body);
                List<BundleError> errors = new ArrayList<>();
                JsonNode list = problem.path("errors");
                if (list.isArray()) {
                    for (JsonNode error : list) {
                        errors.add(json.treeToValue(error, BundleError.class));
                    }
                }
                return new FletcherException(problem.path("status").asInt(status), text(problem, "title"),
                        text(problem, "detail"), errors);
            } catch (JsonProcessingException e) {
                // Not the JSON it claimed to be: fall through and report the raw body.
            }
        }
        return new FletcherException(status, "HTTP " + status, body.isBlank() ? null : body, List.of());
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }
}
