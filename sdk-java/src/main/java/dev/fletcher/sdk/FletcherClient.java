package dev.fletcher.sdk;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowReader;

/**
 * A connection to a Fletcher server: HTTP for the catalog, metrics and experiments, Arrow Flight for training sets
 * and online features (with HTTP as the fallback for online features). Thread safe; one client per application is
 * enough.
 *
 * <pre>{@code
 * try (FletcherClient fletcher = FletcherClient.builder().http(URI.create("http://localhost:8080"))
 *         .apiKey(System.getenv("FLETCHER_API_KEY")).build()) {
 *     ApplyResult plan = fletcher.apply(Files.readString(Path.of("catalog.yaml")), true, false);
 *     MetricQueryResult revenue = fletcher.queryMetrics(MetricQuery.of("revenue").groupBy("metric_time__day"));
 *     AnalysisResult analysis = fletcher.analyze("checkout_redesign");
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

    private final URI httpBase;
    private final HttpApi http;
    private final FlightTrainingSets flight;
    private final FlightOnlineFeatures flightOnline;
    private volatile boolean onlineOverFlight;

    private FletcherClient(Builder builder) {
        this.httpBase = withTrailingSlash(builder.httpBase);
        // An HTTPS server is taken to serve Flight over TLS too, as its TLS configuration documents.
        URI flightLocation = builder.flight != null ? builder.flight
                : URI.create(("https".equalsIgnoreCase(httpBase.getScheme()) ? "grpc+tls://" : "grpc+tcp://")
                        + httpBase.getHost() + ":" + DEFAULT_FLIGHT_PORT);
        TrustedCertificates trusted = builder.trustedCertificates == null ? null
                : TrustedCertificates.read(builder.trustedCertificates);
        ObjectMapper json = JsonMapper.builder()
                .addModule(new JavaTimeModule())
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .build();
        this.http = new HttpApi(httpBase, builder.connectTimeout, builder.timeout, json, builder.apiKey, trusted);
        this.flight = new FlightTrainingSets(flightLocation, json, builder.apiKey, trusted);
        this.flightOnline = new FlightOnlineFeatures(flight, json);
        this.onlineOverFlight = builder.onlineOverFlight;
    }

    /** Connects to the server at {@code httpBase} (e.g. {@code http://localhost:8080}); Flight on port 8815. */
    public static FletcherClient connect(URI httpBase) {
        return builder().http(httpBase).build();
    }

    /**
     * Connects with an explicit Arrow Flight location, e.g. {@code grpc+tcp://localhost:8815}, or
     * {@code grpc+tls://host:8815} for a server with Flight TLS.
     */
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
        return flight.location();
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
        return http.apply(null, yaml, dryRun, prune);
    }

    /**
     * As {@link #apply(String, boolean, boolean)}, naming the bundle in the server's error messages (e.g.
     * {@code catalog.yaml#2 line 7}).
     */
    public ApplyResult apply(String bundleName, String yaml, boolean dryRun, boolean prune) {
        return http.apply(bundleName, yaml, dryRun, prune);
    }

    /** Applies a bundle for real, keeping objects it does not mention. */
    public ApplyResult apply(String yaml) {
        return apply(yaml, false, false);
    }

    /** Every object in the catalog, at its current version. */
    public Catalog catalog() {
        return http.catalog();
    }

    /**
     * One object at its current version.
     *
     * @param kind {@code entity}, {@code source}, {@code feature_view}, {@code metric}, {@code monitor} or
     *             {@code experiment}
     * @throws FletcherException with status 404 when there is no such object
     */
    public CatalogEntry get(String kind, String name) {
        return http.get(kind, name);
    }

    /** One object's definition as the server writes it in YAML (defaults applied, canonical field order). */
    public String getYaml(String kind, String name) {
        return http.yaml(kind, name);
    }

    /**
     * Recent changes across the catalog, newest first, with who made each ({@code GET /api/v1/catalog/history}).
     *
     * @param limit at most this many (the server allows up to 1000)
     */
    public List<CatalogChange> history(int limit, int offset) {
        return http.history(limit, offset);
    }

    /** Every version of one object, oldest first, deletions included. */
    public List<ObjectVersion> versions(String kind, String name) {
        return http.versions(kind, name);
    }

    // ---- API keys ------------------------------------------------------------------------------------------

    /**
     * Creates an API key ({@code POST /api/v1/keys}, admin only); the answer holds the secret, shown this once.
     *
     * @param role {@code reader}, {@code analyst} or {@code admin}
     */
    public ApiKey createKey(String name, String role) {
        return http.createKey(name, role);
    }

    /** Every live key, without secrets. */
    public List<ApiKey> keys() {
        return http.keys();
    }

    /** Revokes a key by name or id; it stops working at once. */
    public ApiKey revokeKey(String nameOrId) {
        return http.revokeKey(nameOrId);
    }

    // ---- experiments ---------------------------------------------------------------------------------------

    /**
     * Analyses an experiment (CONTRACT §6): subjects, SRM p-value and, per metric and treatment variant, the
     * unadjusted (Welch) and CUPED estimates.
     *
     * @param options null for the experiment's defaults, or e.g. {@code Map.of("cuped", false)} or
     *                {@code Map.of("cuped", Map.of("covariates", List.of("revenue"), "ridge", 1.0))}
     * @throws FletcherException with status 400 for bad options, 404 for an unknown experiment
     */
    public AnalysisResult analyze(String experiment, Map<String, Object> options) {
        return http.analysis(experiment, options, AnalysisResult.class);
    }

    /** Analyses an experiment with its defaults; see {@link #analyze(String, Map)}. */
    public AnalysisResult analyze(String experiment) {
        return analyze(experiment, null);
    }

    /**
     * The analysis with, in {@link AnalysisResult#byDay()}, the cumulative result at the end of each day since the
     * first assignment ({@code ?by=day}), computed in one pass in the warehouse.
     */
    public AnalysisResult analyzeByDay(String experiment, Map<String, Object> options) {
        return http.analysis(experiment, "?by=day", options, AnalysisResult.class);
    }

    /**
     * The analysis with, in {@link AnalysisResult#slices()}, the result per value of {@code dimension}: a column of
     * the assignment source, or {@code <feature_view>__<feature>} at each subject's first assignment
     * ({@code ?slice=}).
     */
    public AnalysisResult analyzeBySlice(String experiment, String dimension, Map<String, Object> options) {
        return http.analysis(experiment, HttpApi.sliceQuery(dimension), options, AnalysisResult.class);
    }

    /** As {@link #analyze(String, Map)}, answering the result document as JSON. */
    public JsonNode analysis(String experiment, Map<String, Object> options) {
        return http.analysis(experiment, options, JsonNode.class);
    }

    // ---- metrics -------------------------------------------------------------------------------------------

    /**
     * Runs a metrics query (CONTRACT §7, {@code POST /api/v1/metrics/query}); the warehouse computes it, and the
     * answer holds one row per group.
     *
     * @throws FletcherException with status 400 naming what is wrong (an unknown metric or dimension, a filter that
     *                           does not fit its dimension, ...), 502 when the warehouse fails
     */
    public MetricQueryResult queryMetrics(MetricQuery query) {
        return http.queryMetrics(query);
    }

    // ---- online features ---------------------------------------------------------------------------------------

    /**
     * The online values of features for a batch of entities (CONTRACT §4). Read over Arrow Flight
     * ({@code online_features}: a DoGet ticket up to 256 entities, DoExchange past that) unless the builder said
     * otherwise; over HTTP
     * ({@code POST /api/v1/online/features}) when Flight cannot be reached or the keys are not all text, integers or
     * booleans per column. The answer is the same either way.
     *
     * @param features   {@code <feature_view>:<feature>} references, of online views
     * @param entityKeys the entities' key columns, e.g. {@code Map.of("customer_id", List.of("c1", "c2"))}
     * @throws FletcherException with status 400 for unknown or non-online features or missing key columns, 409 for a
     *                           view not materialized yet, 503 when the online store cannot be reached
     */
    public OnlineFeatures onlineFeatures(List<String> features, Map<String, ? extends List<?>> entityKeys) {
        Objects.requireNonNull(features, "features");
        Objects.requireNonNull(entityKeys, "entityKeys");
        if (onlineOverFlight) {
            try {
                OnlineFeatures answer = flightOnline.read(features, entityKeys);
                if (answer != null) {
                    return answer;
                }
            } catch (FlightOnlineFeatures.Unavailable e) {
                // No Flight port in reach, or a server without online reads over Flight: HTTP from now on.
                onlineOverFlight = false;
            }
        }
        return http.onlineFeatures(features, entityKeys);
    }

    /**
     * Starts materializing online views ({@code POST /api/v1/materialize}); answers the queued job, whose
     * {@link MaterializationJob#id() id} {@link #materializationJob} and {@link #awaitMaterialization} take.
     *
     * @param featureViews the views, or null for every online view
     * @param end          the watermark, or null for the newest event time in each view's source
     * @param full         whether to recompute every entity rather than only those with new rows
     * @throws FletcherException with status 400 for an unknown or offline view, 409 for a stream-fed one
     */
    public MaterializationJob startMaterialization(List<String> featureViews, Instant end, boolean full) {
        return http.materialize(featureViews, end, full, MaterializationJob.class);
    }

    /** A materialization job's state, progress and per-view runs ({@code GET /api/v1/jobs/{id}}). */
    public MaterializationJob materializationJob(String id) {
        return http.job(id, MaterializationJob.class);
    }

    /**
     * Waits until a materialization job has finished, asking the server at growing intervals.
     *
     * @return the job as last seen: {@link MaterializationJob#finished() finished} unless {@code patience} ran out
     *         first; a finished job's {@link MaterializationJob#state() state} says whether it succeeded
     */
    public MaterializationJob awaitMaterialization(String id, Duration patience) {
        return http.awaitJob(id, patience);
    }

    /** As {@link #startMaterialization}, not full, answering the job as JSON (its {@code id} for {@link #job}). */
    public JsonNode materialize(List<String> featureViews, Instant end) {
        return http.materialize(featureViews, end, false, JsonNode.class);
    }

    /** As {@link #materializationJob}, answering the job as JSON. */
    public JsonNode job(String id) {
        return http.job(id, JsonNode.class);
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
        return flight.upload(features, entities, timestampColumn);
    }

    /** As {@link #trainingSet(List, VectorSchemaRoot, String)}, uploading every batch of {@code entities}. */
    public ArrowReader trainingSet(List<String> features, ArrowReader entities, String timestampColumn) {
        return flight.upload(features, entities, timestampColumn);
    }

    /**
     * A training set whose entity rows a query selects inside the warehouse ({@code entity_sql}; the rows never
     * leave it): GetFlightInfo, then DoGet.
     */
    public ArrowReader trainingSet(List<String> features, String entitySql, String timestampColumn) {
        return flight.fromSql(features, entitySql, timestampColumn);
    }

    /**
     * Every entity's features at each of its own event times in [start, end), without entity rows: GetFlightInfo,
     * then DoGet. The generated time column is named {@code timestampColumn} (null: {@code event_timestamp}).
     */
    public ArrowReader trainingSet(List<String> features, Instant start, Instant end, String timestampColumn) {
        return flight.fromRange(features, start, end, timestampColumn);
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
    public void close() {
        flight.close();
    }

    /** Builds a client; only the HTTP base address is required. */
    public static final class Builder {
        private URI httpBase;
        private URI flight;
        private Duration timeout = Duration.ofMinutes(5);
        private Duration connectTimeout = Duration.ofSeconds(10);
        private boolean onlineOverFlight = true;
        private String apiKey;
        private Path trustedCertificates;

        private Builder() {
        }

        /**
         * The API key to send, as {@code Authorization: Bearer <key>}, on every HTTP request and Flight call. A
         * server with keys needs one from every client; a server without keys (protected mode) serves clients on its
         * own machine without one.
         */
        public Builder apiKey(String apiKey) {
            this.apiKey = apiKey == null || apiKey.isBlank() ? null : apiKey.trim();
            return this;
        }

        /** The server's HTTP base address, e.g. {@code http://localhost:8080}. */
        public Builder http(URI httpBase) {
            this.httpBase = httpBase;
            return this;
        }

        /**
         * The Arrow Flight location; unless given, {@code grpc+tcp://<http host>:8815}, or {@code grpc+tls://...}
         * when the HTTP address is {@code https://}.
         */
        public Builder flight(URI flight) {
            this.flight = flight;
            return this;
        }

        /**
         * Whether online reads go over Arrow Flight (the default), falling back to HTTP when the Flight port cannot
         * be reached; false reads over HTTP only.
         */
        public Builder onlineOverFlight(boolean onlineOverFlight) {
            this.onlineOverFlight = onlineOverFlight;
            return this;
        }

        /**
         * A PEM file of the certificates to trust for HTTPS and Flight over TLS, in place of the JVM's default
         * authorities: e.g. the server's own self-signed certificate, or the authority that signed it.
         */
        public Builder trustedCertificates(Path pemFile) {
            this.trustedCertificates = Objects.requireNonNull(pemFile, "pemFile");
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
