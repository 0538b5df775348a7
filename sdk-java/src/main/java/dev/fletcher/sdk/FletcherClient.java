package dev.fletcher.sdk;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * A connection to a Fletcher server: HTTP for the catalog (and, as the API grows, Arrow Flight for training
 * sets). Thread safe; one client per application is enough.
 *
 * <pre>{@code
 * try (FletcherClient fletcher = FletcherClient.connect(URI.create("http://localhost:8080"))) {
 *     ApplyResult plan = fletcher.apply(Files.readString(Path.of("catalog.yaml")), true, false);
 * }
 * }</pre>
 *
 * <p>Every method throws {@link FletcherException} when the server refuses the request and
 * {@link UncheckedIOException} when it cannot be reached.
 */
public final class FletcherClient implements AutoCloseable {
    /** The port the server's Arrow Flight endpoint listens on unless configured otherwise. */
    public static final int DEFAULT_FLIGHT_PORT = 8815;
    private static final String API = "api/v1/";
    private static final String JSON = "application/json";
    private static final String PROBLEM_JSON = "application/problem+json";

    private final URI httpBase;
    private final URI flight;
    private final Duration timeout;
    private final HttpClient http;
    private final ObjectMapper json;

    private FletcherClient(Builder builder) {
        this.httpBase = withTrailingSlash(builder.httpBase);
        this.flight = builder.flight != null ? builder.flight
                : URI.create("grpc+tcp://" + httpBase.getHost() + ":" + DEFAULT_FLIGHT_PORT);
        this.timeout = builder.timeout;
        this.http = HttpClient.newBuilder().connectTimeout(builder.connectTimeout).build();
        this.json = JsonMapper.builder()
                .addModule(new JavaTimeModule())
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .build();
    }

    /** Connects to the server at {@code httpBase} (e.g. {@code http://localhost:8080}); Flight on port 8815. */
    public static FletcherClient connect(URI httpBase) {
        return builder().http(httpBase).build();
    }

    /** Connects with an explicit Arrow Flight location, e.g. {@code grpc+tcp://localhost:8815}. */
    public static FletcherClient connect(URI httpBase, URI flight) {
        return builder().http(httpBase).flight(flight).build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The server's HTTP base address. */
    public URI httpBase() {
        return httpBase;
    }

    /** The server's Arrow Flight location. */
    public URI flight() {
        return flight;
    }

    // ---- catalog -------------------------------------------------------------------------------------------

    /**
     * Applies a YAML bundle of definitions.
     *
     * @param yaml   one or more YAML documents, {@code kind} first
     * @param dryRun when true, only answers what would change
     * @param prune  when true, also deletes stored objects the bundle does not hold
     * @return the plan: what was (or would be) created, updated, left unchanged and deleted
     * @throws FletcherException with status 400 and {@link FletcherException#errors()} when the bundle is rejected
     */
    public ApplyResult apply(String yaml, boolean dryRun, boolean prune) {
        Objects.requireNonNull(yaml, "yaml");
        URI uri = api("catalog/apply?dry_run=" + dryRun + "&prune=" + prune);
        HttpRequest request = request(uri)
                .header("Content-Type", "application/yaml")
                .POST(HttpRequest.BodyPublishers.ofString(yaml, StandardCharsets.UTF_8))
                .build();
        return send(request, json.constructType(ApplyResult.class));
    }

    /** Applies a bundle for real, keeping objects it does not mention. */
    public ApplyResult apply(String yaml) {
        return apply(yaml, false, false);
    }

    /** Every object in the catalog, at its current version. */
    public Catalog catalog() {
        return send(request(api("catalog")).GET().build(), json.constructType(Catalog.class));
    }

    /**
     * One object at its current version.
     *
     * @param kind {@code entity}, {@code source}, {@code feature_view}, {@code metric}, {@code monitor} or
     *             {@code experiment}
     * @throws FletcherException with status 404 when there is no such object
     */
    public CatalogEntry get(String kind, String name) {
        return send(request(api(objectPath(kind, name))).GET().build(), json.constructType(CatalogEntry.class));
    }

    /** Every version of one object, oldest first, deletions included. */
    public List<ObjectVersion> versions(String kind, String name) {
        JsonNode history = send(request(api(objectPath(kind, name) + "/versions")).GET().build(),
                json.constructType(JsonNode.class));
        JsonNode versions = history.path("versions");
        if (!versions.isArray()) {
            throw new UncheckedIOException(new IOException("Fletcher's answer to GET " + objectPath(kind, name)
                    + "/versions has no 'versions' list"));
        }
        return json.convertValue(versions, new TypeReference<List<ObjectVersion>>() { });
    }

    // ---- plumbing ------------------------------------------------------------------------------------------

    private static String objectPath(String kind, String name) {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(name, "name");
        return "catalog/" + segment(kind) + "/" + segment(name);
    }

    private static String segment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private URI api(String pathAndQuery) {
        return httpBase.resolve(API + pathAndQuery);
    }

    private HttpRequest.Builder request(URI uri) {
        return HttpRequest.newBuilder(uri).timeout(timeout).header("Accept", JSON + ", " + PROBLEM_JSON);
    }

    private <T> T send(HttpRequest request, JavaType type) {
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("Fletcher at " + httpBase + " did not answer " + request.method() + " "
                    + request.uri().getRawPath() + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UncheckedIOException(new InterruptedIOException("interrupted waiting for " + request.uri()));
        }
        if (response.statusCode() >= 400) {
            throw problem(response);
        }
        try {
            return json.readValue(response.body(), type);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("Fletcher answered " + request.uri().getRawPath()
                    + " with JSON this client cannot read: " + e.getOriginalMessage(), e);
        }
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

    private static URI withTrailingSlash(URI uri) {
        String text = uri.toString();
        return text.endsWith("/") ? uri : URI.create(text + "/");
    }

    /** Nothing to release yet: the HTTP client's threads end with it. Flight connections will close here. */
    @Override
    public void close() {
    }

    /** Builds a client; only the HTTP base address is required. */
    public static final class Builder {
        private URI httpBase;
        private URI flight;
        private Duration timeout = Duration.ofMinutes(5);
        private Duration connectTimeout = Duration.ofSeconds(10);

        private Builder() {
        }

        /** The server's HTTP base address, e.g. {@code http://localhost:8080}. */
        public Builder http(URI httpBase) {
            this.httpBase = httpBase;
            return this;
        }

        /** The Arrow Flight location; {@code grpc+tcp://<http host>:8815} unless given. */
        public Builder flight(URI flight) {
            this.flight = flight;
            return this;
        }

        /** How long one request may take (five minutes unless given). */
        public Builder timeout(Duration timeout) {
            this.timeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /** How long connecting may take (ten seconds unless given). */
        public Builder connectTimeout(Duration connectTimeout) {
            this.connectTimeout = Objects.requireNonNull(connectTimeout, "connectTimeout");
            return this;
        }

        public FletcherClient build() {
            if (httpBase == null) {
                throw new IllegalStateException("a Fletcher client needs the server's HTTP address: builder().http(...)");
            }
            String scheme = httpBase.getScheme();
            if (!"http".equalsIgnoreCase(scheme) && !"https".equalsIgnoreCase(scheme)) {
                throw new IllegalArgumentException("the HTTP address must start with http:// or https://, got " + httpBase);
            }
            return new FletcherClient(this);
        }
    }
}
