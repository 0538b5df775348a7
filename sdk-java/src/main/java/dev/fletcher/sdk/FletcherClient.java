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
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.apache.arrow.flight.FlightClient;
import org.apache.arrow.flight.FlightDescriptor;
import org.apache.arrow.flight.FlightEndpoint;
import org.apache.arrow.flight.FlightInfo;
import org.apache.arrow.flight.FlightRuntimeException;
import org.apache.arrow.flight.FlightStatusCode;
import org.apache.arrow.flight.Location;
import org.apache.arrow.flight.PutResult;
import org.apache.arrow.flight.SyncPutListener;
import org.apache.arrow.flight.Ticket;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowReader;

/**
 * A connection to a Fletcher server: HTTP for the catalog, Arrow Flight for training sets. Thread safe; one client
 * per application is enough.
 *
 * <pre>{@code
 * try (FletcherClient fletcher = FletcherClient.connect(URI.create("http://localhost:8080"))) {
 *     ApplyResult plan = fletcher.apply(Files.readString(Path.of("catalog.yaml")), true, false);
 *     try (ArrowReader rows = fletcher.trainingSet(List.of("customer_profile:plan"), entities, "event_timestamp")) {
 *         while (rows.loadNextBatch()) { ... rows.getVectorSchemaRoot() ... }
 *     }
 * }
 * }</pre>
 *
 * <p>Every method throws {@link FletcherException} when the server refuses the request and
 * {@link UncheckedIOException} when it cannot be reached. The client owns the Arrow memory of the training sets it
 * returns: close every reader before the client.
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
    private BufferAllocator allocator;
    private FlightClient flightClient;

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

    /**
     * Analyses an experiment (CONTRACT §6): subjects, SRM p-value and, per metric and treatment variant, the
     * unadjusted (Welch) and CUPED estimates.
     *
     * @param options null for the experiment's defaults, or e.g. {@code Map.of("cuped", false)} or
     *                {@code Map.of("cuped", Map.of("covariates", List.of("revenue"), "ridge", 1.0))}
     * @return the result document as JSON
     * @throws FletcherException with status 400 for bad options, 404 for an unknown experiment
     */
    public JsonNode analysis(String experiment, Map<String, Object> options) {
        Objects.requireNonNull(experiment, "experiment");
        String body;
        try {
            body = json.writeValueAsString(options == null ? Map.of() : options);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("analysis options cannot be written as JSON: " + e.getMessage(), e);
        }
        HttpRequest request = request(api("experiments/" + segment(experiment) + "/analysis"))
                .header("Content-Type", JSON)
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
                .build();
        return send(request, json.constructType(JsonNode.class));
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

    // ---- online features ---------------------------------------------------------------------------------------

    /**
     * The online values of features for a batch of entities (CONTRACT §4, {@code POST /api/v1/online/features}).
     *
     * @param features   {@code <feature_view>:<feature>} references, of online views
     * @param entityKeys the entities' key columns, e.g. {@code Map.of("customer_id", List.of("c1", "c2"))}
     * @throws FletcherException with status 400 for unknown or non-online features or missing key columns, 409 for a
     *                           view not materialized yet, 503 when the online store cannot be reached
     */
    public OnlineFeatures onlineFeatures(List<String> features, Map<String, ? extends List<?>> entityKeys) {
        Objects.requireNonNull(features, "features");
        Objects.requireNonNull(entityKeys, "entityKeys");
        String body;
        try {
            body = json.writeValueAsString(Map.of("features", features, "entities", entityKeys));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("the entity keys cannot be written as JSON: " + e.getMessage(), e);
        }
        HttpRequest request = request(api("online/features"))
                .header("Content-Type", JSON)
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
                .build();
        JsonNode answer = send(request, json.constructType(JsonNode.class));
        List<JsonNode> rows = new ArrayList<>();
        answer.path("rows").forEach(rows::add);
        Map<String, Instant> asOf = new LinkedHashMap<>();
        answer.path("as_of").fields().forEachRemaining(e -> asOf.put(e.getKey(), Instant.parse(e.getValue().asText())));
        return new OnlineFeatures(rows, asOf);
    }

    /**
     * Starts materializing online views ({@code POST /api/v1/materialize}); answers the job as JSON (its {@code id}
     * for {@link #job}).
     *
     * @param featureViews the views, or null for every online view
     * @param end          the watermark, or null for the newest event time in each view's source
     */
    public JsonNode materialize(List<String> featureViews, Instant end) {
        Map<String, Object> fields = new LinkedHashMap<>();
        if (featureViews != null) {
            fields.put("feature_views", featureViews);
        }
        if (end != null) {
            fields.put("end", end.toString());
        }
        String body;
        try {
            body = json.writeValueAsString(fields);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        HttpRequest request = request(api("materialize"))
                .header("Content-Type", JSON)
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
                .build();
        return send(request, json.constructType(JsonNode.class));
    }

    /** A materialization job's state, progress and per-view runs ({@code GET /api/v1/jobs/{id}}). */
    public JsonNode job(String id) {
        return send(request(api("jobs/" + segment(id))).GET().build(), json.constructType(JsonNode.class));
    }

    // ---- training sets (Arrow Flight) ---------------------------------------------------------------------------

    /**
     * A point-in-time training set for entity rows sent from here: uploads them with DoPut, then streams the result
     * with DoGet. Every row comes back once with its own columns, then one column per feature named
     * {@code <view>__<feature>}; times come back as timestamp[us, UTC].
     *
     * @param features        {@code <feature_view>:<feature>} references
     * @param entities        the entity rows: the key columns of every requested view's entity and the timestamp column
     * @param timestampColumn the column holding each row's time (null: {@code event_timestamp})
     * @return the rows, batch by batch; close it to release the stream and its memory
     * @throws FletcherException when the server refuses the request, with its message
     */
    public ArrowReader trainingSet(List<String> features, VectorSchemaRoot entities, String timestampColumn) {
        Objects.requireNonNull(entities, "entities");
        return upload(features, timestampColumn, false, entities, () -> false);
    }

    /** As {@link #trainingSet(List, VectorSchemaRoot, String)}, uploading every batch of {@code entities}. */
    public ArrowReader trainingSet(List<String> features, ArrowReader entities, String timestampColumn) {
        Objects.requireNonNull(entities, "entities");
        try {
            VectorSchemaRoot root = entities.getVectorSchemaRoot();
            return upload(features, timestampColumn, false, root, () -> {
                try {
                    return entities.loadNextBatch();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }, true);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the entity rows: " + e.getMessage(), e);
        }
    }

    /**
     * A training set whose entity rows a query selects inside the warehouse ({@code entity_sql}; the rows never
     * leave it): GetFlightInfo, then DoGet.
     */
    public ArrowReader trainingSet(List<String> features, String entitySql, String timestampColumn) {
        Map<String, Object> command = command(features, timestampColumn, false);
        command.put("entity_sql", Objects.requireNonNull(entitySql, "entitySql"));
        return fromWarehouse(command);
    }

    /**
     * Every entity's features at each of its own event times in [start, end), without entity rows: GetFlightInfo,
     * then DoGet. The generated time column is named {@code timestampColumn} (null: {@code event_timestamp}).
     */
    public ArrowReader trainingSet(List<String> features, Instant start, Instant end, String timestampColumn) {
        Map<String, Object> command = command(features, timestampColumn, false);
        command.put("start", Objects.requireNonNull(start, "start").toString());
        command.put("end", Objects.requireNonNull(end, "end").toString());
        return fromWarehouse(command);
    }

    private interface Batches {
        boolean next();
    }

    private ArrowReader upload(List<String> features, String timestampColumn, boolean asKnown, VectorSchemaRoot root,
            Batches more) {
        return upload(features, timestampColumn, asKnown, root, more, false);
    }

    /** DoPut the batches (the root's current one first, unless {@code loadFirst}), then DoGet the ticket. */
    private ArrowReader upload(List<String> features, String timestampColumn, boolean asKnown, VectorSchemaRoot root,
            Batches more, boolean loadFirst) {
        FlightClient client = flightClient();
        byte[] command = commandBytes(command(features, timestampColumn, asKnown));
        String ticket;
        try {
            SyncPutListener results = new SyncPutListener();
            FlightClient.ClientStreamListener put = client.startPut(FlightDescriptor.command(command), root, results);
            try {
                if (!loadFirst) {
                    put.putNext();
                }
                while (more.next()) {
                    put.putNext();
                }
            } catch (RuntimeException e) {
                put.error(e);
                throw e;
            }
            put.completed();
            put.getResult();
            try (PutResult result = results.read()) {
                ticket = ticketOf(result);
            }
        } catch (FlightRuntimeException e) {
            throw flightError(e);
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof FlightRuntimeException flight) {
                throw flightError(flight);
            }
            throw new UncheckedIOException(new IOException("the upload failed: " + e.getCause(), e.getCause()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UncheckedIOException(new InterruptedIOException("interrupted uploading entity rows"));
        }
        return stream(client, new Ticket(ticket.getBytes(StandardCharsets.UTF_8)));
    }

    private String ticketOf(PutResult result) {
        ArrowBuf metadata = result == null ? null : result.getApplicationMetadata();
        if (metadata == null) {
            throw new UncheckedIOException(new IOException("the server answered the upload without a ticket"));
        }
        byte[] bytes = new byte[(int) metadata.readableBytes()];
        metadata.getBytes(metadata.readerIndex(), bytes);
        try {
            JsonNode answer = json.readTree(bytes);
            if (!answer.path("ticket").isTextual()) {
                throw new IOException("the server's upload answer has no ticket: " + answer);
            }
            return answer.get("ticket").asText();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private ArrowReader fromWarehouse(Map<String, Object> command) {
        FlightClient client = flightClient();
        FlightInfo info;
        try {
            info = client.getInfo(FlightDescriptor.command(commandBytes(command)));
        } catch (FlightRuntimeException e) {
            throw flightError(e);
        }
        List<FlightEndpoint> endpoints = info.getEndpoints();
        if (endpoints.size() != 1) {
            throw new UncheckedIOException(new IOException("the server answered " + endpoints.size()
                    + " endpoints for a training set; this client reads exactly one"));
        }
        return stream(client, endpoints.get(0).getTicket());
    }

    private ArrowReader stream(FlightClient client, Ticket ticket) {
        try {
            return new FlightStreamReader(allocator(), client.getStream(ticket));
        } catch (FlightRuntimeException e) {
            throw flightError(e);
        }
    }

    private static Map<String, Object> command(List<String> features, String timestampColumn, boolean asKnown) {
        Map<String, Object> command = new LinkedHashMap<>();
        command.put("features", List.copyOf(Objects.requireNonNull(features, "features")));
        if (timestampColumn != null) {
            command.put("timestamp_column", timestampColumn);
        }
        if (asKnown) {
            command.put("as_known", true);
        }
        return command;
    }

    private byte[] commandBytes(Map<String, Object> trainingSet) {
        try {
            return json.writeValueAsBytes(Map.of("training_set", trainingSet));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A Flight error as a {@link FletcherException} carrying the server's message and an HTTP-like status. */
    static FletcherException flightError(FlightRuntimeException e) {
        FlightStatusCode code = e.status().code();
        int status = switch (code) {
            case INVALID_ARGUMENT -> 400;
            case UNAUTHENTICATED -> 401;
            case UNAUTHORIZED -> 403;
            case NOT_FOUND -> 404;
            case ALREADY_EXISTS -> 409;
            case RESOURCE_EXHAUSTED -> 429;
            case UNIMPLEMENTED -> 501;
            case UNAVAILABLE -> 503;
            case TIMED_OUT -> 504;
            default -> 500;
        };
        FletcherException error = new FletcherException(status, "Flight " + code, e.status().description(), List.of());
        error.initCause(e);
        return error;
    }

    private synchronized BufferAllocator allocator() {
        if (allocator == null) {
            allocator = new RootAllocator();
        }
        return allocator;
    }

    private synchronized FlightClient flightClient() {
        if (flightClient == null) {
            flightClient = FlightClient.builder(allocator(), new Location(flight)).build();
        }
        return flightClient;
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

    /**
     * Closes the Flight connection and frees the client's Arrow memory; close every training-set reader first.
     *
     * @throws IllegalStateException when a reader still holds memory
     */
    @Override
    public synchronized void close() {
        try {
            if (flightClient != null) {
                flightClient.close();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            flightClient = null;
            if (allocator != null) {
                BufferAllocator owned = allocator;
                allocator = null;
                owned.close();
            }
        }
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
